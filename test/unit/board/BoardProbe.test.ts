import { describe, expect, it } from 'vitest';
import { parseProbeOutput, probeCode } from '../../../electron/common/board/BoardProbe.js';
import { chooseEncoding, planTransfer } from '../../../electron/common/board/files/BoardFiles.js';

const MICROBIT_V1 = [
  'impl\tmicropython',
  'ver\t1.9.2',
  'vtext\tmicro:bit v1.0.1+b0bf4a9 on 2018-12-13; MicroPython v1.9.2-34-gd64154c73 on 2017-09-01',
  'mach\tmicro:bit with nRF51822',
  'plat\tmicrobit',
  'heap\t9856',
  // One 0/1 per feature in the probe's order: ilistdir listdir stat size mkdir rmdir remove rename statvfs
  // sha256 a2b_base64 b2a_base64 DeflateIO IOBase stdin.buffer stdout.buffer kbd_intr.
  'has\t01010010000000000',
  '',
].join('\r\n');

describe('probe', () => {
  it('keeps the probe command small enough for a 10 KB heap and free of f-strings', () => {
    const code = probeCode();
    expect(new TextEncoder().encode(code).length).toBeLessThan(1024);
    expect(code).not.toMatch(/\bf"/);
    expect(code).not.toMatch(/\bf'/);
  });

  it('parses a 1.9-era answer and chooses the repr transfer', () => {
    const info = parseProbeOutput(MICROBIT_V1);
    expect(info).toMatchObject({ implementation: 'micropython', version: '1.9.2', versionTuple: [1, 9, 2], platform: 'microbit', machine: 'micro:bit with nRF51822', freeHeapBytes: 9856 });
    expect(info.has).toMatchObject({ listdir: true, size: true, remove: true, ilistdir: false, stat: false, sha256: false, deflate: false, stdinBuffer: false, rename: false });
    expect(chooseEncoding(info)).toBe('repr');
    const plan = planTransfer(info);
    expect(plan.commandBytes).toBeLessThanOrEqual(1024);
    expect(plan.chunkBytes).toBeLessThanOrEqual(1024);
  });

  it('chooses the stream for modern boards and sizes chunks from the heap', () => {
    const info = parseProbeOutput(MICROBIT_V1.replace('heap\t9856', 'heap\t150000').replace('has\t01010010000000000', 'has\t01010010000000101'));
    expect(info.has).toMatchObject({ stdinBuffer: true, kbdIntr: true, stdoutBuffer: false, listdir: true });
    expect(chooseEncoding(info)).toBe('stream');
    expect(planTransfer(info).chunkBytes).toBe(8192);
    expect(planTransfer({ ...info, freeHeapBytes: 40_000 }).chunkBytes).toBe(2048);
    expect(planTransfer({ ...info, freeHeapBytes: 40_000 }).wbits).toBe(11);
    // A streamed upload is one deflate stream: its window grows with the heap, to a quarter of it at most.
    expect(planTransfer(info).streamWbits).toBe(15);
    expect(planTransfer({ ...info, freeHeapBytes: 99_553 }).streamWbits).toBe(14);
    expect(planTransfer({ ...info, freeHeapBytes: 40_000 }).streamWbits).toBe(13);
    expect(planTransfer({ ...info, freeHeapBytes: 3000 }).streamWbits).toBe(9);
  });

  it('rejects an answer that is not a probe answer', () => {
    expect(() => parseProbeOutput('Traceback...\r\n')).toThrow(/lacks "ver"/);
    expect(() => parseProbeOutput(MICROBIT_V1.replace('has\t01010010000000000', 'has\tos.stat 1'))).toThrow(/not 0s and 1s/);
  });
});
