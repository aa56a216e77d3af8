/**
 * Upload for boards without a usable stdin: the file stays open on the board
 * between raw commands (python/commandReceivePy.ts), each command carrying one
 * piece as base64 (deflated where that saves) or as a compact bytes literal.
 * Pieces are sized from the heap so 1.9-era boards never see a command near
 * the ~1.5 KB that they fail to compile.
 */
import { bytesToBase64 } from '../../util/base64.js';
import { commandAbortPy, commandClosePy, commandOpenPy, commandPiecePy, type CommandReceiver, type PieceEncoding } from '../python/commandReceivePy.js';
import type { PyCode } from '../python/py.js';
import { pyBytesEscapedLength } from '../python/pyRepr.js';
import { cancelledError } from '../repl/ByteReader.js';
import { bytesOf } from '../../util/bytes.js';
import { DEFLATE_MIN_SAVING } from './transferPlan.js';
import type { UploadJob } from './UploadJob.js';

/** Length of `b''`: what a piece's bytes literal costs with nothing in it. */
const EMPTY_BYTES_LITERAL_LENGTH = 3;

/**
 * Sends `job.data` into `job.target` a command per piece; returns the bytes
 * that went over the link for the data. `removeOnFailure`: the target is a
 * temp file, removed when the upload fails.
 */
export async function commandUpload(job: UploadJob, encoding: PieceEncoding, removeOnFailure: boolean): Promise<number> {
  const { repl, data, plan, codec, signal } = job;
  const deflate = job.compress && encoding === 'base64' ? { wbits: plan.wbits, bufferBytes: plan.chunkBytes } : undefined;
  const receiver: CommandReceiver = { target: job.target, encoding, deflate };
  // The longest bytes literal (quotes and prefix included) that keeps a command within plan.commandBytes.
  const wrapper = Math.max(...[false, true].map((d) => commandPiecePy(new Uint8Array(0), d).text.length - EMPTY_BYTES_LITERAL_LENGTH));
  const literalBudget = plan.commandBytes - wrapper;
  const base64Budget = literalBudget - EMPTY_BYTES_LITERAL_LENGTH;

  /** The next command and how many bytes of the file it carries. */
  const nextPiece = async (offset: number): Promise<{ command: PyCode; used: number }> => {
    if (encoding === 'repr') {
      let length = EMPTY_BYTES_LITERAL_LENGTH;
      let end = offset;
      while (end < data.length && length + pyBytesEscapedLength(data[end]!) <= literalBudget) length += pyBytesEscapedLength(data[end++]!);
      return { command: commandPiecePy(data.subarray(offset, end), false), used: end - offset };
    }
    const rawCap = Math.floor(base64Budget / 4) * 3;
    if (deflate) {
      // Try a bigger raw piece that may deflate under the budget; halve until it fits.
      for (let take = Math.min(plan.chunkBytes, rawCap * 4); take > rawCap; take = Math.floor(take / 2)) {
        const piece = data.subarray(offset, offset + take);
        const z = await codec.deflateRaw(piece, deflate.wbits);
        const b64 = bytesToBase64(z);
        if (b64.length <= base64Budget && z.length <= piece.length * (1 - DEFLATE_MIN_SAVING)) {
          return { command: commandPiecePy(bytesOf(b64), true), used: piece.length };
        }
        if (piece.length < take) break; // the rest of the file did not fit either
      }
    }
    const piece = data.subarray(offset, offset + rawCap);
    return { command: commandPiecePy(bytesOf(bytesToBase64(piece)), false), used: piece.length };
  };

  await repl.exec(commandOpenPy(receiver));
  let wire = 0;
  let offset = 0;
  try {
    while (offset < data.length) {
      if (signal?.aborted) throw cancelledError(signal);
      const { command, used } = await nextPiece(offset);
      await repl.exec(command);
      wire += command.text.length;
      offset += used;
      job.onProgress?.(offset, data.length);
    }
    await repl.exec(commandClosePy(receiver));
  } catch (err) {
    // Leave no half-written temp file and no open handle behind.
    await repl.exec(commandAbortPy(receiver, removeOnFailure), { cancellable: false }).catch(() => undefined);
    throw err;
  }
  return wire;
}
