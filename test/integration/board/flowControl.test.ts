/**
 * Upload pacing follows the transport: over a UART the engine never has more
 * unread bytes at the board than its receive buffer holds; over native USB
 * (flow-controlled: the transport pushes back) whole chunks go at once, a
 * few in flight, and progress still follows what the board has taken.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { BoardFiles } from '../../../electron/common/board/files/BoardFiles.js';
import { BoardSession } from '../../../electron/common/board/BoardSession.js';
import { nodeCodec } from '../../../electron/node/services/nodeCodec.js';
import { VirtualBoard } from '../../../electron/node/vboard/VirtualBoard.js';
import { interceptWrites } from './engineOnPty.js';

describe('upload pacing by transport', () => {
  let board: VirtualBoard | undefined;
  afterEach(async () => {
    await board?.stop();
    board = undefined;
  });

  for (const model of ['uart', 'usb'] as const) {
    it(`${model} model: the largest single write and a lossless, verified upload`, async () => {
      board = await VirtualBoard.start({ model, baud: 460_800 });
      const data = new Uint8Array(randomBytes(60_000));
      const payload = Buffer.from(data);
      // A write carries file data when its first bytes (after a 2-byte chunk header, maybe) are in the payload.
      const carriesData = (w: Uint8Array) =>
        w.length >= 18 && (payload.indexOf(Buffer.from(w.subarray(0, 16))) >= 0 || payload.indexOf(Buffer.from(w.subarray(2, 18))) >= 0);
      let largestWrite = 0;
      // Progress reported when the last data write goes out: the board has credited most of the file by then.
      let progressAtLastWrite = 0;
      const progress: number[] = [];
      const inner = board.link();
      expect(inner.flowControlled).toBe(model === 'usb');
      const link = Object.assign(
        interceptWrites(inner, (bytes, pass) => {
          if (carriesData(bytes)) {
            largestWrite = Math.max(largestWrite, bytes.length);
            progressAtLastWrite = progress.at(-1) ?? 0;
          }
          return pass(bytes);
        }),
        { flowControlled: inner.flowControlled },
      );
      const session = new BoardSession(link);
      const files = new BoardFiles(session, nodeCodec);
      // Progress is what the board has credited, on both transports: it rises during the upload, not at the end only.
      const result = await files.write('/blob.bin', data, { onProgress: (done) => progress.push(done) });
      expect(result.encoding).toBe('stream');
      expect(result.hashVerified).toBe(true);
      expect(board.stats.rxDroppedBytes).toBe(0);
      expect(progress.at(-1)).toBe(data.length);
      expect(progressAtLastWrite).toBeGreaterThan(data.length / 2);
      // UART: two 112-byte windows plus a 2-byte header at most; USB: a whole multi-KB chunk.
      if (model === 'uart') expect(largestWrite).toBeLessThanOrEqual(226);
      else expect(largestWrite).toBeGreaterThan(1024);
      session.dispose();
    });
  }
});
