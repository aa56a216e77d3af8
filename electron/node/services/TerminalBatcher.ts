/**
 * Board output on its way to the terminal: bytes decoded with a streaming
 * UTF-8 decoder (a character split across two serial reads must not become two
 * replacement characters), then batched by the shared EventBatcher into
 * `terminal.data` events. Nothing is dropped.
 */
import { EventBatcher } from '../../common/api/EventBatcher.js';

export { BATCH_DURATION_MS } from '../../common/api/EventBatcher.js';
/** A batch this large goes out at once instead of waiting for the timer. */
export const BATCH_MAX_CHARS = 64 * 1024;

export interface TerminalBatcherOptions {
  durationMs?: number;
  maxChars?: number;
}

export class TerminalBatcher {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly batcher: EventBatcher<string, string>;
  /** The last text pushed ended its line: a note needs no line break of its own. */
  private atLineStart = true;

  constructor(sink: (data: string) => void, options: TerminalBatcherOptions = {}) {
    this.batcher = new EventBatcher<string, string>({
      merge: (texts) => texts.join(''),
      send: sink,
      sizeOf: (text) => text.length,
      maxBatchSize: options.maxChars ?? BATCH_MAX_CHARS,
      ...(options.durationMs !== undefined ? { durationMs: options.durationMs } : {}),
    });
  }

  /** Raw bytes from the board (the friendly REPL passthrough). */
  pushBytes(bytes: Uint8Array): void {
    this.pushText(this.decoder.decode(bytes, { stream: true }));
  }

  /** Text the engine already decoded (a running program's stdout and traceback). */
  pushText(text: string): void {
    if (!text) return;
    this.atLineStart = text.endsWith('\n');
    this.batcher.push(text);
  }

  /** A dim line from Pinwheel itself (not the board), on a line of its own, as the page's own notes look. */
  pushNote(text: string): void {
    this.pushText(`${this.atLineStart ? '' : '\r\n'}\x1b[2m${text}\x1b[0m\r\n`);
  }

  /** Sends what is pending now. */
  flush(): void {
    this.batcher.flush();
  }

  /** Flushes, including a character the decoder still holds half of (as U+FFFD). */
  dispose(): void {
    const tail = this.decoder.decode();
    if (tail) this.batcher.push(tail);
    this.flush();
  }
}
