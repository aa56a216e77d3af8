/**
 * Runs callbacks at given times (performance.now() milliseconds), strictly in
 * the order they were scheduled. Two of these model a UART's two directions:
 * bytes become visible only once they would have crossed the wire.
 */
export class Timeline {
  private items: Array<{ at: number; run: () => void }> = [];
  private timer: NodeJS.Timeout | undefined;

  /** `at` must not be earlier than the last scheduled item's (callers keep a running clock). */
  schedule(at: number, run: () => void): void {
    this.items.push({ at, run });
    this.arm();
  }

  clear(): void {
    this.items = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.timer || this.items.length === 0) return;
    const delay = Math.max(0, this.items[0]!.at - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain();
    }, delay);
  }

  private drain(): void {
    const now = performance.now();
    // setTimeout has millisecond granularity: run what is due within the next half millisecond.
    while (this.items.length > 0 && this.items[0]!.at <= now + 0.5) this.items.shift()!.run();
    this.arm();
  }
}
