/**
 * File operations on the board, all built on the session's exec/eval (the
 * mpremote Transport shape): list, read, write, mkdir -p, remove, rename,
 * stat, disk usage. The board-side Python is in ../python/; how data is
 * uploaded (streamed, or a command per piece) is in streamUpload.ts and
 * commandUpload.ts, chosen by transferPlan.ts from the probe.
 */
import { BoardError, isBoardError } from '../BoardError.js';
import type { BoardInfo } from '../BoardProbe.js';
import type { BoardSession, RawRepl } from '../BoardSession.js';
import { boardBasename, normalizeBoardPath, pathFromBoard, pathOnBoard } from '../boardPath.js';
import { base64ToBytes } from '../../util/base64.js';
import { toHex, type HostCodec } from '../HostCodec.js';
import { S_IFDIR } from '../python/helpers.js';
import { listPy } from '../python/listPy.js';
import { mkdirsPy } from '../python/mkdirsPy.js';
import { parsePyBytesRepr, parsePyStrRepr } from '../python/pyRepr.js';
import { readPy } from '../python/readPy.js';
import { removePy } from '../python/removePy.js';
import { renamePy } from '../python/renamePy.js';
import { statPy } from '../python/statPy.js';
import { statvfsPy } from '../python/statvfsPy.js';
import { verifyAndReplacePy } from '../python/verifyAndReplacePy.js';
import { adler32 } from '../../util/adler32.js';
import { writePrepPy } from '../python/writePrepPy.js';
import { concatBytes } from '../../util/bytes.js';
import { discardTempPy } from '../python/discardTempPy.js';
import { cancelledError } from '../repl/ByteReader.js';
import { commandUpload } from './commandUpload.js';
import { explainFileError } from './explainFileError.js';
import { streamUpload } from './streamUpload.js';
import { assertEncodingPossible, chooseEncoding, planTransfer, tempPathFor, type TransferEncoding } from './transferPlan.js';
import type { UploadJob, UploadLimits } from './UploadJob.js';

export { chooseEncoding, planTransfer, tempPathFor, TEMP_SUFFIX, type TransferEncoding, type TransferPlan } from './transferPlan.js';

export type ProgressCallback = (done: number, total: number) => void;

/**
 * The steps of a write, for timing it: 'prepare' (what is there, a stale temp
 * file), 'start' (the streamed upload's receiver program going to the board),
 * 'data' (the file's bytes), 'verify' (size and sha256 on the board, rename).
 */
export type WritePhase = 'prepare' | 'start' | 'data' | 'verify';

export interface FileOpOptions {
  signal?: AbortSignal;
  /** `total` is 0 when it is not known in advance (listing, recursive removal). */
  onProgress?: ProgressCallback;
}

export interface BoardFileEntry {
  path: string;
  name: string;
  type: 'file' | 'dir';
  /** Bytes; -1 where the firmware cannot tell. */
  size: number;
}

export interface BoardStat {
  path: string;
  type: 'file' | 'dir';
  size: number;
  /** Seconds since the board's epoch, 0 where unknown. */
  mtime: number;
}

export interface DiskUsage {
  totalBytes: number;
  usedBytes: number;
  freeBytes: number;
}

export interface WriteOptions extends FileOpOptions {
  /** Skip when the board's sha256 of the file already matches (default true where hashlib exists). */
  skipIfSame?: boolean;
  encoding?: TransferEncoding;
  /** Deflate blocks where the board has the deflate module (default true). */
  compress?: boolean;
  /** Called as each phase of the write begins (for timing; see WritePhase). */
  onPhase?: (phase: WritePhase) => void;
}

export interface WriteResult {
  skipped: boolean;
  bytes: number;
  encoding: TransferEncoding | 'none';
  /** Bytes that went over the link for the data itself (after compression and encoding). */
  wireBytes: number;
  /** False on firmware without os.rename: the checked file was copied into place on the board. */
  atomic: boolean;
  /** Whether the board checked the data with sha256 (else by size and Adler-32). */
  hashVerified: boolean;
}

export type BoardFilesOptions = Partial<UploadLimits>;

/** Reading: base64 lines are 4/3 of a piece, so pieces up to this; repr lines are up to 4x, so smaller. */
const READ_BASE64_PIECE_MAX_BYTES = 3 * 1024;
const READ_REPR_PIECE_MIN_BYTES = 64;
const READ_REPR_PIECE_MAX_BYTES = 256;

export class BoardFiles {
  private readonly limits: UploadLimits;

