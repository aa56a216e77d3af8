/**
 * How a file travels to this board: the encoding its firmware allows, chunk
 * and command sizes kept well inside its free heap, and the temporary path an
 * atomic write goes through.
 */
import { BoardError } from '../BoardError.js';
import type { BoardInfo } from '../BoardProbe.js';
import { boardBasename, boardDirname, joinBoardPath } from '../boardPath.js';

/** How file data travels: chosen from the probe unless forced (tests, benchmarks). */
export type TransferEncoding = 'stream' | 'base64' | 'repr';

/** Plan for one transfer, sized from the probe's free heap. */
export interface TransferPlan {
  /** Streamed chunk (and decompressed block) size in bytes. */
  chunkBytes: number;
  /** Largest command we send in the command-based encodings. */
  commandBytes: number;
  /** Deflate window of the command-based uploads, whose pieces are deflated one by one: 2^wbits bytes on the board. */
  wbits: number;
  /**
   * Deflate window of a streamed upload, one deflate stream for the whole
   * file: a wider window finds more of a source file's repeats (50 KB of
   * Python: 13.0 KB deflated with 8 KB, 11.7 KB with 16 KB). Up to a quarter of
   * the free heap, so the board can always allocate it.
   */
  streamWbits: number;
}

/** Suffix of the temporary file written next to the target. */
export const TEMP_SUFFIX = '.pwtmp';
/** Compressed blocks are sent only when they save at least this fraction. */
export const DEFLATE_MIN_SAVING = 0.05;
/** Free heap assumed when the probe could not tell. */
const UNKNOWN_HEAP_BYTES = 16 * 1024;
const CHUNK_MIN_BYTES = 256;
const CHUNK_MAX_BYTES = 8192;
/** 1.9-era boards (~10 KB heap) fail to compile commands over ~1.5 KB. */
const COMMAND_MIN_BYTES = 768;
const COMMAND_MAX_BYTES = 4096;
/** A streamed upload's deflate window takes at most this share (1/n) of the free heap. */
const STREAM_WINDOW_HEAP_SHARE = 4;
const WBITS_MIN = 9;
const WBITS_MAX = 15;

function pow2Floor(n: number): number {
  return 2 ** Math.floor(Math.log2(Math.max(1, n)));
}

/** Chunk and command sizes for a board with this much free heap (kept well inside it). */
export function planTransfer(info: BoardInfo): TransferPlan {
  const heap = info.freeHeapBytes > 0 ? info.freeHeapBytes : UNKNOWN_HEAP_BYTES;
  // Stream path needs ~3 chunks (input, output, BytesIO copy) plus the window.
  const chunkBytes = Math.min(CHUNK_MAX_BYTES, Math.max(CHUNK_MIN_BYTES, pow2Floor(heap / 10)));
  const commandBytes = Math.min(COMMAND_MAX_BYTES, Math.max(COMMAND_MIN_BYTES, pow2Floor(heap / 16)));
  const wbits = Math.min(WBITS_MAX, Math.max(WBITS_MIN, Math.log2(chunkBytes)));
  const streamWbits = Math.min(WBITS_MAX, Math.max(WBITS_MIN, Math.floor(Math.log2(heap / STREAM_WINDOW_HEAP_SHARE))));
  return { chunkBytes, commandBytes, wbits, streamWbits };
}

/** The strongest encoding this board supports. */
export function chooseEncoding(info: BoardInfo): TransferEncoding {
  if (info.has.stdinBuffer && info.has.kbdIntr) return 'stream';
  if (info.has.a2bBase64) return 'base64';
  return 'repr';
}

export function assertEncodingPossible(encoding: TransferEncoding, info: BoardInfo): void {
  if (encoding === 'stream' && !(info.has.stdinBuffer && info.has.kbdIntr)) {
    throw new BoardError('UNSUPPORTED', 'This firmware cannot stream raw bytes (needs sys.stdin.buffer and micropython.kbd_intr).');
  }
  if (encoding === 'base64' && !info.has.a2bBase64) {
    throw new BoardError('UNSUPPORTED', 'This firmware has no binascii.a2b_base64.');
  }
}

/** `/lib/x.py` -> `/lib/.x.py.pwtmp`: hidden, next to the target (same filesystem, so the rename is atomic). */
export function tempPathFor(path: string): string {
  const dir = boardDirname(path);
  const name = '.' + boardBasename(path) + TEMP_SUFFIX;
  return dir ? joinBoardPath(dir, name) : name;
}
