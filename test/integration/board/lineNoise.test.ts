/**
 * Bytes lost on the line in the middle of a streamed upload: the board sits in
 * its receive loop waiting for them, with Ctrl-C switched off. The engine must
 * fail the write with a clear error, get the board out of that loop, and leave
 * the old file as it was.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BoardError } from '../../../electron/common/board/BoardError.js';
import { BoardFiles, TEMP_SUFFIX } from '../../../electron/common/board/files/BoardFiles.js';
import type { Link } from '../../../electron/common/link/Link.js';
import { nodeCodec } from '../../../electron/node/services/nodeCodec.js';
import { interceptWrites, startBoardOnPty, type BoardOnPty } from './engineOnPty.js';
import { makeRandomBinary } from '../../bench/upload.js';

/** A link that silently loses `count` bytes of the first write containing `marker`, as line noise would. */
function lossyLink(inner: Link, marker: Uint8Array, count: number): Link & { dropped: number } {
  let dropped = 0;
  const link = interceptWrites(inner, (data, pass) => {
    const at = dropped === 0 ? Buffer.from(data).indexOf(Buffer.from(marker)) : -1;
    if (at < 0) return pass(data);
    dropped = count;
    return pass(Buffer.concat([data.subarray(0, at), data.subarray(at + count)]));
  });
  return Object.defineProperty(link, 'dropped', { get: () => dropped }) as Link & { dropped: number };
}

describe('lost bytes during a streamed upload', () => {
  let engine: BoardOnPty | undefined;
  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
  });

  it('fails the write, frees the board from its receive loop, and keeps the old file', async () => {
    const data = makeRandomBinary(20_000, 0x1053);
    const marker = data.subarray(6000, 6016);
    let lossy: ReturnType<typeof lossyLink> | undefined;
    engine = await startBoardOnPty({ model: 'uart' }, (link) => (lossy = lossyLink(link, marker, 5)));
    // A short ack wait keeps the test quick; the default allows for slow flash.
    const files = new BoardFiles(engine.session, nodeCodec, { CHUNK_ACK_BASE_MS: 800 });
    const old = new TextEncoder().encode('the old firmware config\n');
    // The marker is not in the old content, so this write passes untouched.
    await files.write('/config.bin', old);

    const started = Date.now();
    const failure = await files.write('/config.bin', data).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(lossy!.dropped).toBe(5);
    expect(failure).toBeInstanceOf(BoardError);
    // Mostly the board notices itself (a chunk header read from the middle of the data is too long);
    // else it waits for bytes that never come, and the host's wait for its credit times out.
    const { code, message } = failure as BoardError;
    if (code === 'VERIFY_FAILED') expect(message).toMatch(/Bytes were lost on the line while uploading .*kept the old file/);
    else {
      expect(code).toBe('TIMEOUT');
      expect(message).toMatch(/did not answer while uploading/);
    }
    expect(Date.now() - started).toBeLessThan(15_000);

    // The board answers again (Ctrl-C works: the receive loop restored it), and nothing was damaged.
    const alive = await engine.session.exec('print(6*7)');
    expect(alive.stdout.trim()).toBe('42');
    expect(new TextDecoder().decode(await files.read('/config.bin'))).toBe('the old firmware config\n');
    const names = (await files.list('/')).map((e) => e.name);
    expect(names.some((n) => n.endsWith(TEMP_SUFFIX))).toBe(false);

    // And the same upload goes through once the line behaves.
    const result = await files.write('/config.bin', data);
    expect(result.hashVerified).toBe(true);
  });
});