  constructor(
    readonly session: BoardSession,
    private readonly codec: HostCodec,
    options: BoardFilesOptions = {},
  ) {
    this.limits = {
      CHUNK_ACK_BASE_MS: options.CHUNK_ACK_BASE_MS ?? 3000,
      CHUNK_ACK_PER_BYTE_MS: options.CHUNK_ACK_PER_BYTE_MS ?? 1.2,
      LONG_STEP_TIMEOUT_MS: options.LONG_STEP_TIMEOUT_MS ?? 60_000,
    };
  }

  /**
   * Runs `fn` in the raw REPL with the board's info (probing first if nobody
   * has); board errnos become errors that name `path`.
   */
  private async op<T>(label: string, path: string, opts: FileOpOptions, fn: (repl: RawRepl, info: BoardInfo) => Promise<T>): Promise<T> {
    let info = this.session.info;
    if (!info) info = await this.session.probe({ signal: opts.signal });
    const known = info;
    return this.session.run(async (repl) => {
      try {
        return await fn(repl, known);
      } catch (err) {
        throw explainFileError(err, path);
      }
    }, { signal: opts.signal, label });
  }

  // ---- stat / list ------------------------------------------------------------

  async stat(path: string, opts: FileOpOptions = {}): Promise<BoardStat> {
    const p = normalizeBoardPath(path);
    return this.op('reading file information', p, opts, async (repl, info) => {
      const q = pathOnBoard(p, info.has.mkdir);
      const code = statPy(q, info.has);
      if (!code) throw new BoardError('UNSUPPORTED', 'This firmware has neither os.stat nor os.size.');
      const out = (await repl.exec(code)).stdout.trim().split(/\s+/).map(Number);
      if (out.length < 3 || out.some((n) => !Number.isFinite(n))) {
        throw new BoardError('PROTOCOL', `Unexpected stat output for ${p}.`);
      }
      const [mode, size, mtime] = out as [number, number, number];
      return { path: pathFromBoard(q, info.has.mkdir), type: mode & S_IFDIR ? 'dir' : 'file', size, mtime };
    });
  }

  /**
   * Lists a folder (recursively when asked). A missing folder is a NOT_FOUND
   * error, never an empty list. Entries stream in as the board prints them.
   */
  async list(path = '/', opts: FileOpOptions & { recursive?: boolean } = {}): Promise<BoardFileEntry[]> {
    const p = normalizeBoardPath(path === '' ? '/' : path);
    return this.op('listing files', p, opts, async (repl, info) => {
      const folders = info.has.mkdir;
      const q = pathOnBoard(p, folders);
      if (!folders && q !== '') throw new BoardError('NOT_FOUND', `No such folder on the board: ${p}. This board has no folders.`);
      const entries: BoardFileEntry[] = [];
      const lines = lineSplitter((line) => {
        const entry = parseListLine(line, folders);
        if (entry) {
          entries.push(entry);
          opts.onProgress?.(entries.length, 0);
        }
      });
      await repl.exec(listPy(folders ? q : '/', opts.recursive === true, info.has), { onStdout: lines.push, timeoutMs: this.limits.LONG_STEP_TIMEOUT_MS });
      lines.end();
      return entries;
    });
  }

  // ---- read ---------------------------------------------------------------------

  async read(path: string, opts: FileOpOptions = {}): Promise<Uint8Array> {
    const p = normalizeBoardPath(path);
    return this.op('reading a file', p, opts, async (repl, info) => {
      const plan = planTransfer(info);
      const useBase64 = info.has.b2aBase64;
      const piece = useBase64
        ? Math.min(plan.chunkBytes, READ_BASE64_PIECE_MAX_BYTES)
        : Math.max(READ_REPR_PIECE_MIN_BYTES, Math.min(READ_REPR_PIECE_MAX_BYTES, plan.chunkBytes / 4));
      const parts: Uint8Array[] = [];
      let total = -1;
      let done = 0;
      const lines = lineSplitter((line) => {
        if (total < 0) {
          total = Number(line);
          if (!Number.isFinite(total)) throw new BoardError('PROTOCOL', `Unexpected size line while reading ${p}: ${line}`);
          opts.onProgress?.(0, total);
          return;
        }
        if (line === '') return;
        const bytes = useBase64 ? base64ToBytes(line) : parsePyBytesRepr(line);
        parts.push(bytes);
        done += bytes.length;
        opts.onProgress?.(done, Math.max(total, done));
      });
      await repl.exec(readPy(pathOnBoard(p, info.has.mkdir), piece, useBase64, info.has), { onStdout: lines.push, timeoutMs: this.limits.LONG_STEP_TIMEOUT_MS, signal: opts.signal });
      lines.end();
      const data = concatBytes(parts);
      if (total >= 0 && data.length !== total) {
        throw new BoardError('VERIFY_FAILED', `Read ${data.length} bytes of ${p}, but the board said it has ${total}. Try again.`);
      }
      return data;
    });
  }

