/**
 * Batches a busy event stream before it crosses IPC or the WebSocket, as
 * Hyper does for terminal output: items pushed within one interval leave as
 * one batch, and a batch that reaches its size cap leaves at once, so a
 * program printing 1 MB (or a broker pushing thousands of messages a second)
 * becomes a few dozen events instead of thousands, which froze peers' UIs.
 * Order is kept and nothing is dropped; what a batch looks like (joined text,
 * an array of messages) is the `merge` function's choice.
 */

/** One frame at 60 Hz: output appears live, yet tiny pushes are merged. */
export const BATCH_DURATION_MS = 16;

export interface EventBatcherOptions<T, B> {
  /** Turns the items of one batch into what is sent. */
  merge(items: T[]): B;
  /** Receives each batch. */
  send(batch: B): void;
  /** The size of one item (characters, bytes, messages); default 1. */
  sizeOf?(item: T): number;
  /** A batch of at least this size is sent at once, without waiting for the timer. */
  maxBatchSize: number;
  durationMs?: number;
}

export class EventBatcher<T, B = T[]> {
  private pending: T[] = [];
  private pendingSize = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly durationMs: number;

  constructor(private readonly options: EventBatcherOptions<T, B>) {
    this.durationMs = options.durationMs ?? BATCH_DURATION_MS;
  }

  /** Items waiting for the next batch. */
  get size(): number {
    return this.pendingSize;
  }

  push(item: T): void {
    this.pending.push(item);
    this.pendingSize += this.options.sizeOf?.(item) ?? 1;
    if (this.pendingSize >= this.options.maxBatchSize) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.durationMs);
  }

  /** Sends what is pending now. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.pendingSize = 0;
    this.options.send(this.options.merge(items));
  }
}
