/**
 * The fast upload: one board program (python/streamReceivePy.ts) reads the
 * data from stdin while the host keeps the line busy. The payload is the file
 * itself or, where the board can inflate it and it saves, the file as one
 * deflate stream (one stream compresses better than independent blocks). It
 * goes in chunks (streamFraming.ts); the board credits every window it takes
 * out of its receive buffer, and the host never has more in flight than that
 * buffer holds, so the board can write flash between windows without losing
 * a byte, and the line never waits for a write to finish.
 */
import { concatBytes } from '../../util/bytes.js';
import { sleep } from '../../util/sleep.js';
import { BoardError } from '../BoardError.js';
import type { ProgramIO } from '../BoardSession.js';
import { streamReceivePy } from '../python/streamReceivePy.js';
import { cancelledError } from '../repl/ByteReader.js';
import {
  STREAM_ABORT_HEADER,
  STREAM_CHUNK_BYTES,
  STREAM_END_HEADER,
  STREAM_IN_FLIGHT_BYTES,
  STREAM_INFLATE_STEP_BYTES,
  STREAM_READY,
  STREAM_WINDOW_ACK,
  STREAM_WINDOW_BYTES,
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
/**
 * Over native USB the transport holds the host back, but credits still bound
 * what is in flight: progress then shows what the board has, and a cancel
 * takes effect within a few chunks rather than after everything queued.
 */
const FLOW_CONTROLLED_IN_FLIGHT_BYTES = 4 * (STREAM_CHUNK_BYTES + 2);
/** Files smaller than this go as they are: deflate would not save enough to pay for itself. */
const DEFLATE_MIN_FILE_BYTES = 64;

const header = (n: number) => Uint8Array.of(n & 0xff, n >> 8);

/** The payload: the deflated file where that saves at least DEFLATE_MIN_SAVING, else the file. */
async function payloadFor(job: UploadJob): Promise<{ payload: Uint8Array; wbits: number | undefined }> {
  const { data, plan } = job;
  if (job.compress && data.length >= DEFLATE_MIN_FILE_BYTES) {
    const z = await job.codec.deflateRaw(data, plan.streamWbits);
    if (z.length <= data.length * (1 - DEFLATE_MIN_SAVING)) return { payload: z, wbits: plan.streamWbits };
  }
  return { payload: data, wbits: undefined };
}

/**
 * Streams `job.data` into `job.target`; returns the bytes that went over the
 * link for the data. `flowControlled`: the link holds the host back itself
 * (native USB), so whole chunks go at once and several are in flight; over a UART never more unread
 * bytes reach the board than its receive buffer holds.
 */
export async function streamUpload(job: UploadJob, flowControlled: boolean): Promise<number> {
  const { repl, data, limits, signal } = job;
  const { payload, wbits } = await payloadFor(job);
  const inFlightLimit = flowControlled ? FLOW_CONTROLLED_IN_FLIGHT_BYTES : STREAM_IN_FLIGHT_BYTES;
  let wire = 0;
  let cancelled = false;
  /** The board ended its receive loop by itself: no filler must follow (it would land in the REPL). */
  let boardLeftTheLoop = false;

  /** What the board has taken out of its buffer, in window credits still to come (one per window sent). */
  let creditsOwed = 0;
  /** Bytes sent that the board has not credited yet (its windows, plus headers). */
  let inFlight = 0;
  /** Per window sent and not yet credited: its bytes on the wire, and how much of the payload it carries. */
  const windowsSent: Array<{ wire: number; payload: number }> = [];
  /** Payload bytes the board has taken: progress is what the board has, not what was sent. */
  let taken = 0;

  const readCredit = async (io: ProgramIO, what: string) => {
    const b = await io.read(1, { timeoutMs: limits.CHUNK_ACK_BASE_MS + STREAM_IN_FLIGHT_BYTES * limits.CHUNK_ACK_PER_BYTE_MS, what });
    if (b[0] !== STREAM_WINDOW_ACK.charCodeAt(0)) {
      // The receive loop ended early: a chunk header it read was no header, so bytes were lost on the line.
      boardLeftTheLoop = true;
      throw new BoardError(
        'VERIFY_FAILED',
        `Bytes were lost on the line while ${what}; the board stopped the upload and kept the old file. Try again; if it keeps happening, use a lower baud rate or another cable.`,
      );
    }
    creditsOwed--;
    const window = windowsSent.shift()!;
    inFlight -= window.wire;
    taken += window.payload;
    job.onProgress?.(Math.floor((taken / payload.length) * data.length), data.length);
  };

  /** Sends `bytes` as soon as the board has room for them, reading credits meanwhile. */
  const send = async (io: ProgramIO, bytes: Uint8Array, what: string) => {
    while (creditsOwed > 0 && inFlight + bytes.length > inFlightLimit) await readCredit(io, what);
    await io.write(bytes);
    inFlight += bytes.length;
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
    for (let left = STREAM_CHUNK_BYTES + 2 + STREAM_WINDOW_BYTES; left > 0; left -= fill.length) {
      await io.write(fill.subarray(0, Math.min(left, fill.length)));
      await sleep(STREAM_ABORT_PACE_MS);
    }
  };

  const streamChunks = async (io: ProgramIO): Promise<void> => {
    const ready = await io.read(1, { timeoutMs: limits.CHUNK_ACK_BASE_MS, what: 'starting the upload' });
    if (ready[0] !== STREAM_READY.charCodeAt(0)) throw new BoardError('PROTOCOL', `Expected the board to be ready for the upload, got byte 0x${ready[0]!.toString(16)}.`);
    job.onPhase?.('data');
    for (let offset = 0; offset < payload.length; offset += STREAM_CHUNK_BYTES) {
      if (signal?.aborted) {
        cancelled = true;
        await send(io, header(STREAM_ABORT_HEADER), 'cancelling the upload');
        return;
      }
      const chunk = payload.subarray(offset, offset + STREAM_CHUNK_BYTES);
      const what = `uploading (${Math.round(((offset + chunk.length) / payload.length) * data.length)} of ${data.length} bytes)`;
      // The header travels with the chunk's first window and is credited with it. Over native USB
      // the whole chunk goes in one write: the transport itself holds the host back.
      const pieces: Array<{ bytes: Uint8Array; payload: number }> = [];
      for (let i = 0; i < chunk.length; i += STREAM_WINDOW_BYTES) {
        const window = chunk.subarray(i, i + STREAM_WINDOW_BYTES);
        pieces.push({ bytes: i === 0 ? concatBytes([header(chunk.length), window]) : window, payload: window.length });
      }
      if (flowControlled) {
        await send(io, concatBytes(pieces.map((p) => p.bytes)), what);
        for (const p of pieces) windowsSent.push({ wire: p.bytes.length, payload: p.payload });
        creditsOwed += pieces.length;
      } else {
        for (const p of pieces) {
          await send(io, p.bytes, what);
          windowsSent.push({ wire: p.bytes.length, payload: p.payload });
          creditsOwed++;
        }
      }
      wire += 2 + chunk.length;
    }
    await send(io, header(STREAM_END_HEADER), 'finishing the upload');
    wire += 2;
    while (creditsOwed > 0) await readCredit(io, 'finishing the upload');
  };

  job.onPhase?.('start');
  await repl.execInteractive(
    streamReceivePy(job.target, wbits, STREAM_INFLATE_STEP_BYTES),
    (io) =>
      streamChunks(io).catch(async (err: unknown) => {
        if (!boardLeftTheLoop && err instanceof BoardError && (err.code === 'TIMEOUT' || err.code === 'PROTOCOL')) await unblockBoard(io).catch(() => undefined);
        throw err;
      }),
    { timeoutMs: limits.LONG_STEP_TIMEOUT_MS },
  );
  if (cancelled) throw cancelledError(signal);
  return wire;
}
