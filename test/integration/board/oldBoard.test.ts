/**
 * The engine on a 1.9-era board: the virtual board's '1.9-minimal' profile
 * (flat filesystem, no raw-paste, no stdin, no hashlib or binascii, a 10 KB
 * heap, a 64-byte UART receive buffer) on a pseudo-terminal at 115200 baud,
 * opened with SerialLink as a real board would be.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePythonSource, makeRandomBinary } from '../../bench/upload.js';
import { startBoardOnPty, type BoardOnPty } from './engineOnPty.js';

describe('the engine on a 1.9-era board', () => {
  let b: BoardOnPty;
  beforeAll(async () => {
    b = await startBoardOnPty({ model: 'uart', baud: 115200, profile: '1.9-minimal' });
  });
  afterAll(async () => {
    await b?.stop();
  });

  it('probes what the board has: no raw-paste, no folders, no hash, no stdin', async () => {
    const info = await b.session.probe();
    expect(info.version).toBe('1.9.3');
    expect(info.rawPaste).toBe(false);
    expect(info.has).toMatchObject({ mkdir: false, rename: false, stat: false, size: true, sha256: false, a2bBase64: false, stdinBuffer: false });
    expect(info.freeHeapBytes).toBeLessThan(12 * 1024);
  });

  it('lists an empty board as empty', async () => {
    await expect(b.files.list('/')).resolves.toEqual([]);
  });

  it('uploads 50 KB of source over the 64-byte buffer without a dropped byte, checked and copied into place', async () => {
    const source = new TextEncoder().encode(makePythonSource(50 * 1024));
    const dropsBefore = b.board.stats.rxDroppedBytes;
    const result = await b.files.write(':main.py'.slice(1), source);
    expect(result).toMatchObject({ skipped: false, bytes: source.length, encoding: 'repr', atomic: false, hashVerified: false });
    expect(b.board.stats.rxDroppedBytes - dropsBefore).toBe(0);
    // `main.py` and `/main.py` are one file on a flat filesystem; no temporary file is left.
    await expect(b.files.list('/')).resolves.toEqual([{ path: '/main.py', name: 'main.py', type: 'file', size: source.length }]);
    expect(Buffer.from(await b.files.read('/main.py')).equals(Buffer.from(source))).toBe(true);
    await expect(b.files.stat('main.py')).resolves.toMatchObject({ path: '/main.py', type: 'file', size: source.length });
  });

  it('replaces a file with binary data, reads it back, and removes it', async () => {
    const data = makeRandomBinary(3000, 19);
    await b.files.write('/main.py', data);
    expect(Buffer.from(await b.files.read('main.py')).equals(Buffer.from(data))).toBe(true);
    await b.files.remove('/main.py');
    await expect(b.files.list('/')).resolves.toEqual([]);
    await expect(b.files.read('/main.py')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('says there are no folders', async () => {
    await expect(b.files.mkdir('/lib')).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/no folders/) });
    await expect(b.files.write('/lib/x.py', new Uint8Array(3))).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/no folders/) });
    await expect(b.files.list('/lib')).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/no folders/) });
    await expect(b.files.diskUsage('/')).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('runs code, with no byte dropped all along', async () => {
    const { stdout } = await b.session.exec('print(6*7)');
    expect(stdout.trim()).toBe('42');
    expect(b.board.stats.rxDroppedBytes).toBe(0);
  });
});