  // ---- write --------------------------------------------------------------------

  /**
   * Writes a file so that an interrupted or damaged upload never costs the
   * old one: the data goes to a temporary file next to the target, the board
   * checks its size and content (sha256 where hashlib exists, else Adler-32
   * of the file read back), and only then puts it in place: by rename where
   * the firmware has os.rename (atomic), else by an on-board copy
   * (python/verifyAndReplacePy.ts says what that guarantees). A stale
   * temporary file from an earlier interrupted write is removed first. A file
   * whose sha256 already matches is not sent again (`skipped: true`).
   */
  async write(path: string, data: Uint8Array, opts: WriteOptions = {}): Promise<WriteResult> {
    const p = normalizeBoardPath(path);
    if (p === '' || p === '/') throw new BoardError('INVALID', 'Choose a file name to write on the board.');
    return this.op('writing a file', p, opts, async (repl, info) => {
      const q = pathOnBoard(p, info.has.mkdir);
      const sha = info.has.sha256;
      const atomic = info.has.rename;
      const tempPath = tempPathFor(q);
      const hostHash = sha ? toHex(await this.codec.sha256(data)) : '';
      const compareHash = sha && opts.skipIfSame !== false;
      opts.onProgress?.(0, data.length);

      // 1. Clean a stale temp file; compare with what is there.
      opts.onPhase?.('prepare');
      const prep = writePrepPy({ path: q, tempPath, length: data.length, compareHash, has: info.has });
      const prepOut = (await repl.exec(prep, { timeoutMs: this.limits.LONG_STEP_TIMEOUT_MS })).stdout.trim().split(/\r?\n/);
      if (compareHash && Number(prepOut[0]) === data.length && prepOut[1]?.trim() === hostHash) {
        opts.onProgress?.(data.length, data.length);
        return { skipped: true, bytes: data.length, encoding: 'none', wireBytes: 0, atomic, hashVerified: true };
      }

      // 2. Send the data to the temporary file.
      const encoding = opts.encoding ?? chooseEncoding(info);
      assertEncodingPossible(encoding, info);
      const job: UploadJob = {
        repl,
        target: tempPath,
        data,
        plan: planTransfer(info),
        compress: opts.compress !== false && info.has.deflate,
        codec: this.codec,
        limits: this.limits,
        signal: opts.signal,
        onProgress: opts.onProgress,
        onPhase: opts.onPhase,
      };
      let wireBytes: number;
      let verdict: string;
      try {
        if (encoding !== 'stream') opts.onPhase?.('data');
        wireBytes = encoding === 'stream' ? await streamUpload(job, this.session.link.flowControlled === true) : await commandUpload(job, encoding, true);
        // A cancel that came after the last byte went out still stops the write before it replaces the file.
        if (opts.signal?.aborted) throw cancelledError(opts.signal);
        // 3. Verify on the board, then put the file in place.
        opts.onPhase?.('verify');
        const { a, b } = adler32(data);
        const verify = verifyAndReplacePy({
          path: q,
          tempPath,
          length: data.length,
          check: sha ? { sha256Hex: hostHash } : { adler32: `${a} ${b}` },
          replace: atomic ? 'rename' : 'copy',
          has: info.has,
        });
        verdict = (await repl.exec(verify, { timeoutMs: this.limits.LONG_STEP_TIMEOUT_MS })).stdout.trim();
      } catch (err) {
        // No temporary file is left behind by a cancelled or failed write (unless the board is gone).
        if (!isBoardError(err, 'LINK_LOST')) {
          await repl.exec(discardTempPy(tempPath), { cancellable: false, timeoutMs: this.limits.CHUNK_ACK_BASE_MS }).catch(() => undefined);
        }
        throw err;
      }
      if (verdict.startsWith('bad copy')) {
        throw new BoardError(
          'VERIFY_FAILED',
          `The board could not copy the new ${p} into place (it has ${verdict.split(' ')[2]} of ${data.length} bytes). ` +
            `The checked new content is kept on the board as ${pathFromBoard(tempPath, info.has.mkdir)}. Check the free space and try again.`,
        );
      }
      if (verdict !== 'ok') {
        throw new BoardError(
          'VERIFY_FAILED',
          `The board received ${p} damaged (${verdict}; expected ${data.length} bytes${sha ? ' sha256 ' + hostHash : ''}). ` +
            'The old file was left as it was. Try again; if it keeps happening, use a lower baud rate or another cable.',
        );
      }
      opts.onProgress?.(data.length, data.length);
      return { skipped: false, bytes: data.length, encoding, wireBytes, atomic, hashVerified: sha };
    });
  }

