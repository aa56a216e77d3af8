// Smoke test of the CLI benchmark's core on small files, so `npm test` exercises
// the benchmark code (test/bench/cliPut.ts). Its bounds are judged only by the
// benchmark itself (`npm run bench`), never by a timed test.
import { describe, expect, it } from 'vitest';
import { BOARDS, formatCliReport, parsePhases, runCliBenchmark } from '../../bench/cliPut.js';

describe('CLI benchmark core', () => {
  it('reads the phase lines PINWHEEL_TIMING prints', () => {
    const phases = parsePhases('pinwheel timing: start 101.5 ms\nother text\npinwheel timing: put /a.py: data 40.0 ms\npinwheel timing: put /a.py: data 2.0 ms\n');
    expect([...phases]).toEqual([
      ['start', 101.5],
      ['put /a.py: data', 42],
    ]);
  });

  it('times put and exec as child processes against a virtual board on a pty, and reports them with their conditions', async () => {
    const r = await runCliBenchmark({ sourceBytes: 3000, binaryBytes: 2000, runs: 1 });
    expect(r.conditions).toEqual({ baud: 115200, lineBytesPerSecond: 11520, rxBufferBytes: 256, model: 'uart', runs: 1 });
    expect(r.binary).toBeDefined();
    for (const series of [r.source, r.binary!, r.exec]) {
      expect(series.seconds).toHaveLength(1);
      expect(series.medianSeconds).toBeGreaterThan(0);
      // Every call ran with PINWHEEL_TIMING=1: the phases came back.
      expect(series.phases.get('start')).toBeGreaterThan(0);
      expect(series.phases.has('close')).toBe(true);
    }
    expect(r.source.intact).toBe(true);
    expect(r.binary!.intact).toBe(true);
    expect(r.rxDroppedBytes).toBe(0);
    expect(r.source.deflatedBytes).toBeGreaterThan(0);
    expect(r.source.deflatedBytes).toBeLessThan(3000);
    expect([...r.source.phases.keys()]).toEqual(expect.arrayContaining(['put /node_main.py: prepare', 'put /node_main.py: data', 'put /node_main.py: verify']));
    expect(r.exec.engineMedianSeconds).toBeGreaterThan(0);
    const { text } = formatCliReport(r);
    expect(text).toMatch(/115200 baud/);
    expect(text).toMatch(/best deflate \(zlib raw, windowBits 15, level 9\): \d+ B; bound/);
    expect(text).toMatch(/% of the line rate/);
    expect(text).toMatch(/engine part \(open the port, raw prompt, run, close\): median [\d.]+ s/);
  });

  it('measures the 1.9 board against its own bound: a share of the line rate, and no dropped byte', async () => {
    const old = BOARDS.find((b) => b.options.profile === '1.9-minimal')!;
    const r = await runCliBenchmark({ sourceBytes: 3000, binaryBytes: 2000, runs: 1, board: old });
    expect(r.conditions.rxBufferBytes).toBe(64);
    expect(r.binary).toBeUndefined();
    expect(r.source.intact).toBe(true);
    expect(r.rxDroppedBytes).toBe(0);
    const { text } = formatCliReport(r);
    expect(text).toMatch(/MicroPython 1\.9/);
    expect(text).toMatch(/rate start to exit: \d+ B\/s = [\d.]+% of the line rate; bound >= 60%/);
    expect(text).toMatch(/receive buffer over all runs: 0; bound 0: PASS/);
  });
});
