/**
 * Board output into xterm with flow control. xterm parses writes in time
 * slices, so the page stays responsive, but every write not yet parsed sits
 * in its queue. The host cannot be paused (its batches keep coming), so
 * instead of handing xterm thousands of small strings this keeps at most
 * WRITE_HIGH_WATER_CHARS in flight and merges what arrives meanwhile into one
 * pending string, written when xterm's callback says it caught up. Nothing is dropped.
 */

/** Characters handed to xterm and not yet parsed, above which new output waits. */
export const WRITE_HIGH_WATER_CHARS = 256 * 1024;

/** The part of xterm's Terminal used here, so tests can supply a fake. */
export interface WritableTerminal {
  write(data: string, callback?: () => void): void;
}

export class TerminalWriter {
  private inFlight = 0;
  private pending: string[] = [];
  private pendingChars = 0;
  private written = 0;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(private readonly terminal: WritableTerminal) {}

  /** Characters xterm has parsed so far (what the benchmark and tests compare with what the board sent). */
  get charsWritten(): number {
    return this.written;
  }

  get backlogChars(): number {
    return this.inFlight + this.pendingChars;
  }

  write(data: string): void {
    if (!data) return;
    if (this.inFlight < WRITE_HIGH_WATER_CHARS && this.pending.length === 0) {
      this.send(data);
    } else {
      this.pending.push(data);
      this.pendingChars += data.length;
    }
  }

  /** Resolves once everything written so far has been parsed by xterm. */
  whenIdle(): Promise<void> {
    if (this.backlogChars === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private send(data: string): void {
    this.inFlight += data.length;
    this.terminal.write(data, () => {
      this.inFlight -= data.length;
      this.written += data.length;
      this.drain();
    });
  }

  private drain(): void {
    if (this.pending.length > 0 && this.inFlight < WRITE_HIGH_WATER_CHARS) {
      const merged = this.pending.join('');
      this.pending = [];
      this.pendingChars = 0;
      this.send(merged);
    }
    if (this.backlogChars === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