  // ---- mkdir / remove / rename / df ------------------------------------------------

  /** mkdir -p: creates every missing folder on the way; an existing folder is fine, an existing file is not. */
  async mkdir(path: string, opts: FileOpOptions = {}): Promise<void> {
    const p = normalizeBoardPath(path);
    if (p === '' || p === '/') return;
    await this.op('creating a folder', p, opts, async (repl, info) => {
      if (!info.has.mkdir) throw new BoardError('UNSUPPORTED', 'This firmware has no folders (os.mkdir is missing).');
      await repl.exec(mkdirsPy(p));
      opts.onProgress?.(1, 1);
    });
  }

  /** Removes a file, or a folder (with everything in it when `recursive`). Refuses the root. */
  async remove(path: string, opts: FileOpOptions & { recursive?: boolean } = {}): Promise<void> {
    const p = normalizeBoardPath(path);
    if (p === '' || p === '/') throw new BoardError('INVALID', 'Refusing to remove the root of the board.');
    await this.op('removing', p, opts, async (repl, info) => {
      let removed = 0;
      const onStdout = (t: string) => {
        const n = (t.match(/x/g) ?? []).length;
        if (n) {
          removed += n;
          opts.onProgress?.(removed, 0);
        }
      };
      const code = removePy(pathOnBoard(p, info.has.mkdir), opts.recursive === true, info.has);
      // Removing a single file is quick; walking a folder tree may take long and is cancellable.
      const walks = info.has.stat && info.has.ilistdir;
      await repl.exec(code, walks ? { onStdout, timeoutMs: this.limits.LONG_STEP_TIMEOUT_MS, signal: opts.signal } : { onStdout });
    });
  }

  async rename(from: string, to: string, opts: FileOpOptions = {}): Promise<void> {
    const a = normalizeBoardPath(from);
    const b = normalizeBoardPath(to);
    await this.op('renaming', a, opts, async (repl, info) => {
      if (!info.has.rename) throw new BoardError('UNSUPPORTED', 'This firmware cannot rename files (os.rename is missing).');
      await repl.exec(renamePy(pathOnBoard(a, info.has.mkdir), pathOnBoard(b, info.has.mkdir)));
      opts.onProgress?.(1, 1);
    });
  }

  /** Size and free space of the filesystem holding `path` (os.statvfs). */
  async diskUsage(path = '/', opts: FileOpOptions = {}): Promise<DiskUsage> {
    const p = normalizeBoardPath(path) || '/';
    return this.op('reading disk usage', p, opts, async (repl, info) => {
      if (!info.has.statvfs) throw new BoardError('UNSUPPORTED', 'This firmware cannot report disk usage (os.statvfs is missing).');
      const out = (await repl.exec(statvfsPy(p))).stdout;
      const [bsize, frsize, blocks, bfree, bavail] = out.trim().split(/\s+/).map(Number) as number[];
      if ([bsize, frsize, blocks, bfree, bavail].some((n) => n === undefined || !Number.isFinite(n))) {
        throw new BoardError('PROTOCOL', `Unexpected statvfs output: ${out.trim()}`);
      }
      const unit = frsize! > 0 ? frsize! : bsize!;
      const total = unit * blocks!;
      return { totalBytes: total, usedBytes: total - unit * bfree!, freeBytes: unit * bavail! };
    });
  }
}

/** Feeds streamed stdout text to `onLine` a whole line at a time (without the line end). */
function lineSplitter(onLine: (line: string) => void): { push: (text: string) => void; end: () => void } {
  let partial = '';
  const push = (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line.replace(/\r$/, ''));
  };
  const end = () => {
    if (partial.trim()) push('\n');
  };
  return { push, end };
}

function parseListLine(line: string, folders: boolean): BoardFileEntry | undefined {
  const m = /^([df]) (-?\d+) (.+)$/.exec(line);
  if (!m) return undefined;
  const path = pathFromBoard(parsePyStrRepr(m[3]!), folders);
  return { path, name: boardBasename(path), type: m[1] === 'd' ? 'dir' : 'file', size: Number(m[2]) };
}
