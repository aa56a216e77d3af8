/** Output of the command bodies: lines and JSON on stdout, rates, a progress line on stderr (sizes: common/util/format.ts). */
import { formatBytes } from '../../common/util/format.js';
import type { CommandContext } from '../commandTable.js';

export { formatBytes };

export function print(ctx: CommandContext, text: string): void {
  ctx.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function formatRate(bytes: number, ms: number): string {
  if (ms <= 0) return '';
  return `${formatBytes(Math.round((bytes * 1000) / ms))}/s`;
}

/**
 * A single progress line, redrawn in place on a terminal and silent otherwise
 * (so scripts that capture stderr do not get hundreds of lines).
 */
export class ProgressLine {
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  private get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  update(label: string, done: number, total: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && done < total) return;
    this.lastDraw = now;
    const width = 24;
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    const bar = total > 0 ? '[' + '#'.repeat(Math.round(fraction * width)).padEnd(width, '.') + ']' : '';
    const amount = total > 0 ? `${formatBytes(done)} / ${formatBytes(total)}` : formatBytes(done);
    this.stream.write(`\r\x1b[2K${label} ${bar} ${amount}`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn && this.enabled) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}
