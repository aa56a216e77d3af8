import { describe, expect, it } from 'vitest';
import { MAX_POINTS, parseSampleLine, PlotterModel } from '../../../../renderer/features/plotter/PlotterModel.js';

const parsed = (line: string) => {
  const values = parseSampleLine(line);
  return values ? Object.fromEntries(values) : undefined;
};

describe('what the plotter reads from a printed line', () => {
  it('reads numbers by position, by key=value or key: value, and by a word before a number', () => {
    expect(parsed('21.5 40')).toEqual({ 1: 21.5, 2: 40 });
    expect(parsed('21.5, -40, 1e3')).toEqual({ 1: 21.5, 2: -40, 3: 1000 });
    expect(parsed('t=21.5 h=40')).toEqual({ t: 21.5, h: 40 });
    expect(parsed('t: 21.5, h: 40')).toEqual({ t: 21.5, h: 40 });
    expect(parsed('temp 21.5 hum 40')).toEqual({ temp: 21.5, hum: 40 });
    expect(parsed('\x1b[0m7\r')).toEqual({ 1: 7 });
  });

  it('leaves out what is not a reading: prompts, echo, tracebacks, prose, empty lines', () => {
    for (const line of ['>>> print(1, 2)', '... x = 1', 'Traceback (most recent call last):', '  File "main.py", line 3, in <module>', 'hello world', 'temp is 21', '', 't=abc', 'temp', 'x = 1']) {
      expect(parsed(line), line).toBeUndefined();
    }
  });
});

describe('the plotter model', () => {
  it('joins lines split across chunks, keeps series in the order they appeared, and exports CSV', () => {
    let now = Date.UTC(2026, 10, 30, 8, 0, 0);
    const model = new PlotterModel(() => now);
    model.feed('t=21');
    expect(model.points).toHaveLength(0);
    model.feed('.5 h=40\r\n>>> ');
    now += 1000;
    model.feed('print(1)\r\nt=22 h=41 p=1000\r\nnot a sample\r\n');
    expect(model.series).toEqual(['t', 'h', 'p']);
    expect(model.points.map((p) => Object.fromEntries(p.values))).toEqual([
      { t: 21.5, h: 40 },
      { t: 22, h: 41, p: 1000 },
    ]);
    expect(model.toCsv()).toBe('time,t,h,p\n2026-11-30T08:00:00.000Z,21.5,40,\n2026-11-30T08:00:01.000Z,22,41,1000\n');
  });

  it(`keeps the last ${MAX_POINTS} samples, tells listeners, and clears`, () => {
    const model = new PlotterModel();
    let told = 0;
    model.onDidChange(() => told++);
    model.feed(Array.from({ length: MAX_POINTS + 10 }, (_, i) => `${i}\n`).join(''));
    expect(model.points).toHaveLength(MAX_POINTS);
    expect(model.points[0]!.values.get('1')).toBe(10);
    expect(told).toBe(1);
    model.clear();
    expect(model.points).toHaveLength(0);
    expect(model.series).toEqual([]);
  });
});
