/**
 * The fast upload: one board program (python/streamReceivePy.ts) reads raw
 * bytes from stdin. The host sends a chunk a window at a time, the board
 * credits each window and acks each chunk, so a board busy writing flash can
 * never have its UART buffer overrun. Chunks that deflate well go deflated,
 * the next one compressed while this one is on the wire.
 */
import { sleep } from '../../util/sleep.js';
import { BoardError } from '../BoardError.js';
import type { ProgramIO } from '../BoardSession.js';
import { streamReceivePy } from '../python/streamReceivePy.js';
import { cancelledError } from '../repl/ByteReader.js';
import { concatBytes } from '../../util/bytes.js';
import {
  STREAM_ABORT_HEADER,
  STREAM_ACK,
  STREAM_DEFLATED_FLAG,
  STREAM_END_HEADER,
  STREAM_WINDOW_ACK,
  STREAM_WINDOW_BYTES,
  STREAM_WINDOWS_IN_FLIGHT,
} from './streamFraming.js';
import { DEFLATE_MIN_SAVING } from './transferPlan.js';
import type { UploadJob } from './UploadJob.js';

/**
 * Abort after lost bytes: filler bytes go out a window at a time, this far
 * apart (a 112-byte window takes ~10 ms at 115200 baud), so the filler itself
 * does not overrun the board's receive buffer.
 */
const STREAM_ABORT_PACE_MS = 15;
/** Filler for the abort: any two of these read as a header are STREAM_ABORT_HEADER. */
const STREAM_ABORT_FILL = 0xff;
/** Chunks smaller than this are sent as they are: deflate would not save enough. */
const DEFLATE_MIN_CHUNK_BYTES = 64;

interface Block {
  payload: Uint8Array;
  header: number;
  rawLen: number;
}

const header = (n: number) => Uint8Array.of(n & 0xff, n >> 8);

/**
 * Streams `job.data` into `job.target`; returns the bytes that went over the
 * link for the data. `flowControlled`: the link holds the host back itself
 * (native USB), so a whole chunk goes at once, about twice as fast; over a
 * UART never more unread bytes reach the board than its receive buffer holds.
 */
export async function streamUpload(job: UploadJob, flowControlled: boolean): Promise<number> {
  const { repl, data, plan, codec, limits, signal } = job;
  const chunkBytes = plan.chunkBytes;
  const wbits = job.compress ? plan.wbits : undefined;
  let wire = 0;
  let cancelled = false;

  const prepare = async (offset: number): Promise<Block> => {
    const raw = data.subarray(offset, offset + chunkBytes);
    if (wbits !== undefined && raw.length >= DEFLATE_MIN_CHUNK_BYTES) {
      const z = await codec.deflateRaw(raw, wbits);
      if (z.length <= raw.length * (1 - DEFLATE_MIN_SAVING) && z.length < STREAM_DEFLATED_FLAG) {
        return { payload: z, header: z.length | STREAM_DEFLATED_FLAG, rawLen: raw.length };
      }
    }
    return { payload: raw, header: raw.length, rawLen: raw.length };
  };
  const ack = async (io: ProgramIO, what: string, bytes: number, expected = STREAM_ACK) => {
    const b = await io.read(1, { timeoutMs: limits.CHUNK_ACK_BASE_MS + bytes * limits.CHUNK_ACK_PER_BYTE_MS, what });
    if (b[0] !== expected.charCodeAt(0)) throw new BoardError('PROTOCOL', `Expected the board's ack while ${what}, got byte 0x${b[0]!.toString(16)}.`);
  };
  const windowsInFlight = flowControlled ? Number.POSITIVE_INFINITY : STREAM_WINDOWS_IN_FLIGHT;
  /** One chunk, window by window: the board credits each window it has read. */
  const sendChunk = async (io: ProgramIO, head: Uint8Array, payload: Uint8Array, what: string) => {
    const windows: Uint8Array[] = [];
    for (let i = 0; i < payload.length; i += STREAM_WINDOW_BYTES) windows.push(payload.subarray(i, i + STREAM_WINDOW_BYTES));
    let sent = Math.min(windowsInFlight, windows.length);
    await io.write(concatBytes([head, ...windows.slice(0, sent)]));
    for (let credited = 0; credited < windows.length - 1; credited++) {
      await ack(io, what, STREAM_WINDOW_BYTES * STREAM_WINDOWS_IN_FLIGHT, STREAM_WINDOW_ACK);
      if (sent < windows.length) await io.write(windows[sent++]!);
    }
  };

  /**
   * The board may sit in readinto() waiting for bytes that were lost on the
   * line, with Ctrl-C switched off and so deaf to the usual recovery: fill
   * whatever read it is blocked in (at most one chunk plus a header) with
   * 0xFF, which it then reads as the abort header. It restores Ctrl-C,
   * removes the temp file and ends the program; the old file stays.
   */
  const unblockBoard = async (io: ProgramIO) => {
    const fill = new Uint8Array(STREAM_WINDOW_BYTES).fill(STREAM_ABORT_FILL);
    for (let left = chunkBytes + 2 + STREAM_WINDOW_BYTES; left > 0; left -= fill.length) {
      await io.write(fill.subarray(0, Math.min(left, fill.length)));
      await sleep(STREAM_ABORT_PACE_MS);
    }
  };

  const streamChunks = async (io: ProgramIO): Promise<void> => {
    await ack(io, 'starting the upload', 0);
    let offset = 0;
    let next = data.length ? prepare(0) : undefined;
    while (next) {
      const block = await next;
      if (signal?.aborted) {
        cancelled = true;
        await io.write(header(STREAM_ABORT_HEADER));
        return;
      }
      offset += block.rawLen;
      // Compress the next block while this one is on the wire.
      next = offset < data.length ? prepare(offset) : undefined;
      next?.catch(() => undefined);
      await sendChunk(io, header(block.header), block.payload, `uploading (${offset} of ${data.length} bytes)`);
      wire += 2 + block.payload.length;
      await ack(io, `uploading (${offset} of ${data.length} bytes)`, block.payload.length);
      job.onProgress?.(offset, data.length);
    }
    await io.write(header(STREAM_END_HEADER));
  };

  await repl.execInteractive(
    streamReceivePy(job.target, chunkBytes, wbits),
    (io) =>
      streamChunks(io).catch(async (err: unknown) => {
        if (err instanceof BoardError && (err.code === 'TIMEOUT' || err.code === 'PROTOCOL')) await unblockBoard(io).catch(() => undefined);
        throw err;
      }),
    { timeoutMs: limits.LONG_STEP_TIMEOUT_MS },
  );
  if (cancelled) throw cancelledError(signal);
  return wire;
}
