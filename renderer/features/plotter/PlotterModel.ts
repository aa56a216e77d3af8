/**
 * The plotter's data: numbers a program prints, one sample per line, as
 * Thonny's plotter reads them. A line is a sample when it holds at least one
 * number and nothing but numbers and labels:
 *   `21.5 40`, `21.5, 40`          -> series "1" and "2" (by position)
 *   `t=21.5 h=40`, `t: 21.5, h: 40` -> series "t" and "h"
 *   `temp 21.5 hum 40`             -> a word before a number names it
 * Anything else (the REPL's prompts and echo, tracebacks, prose) is not.
 *
 * Output arrives in chunks that split lines anywhere; a line counts once its
 * end arrived. Each series keeps its last MAX_POINTS samples. Pure: no DOM.
 */

export interface PlotSample {
  /** When the line arrived (ms since the epoch). */
  time: number;
  /** Values by series name. */
  values: ReadonlyMap<string, number>;
}

/** Samples kept (the oldest go first): minutes of a program printing ten lines a second. */
export const MAX_POINTS = 2000;
/** A line longer than this is not a sample (a dump, not a reading), and a partial line is dropped past it. */
const MAX_LINE = 400;

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const LABEL = /^[A-Za-z_][\w.\-[\]()]*$/;
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** The values of one printed line, or undefined when it is not a sample. */
export function parseSampleLine(line: string): Map<string, number> | undefined {
  const text = line.replace(ANSI, '').trim();
  if (text === '' || text.length > MAX_LINE || text.startsWith('>>>') || text.startsWith('...')) return undefined;
  const tokens = text.split(/[\s,;]+/).filter((t) => t !== '');
  const values = new Map<string, number>();
  let label: string | undefined;
  let position = 0;
  for (const token of tokens) {
    const pair = /^([A-Za-z_][\w.\-[\]()]*)[=:](.*)$/.exec(token);
    if (pair) {
      if (pair[2] === '') {
        // "t:" or "t=" with the number in the next token.
        label = pair[1];
        continue;
      }
      if (!NUMBER.test(pair[2]!)) return undefined;
      values.set(pair[1]!, Number(pair[2]));
      label = undefined;
      continue;
    }
    if (NUMBER.test(token)) {
      position++;
      values.set(label ?? String(position), Number(token));
      label = undefined;
      continue;
    }
    if (!LABEL.test(token) || label !== undefined) return undefined;
    label = token;
  }
  if (label !== undefined || values.size === 0) return undefined;
  return values;
}

export class PlotterModel {
  private partial = '';
  private samples: PlotSample[] = [];
  /** Series names in the order they first appeared. */
  private names: string[] = [];
  private changes = 0;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Bumped whenever samples are added or cleared. */
  get version(): number {
    return this.changes;
  }

  get series(): readonly string[] {
    return this.names;
  }

  get points(): readonly PlotSample[] {
    return this.samples;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** A chunk of the board's output, as the terminal gets it. */
  feed(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split(/\r?\n|\r/);
    this.partial = lines.pop() ?? '';
    if (this.partial.length > MAX_LINE) this.partial = '';
    let added = false;
    const time = this.now();
    for (const line of lines) {
      const values = parseSampleLine(line);
      if (!values) continue;
      for (const name of values.keys()) if (!this.names.includes(name)) this.names.push(name);
      this.samples.push({ time, values });
      added = true;
    }
    if (!added) return;
    if (this.samples.length > MAX_POINTS) this.samples = this.samples.slice(this.samples.length - MAX_POINTS);
    this.changed();
  }

  clear(): void {
    this.samples = [];
    this.names = [];
    this.partial = '';
    this.changed();
  }

  /** The samples as CSV: the time (ISO 8601), then a column per series; a series a line did not have is empty. */
  toCsv(): string {
    const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const rows = [['time', ...this.names].map(quote).join(',')];
    for (const sample of this.samples) {
      rows.push([new Date(sample.time).toISOString(), ...this.names.map((n) => (sample.values.has(n) ? String(sample.values.get(n)) : ''))].join(','));
    }
    return rows.join('\n') + '\n';
  }

  private changed(): void {
    this.changes++;
    for (const listener of this.listeners) listener();
  }
}
