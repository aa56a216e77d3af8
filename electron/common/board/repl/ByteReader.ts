/**
 * Buffers bytes from the board and lets the engine wait for what it expects
 * (a byte sequence, a count of bytes, silence), every wait bounded by a
 * timeout and an AbortSignal so no caller can hang on a silent board.
 */
import { concatBytes, describeBytes, indexOfBytes } from '../../util/bytes.js';
import { BoardError } from '../BoardError.js';
import { sleep } from '../../util/sleep.js';

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Becomes the TIMEOUT error's message; say what the user can do. */
  timeoutMessage: string | (() => string);
}

export interface ReadUntilOptions extends WaitOptions {
  /** Receives bytes before the pattern as soon as they are known not to be part of it (readUntil then returns none). */
  onData?: ((chunk: Uint8Array) => void) | undefined;
  /** Fail with PROTOCOL when more than this many bytes arrive without the pattern. */
  maxBytes?: number | undefined;
}

export function cancelledError(signal: AbortSignal | undefined): BoardError {
  const reason: unknown = signal?.reason;
  if (reason instanceof BoardError) return reason;
  return new BoardError('CANCELLED', 'The board operation was cancelled.', { cause: reason });
}

export class ByteReader {
  private buf = new Uint8Array(4096);
  private head = 0;
  private tail = 0;
  private notify: (() => void) | undefined;
  private failure: Error | undefined;

  get available(): number {
    return this.tail - this.head;
  }

  /** The buffered bytes, without consuming them (a view: copy before keeping). */
  peek(): Uint8Array {
    return this.buf.subarray(this.head, this.tail);
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.tail + chunk.length > this.buf.length) {
      const live = this.tail - this.head;
      if (live + chunk.length <= this.buf.length) {
        this.buf.copyWithin(0, this.head, this.tail);
      } else {
        const next = new Uint8Array((live + chunk.length) * 2);
        next.set(this.buf.subarray(this.head, this.tail), 0);
        this.buf = next;
      }
      this.head = 0;
      this.tail = live;
    }
    this.buf.set(chunk, this.tail);
    this.tail += chunk.length;
    this.notify?.();
  }

  /** Makes every current and future wait fail with `error` (the link is gone). */
  fail(error: Error): void {
    this.failure = error;
    this.notify?.();
  }

  /** Consumes and returns up to `n` bytes (all when omitted). */
  take(n = this.available): Uint8Array {
    const k = Math.min(n, this.available);
    const out = this.buf.slice(this.head, this.head + k);
    this.head += k;
    if (this.head === this.tail) this.head = this.tail = 0;
    return out;
  }

  clear(): Uint8Array {
    return this.take();
  }

  /**
   * Resolves with poll()'s first non-undefined result, re-polling whenever bytes
   * arrive; rejects on timeout, abort or link failure.
   */
  wait<T>(poll: () => T | undefined, opts: WaitOptions): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (fn: () => void) => {
        if (done) return;
        done = true;
        if (timer !== undefined) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        if (this.notify === check) this.notify = undefined;
        fn();
      };
      const onAbort = () => finish(() => reject(cancelledError(opts.signal)));
      const check = () => {
        if (done) return;
        let value: T | undefined;
        try {
          value = poll();
        } catch (err) {
          finish(() => reject(err));
          return;
        }
        if (value !== undefined) {
          const v = value;
          finish(() => resolve(v));
        } else if (this.failure) {
          const f = this.failure;
          finish(() => reject(f));
        }
      };
      if (opts.signal?.aborted) return onAbort();
      if (this.notify) return reject(new BoardError('PROTOCOL', 'Internal error: two reads of the board output at once.'));
      this.notify = check;
      check();
      if (done) return;
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      timer = setTimeout(() => {
        const msg = typeof opts.timeoutMessage === 'function' ? opts.timeoutMessage() : opts.timeoutMessage;
        finish(() => reject(new BoardError('TIMEOUT', msg)));
      }, opts.timeoutMs);
    });
  }

  /**
   * Consumes through `pattern` and returns the bytes before it. With `onData`
   * those bytes go to `onData` only and the result is empty: a program may
   * print for hours, and its output must not pile up here as well.
   */
  async readUntil(pattern: Uint8Array, opts: ReadUntilOptions): Promise<Uint8Array> {
    const onData = opts.onData;
    let streamedBytes = 0;
    let scanFrom = 0;
    return this.wait(() => {
      const data = this.peek();
      const i = indexOfBytes(data, pattern, scanFrom);
      if (i >= 0) {
        const before = this.take(i);
        this.take(pattern.length);
        if (!onData) return before;
        if (before.length) onData(before);
        return new Uint8Array(0);
      }
      // Everything but a possible pattern prefix at the end is settled.
      const settled = Math.max(0, data.length - (pattern.length - 1));
      if (onData && settled > 0) {
        streamedBytes += settled;
        onData(this.take(settled));
        scanFrom = 0;
      } else {
        scanFrom = settled;
      }
      const seen = streamedBytes + this.available;
      if (opts.maxBytes !== undefined && seen > opts.maxBytes) {
        throw new BoardError('PROTOCOL', `The board sent ${seen} bytes without the expected "${describeBytes(pattern)}": ${describeBytes(this.peek())}`);
      }
      return undefined;
    }, opts);
  }

  async readExactly(n: number, opts: WaitOptions): Promise<Uint8Array> {
    return this.wait(() => (this.available >= n ? this.take(n) : undefined), opts);
  }

  /** Discards input until none has arrived for `quietMs` (or `maxMs` passed); returns what was discarded. */
  async settle(quietMs: number, maxMs: number, signal?: AbortSignal): Promise<Uint8Array> {
    const discarded: Uint8Array[] = [this.take()];
    const start = Date.now();
    for (;;) {
      const left = maxMs - (Date.now() - start);
      if (left <= 0) break;
      try {
        await this.wait(() => (this.available > 0 ? true : undefined), {
          timeoutMs: Math.min(quietMs, left),
          signal,
          timeoutMessage: 'quiet',
        });
      } catch (err) {
        if (err instanceof BoardError && err.code === 'TIMEOUT') break;
        throw err;
      }
      discarded.push(this.take());
    }
    return concatBytes(discarded);
  }
}

/** An abortable pause whose cancellation reads as the engine's CANCELLED error. */
export function pauseOrCancel(ms: number, signal?: AbortSignal): Promise<void> {
  return sleep(ms, signal).catch(() => {
    throw cancelledError(signal);
  });
}
