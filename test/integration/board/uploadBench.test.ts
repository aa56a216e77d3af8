// Smoke test of the upload benchmark's core on small files, so `npm test`
// exercises the benchmark code. Performance targets are judged only by the
// benchmark itself (`npm run bench`), never by a timed test.
import { describe, expect, it } from 'vitest';
import { formatReport, makePythonSource, makeRandomBinary, runUploadBenchmark } from '../../bench/upload.js';
import { startBoardOnPty } from './engineOnPty.js';

describe('upload benchmark core', () => {
  it('generates deterministic data of exactly the asked size', () => {
    const src = makePythonSource(6000);
    expect(src.length).toBe(6000);
    expect(makePythonSource(6000)).toBe(src);
    // Not one line repeated: most lines are distinct.
    const lines = src.split('\n').filter((l) => l.trim().length > 20);
    expect(new Set(lines).size / lines.length).toBeGreaterThan(0.6);
    const bin = makeRandomBinary(4096);
    expect(bin.length).toBe(4096);
    expect(makeRandomBinary(4096)).toEqual(bin);
    expect(new Set(bin).size).toBe(256);
  });

  it('generates source that MicroPython compiles (real code, not filler)', async () => {
    const pty = await startBoardOnPty({ model: 'usb' });
    try {
      await pty.files.write('/gen.py', new TextEncoder().encode(makePythonSource(12_000, 7)));
      const out = await pty.session.exec('c=compile(open("gen.py").read(),"gen.py","exec")\nprint(type(c).__name__)\ndel c');
      expect(out.stdout.trim()).toBe('code');
    } finally {
      await pty.stop();
    }
  });

  it('uploads, verifies and skips unchanged files over SerialLink on the UART model', async () => {
    const r = await runUploadBenchmark({ sourceBytes: 6000, binaryBytes: 3000 });
    expect(r.conditions).toMatchObject({ baud: 115200, model: 'uart', rxBufferBytes: 256, lineBytesPerSecond: 11520 });
    expect(r.uploads.map((u) => [u.name, u.bytes, u.intact, u.result.skipped, u.result.encoding])).toEqual([
      ['python source', 6000, true, false, 'stream'],
      ['random binary', 3000, true, false, 'stream'],
    ]);
    for (const u of r.uploads) {
      expect(u.result.hashVerified).toBe(true);
      expect(u.result.wireBytes).toBeGreaterThan(0);
      expect(u.seconds).toBeGreaterThan(0);
    }
    // Source deflates; random binary cannot.
    expect(r.uploads[0]!.result.wireBytes).toBeLessThan(6000);
    expect(r.uploads[1]!.result.wireBytes).toBeGreaterThanOrEqual(3000);
    expect(r.reuploads.map((u) => [u.result.skipped, u.result.wireBytes, u.intact])).toEqual([
      [true, 0, true],
      [true, 0, true],
    ]);
    const { text } = formatReport(r);
    expect(text).toContain('python source');
    expect(text).toMatch(/skipped true, file data sent 0 B/);
  });
});
