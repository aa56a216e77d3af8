/**
 * Board output on its way to the terminal, batched as Hyper does before it
 * crosses IPC: one event every BATCH_DURATION_MS at most, or sooner when a
 * batch reaches BATCH_MAX_CHARS, so 1 MB of output becomes a few dozen
 * messages instead of thousands (which froze peers' UIs). Bytes are decoded
 * with a streaming UTF-8 decoder, so a character split across two serial
 * reads is not turned into two replacement characters. Nothing is dropped.
 */

/** One frame at 60 Hz: output appears live, yet tiny reads are merged. */
export const BATCH_DURATION_MS = 16;
/** A batch this large goes out at once instead of waiting for the timer. */
export const BATCH_MAX_CHARS = 64 * 1024;

export interface TerminalBatcherOptions {
  durationMs?: number;
  maxChars?: number;
}

export class TerminalBatcher {
  private readonly decoder = new TextDecoder('utf-8');
  private pending: string[] = [];
  private pendingChars = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly durationMs: number;
  private readonly maxChars: number;

  constructor(
    private readonly sink: (data: string) => void,
    options: TerminalBatcherOptions = {},
  ) {
    this.durationMs = options.durationMs ?? BATCH_DURATION_MS;
    this.maxChars = options.maxChars ?? BATCH_MAX_CHARS;
  }

  /** Raw bytes from the board (the friendly REPL passthrough). */
  pushBytes(bytes: Uint8Array): void {
    const text = this.decoder.decode(bytes, { stream: true });
    if (text) this.pushText(text);
  }

  /** Text the engine already decoded (a running program's stdout and traceback). */
  pushText(text: string): void {
    if (!text) return;
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= this.maxChars) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.durationMs);
  }

  /** Sends what is pending now. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pendingChars === 0) return;
    const data = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    this.sink(data);
  }

  /** Flushes, including a character the decoder still holds half of (as U+FFFD). */
  dispose(): void {
    const tail = this.decoder.decode();
    if (tail) {
      this.pending.push(tail);
      this.pendingChars += tail.length;
    }
    this.flush();
  }
}
