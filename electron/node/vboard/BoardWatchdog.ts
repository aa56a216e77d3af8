/**
 * The ESP32's watchdog timer as the host runs it: once machine.WDT started it,
 * the board resets unless Python feeds it within its timeout. It runs on the
 * main thread, so a program stuck in `while True: pass` (which never calls the
 * bridge) is still reset, as a real watchdog resets a hung chip. Feeds arrive
 * as a counter in shared memory (CTL.WDT_FEEDS): feeding costs no message.
 */
import { CTL } from './boardProtocol.js';

/** How often the feed counter is checked at most; a shorter timeout is checked four times per timeout. */
const MAX_CHECK_MS = 20;

export class BoardWatchdog {
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastFeeds = 0;
  private lastFedAt = 0;

  constructor(
    private readonly ctl: Int32Array,
    private readonly onExpired: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Starts watching (or changes the timeout, counting from now, as WDT(timeout=...) does on a board). */
  start(timeoutMs: number): void {
    this.stop();
    this.lastFeeds = Atomics.load(this.ctl, CTL.WDT_FEEDS);
    this.lastFedAt = this.now();
    const check = (): void => {
      const feeds = Atomics.load(this.ctl, CTL.WDT_FEEDS);
      const now = this.now();
      if (feeds !== this.lastFeeds) {
        this.lastFeeds = feeds;
        this.lastFedAt = now;
      } else if (now - this.lastFedAt >= timeoutMs) {
        this.stop();
        this.onExpired();
      }
    };
    this.timer = setInterval(check, Math.max(1, Math.min(MAX_CHECK_MS, timeoutMs / 4)));
  }

  /** The chip reset: its watchdog is off until the next program starts one. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
