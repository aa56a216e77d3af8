/**
 * The board's clocks: the one the interpreter's own C code reads, and the
 * tick counters Python's time module reads through the bridge.
 */
import type { BoardWaiter } from './BoardWaiter.js';

/** TICKS_PERIOD of MicroPython's time module: ticks_ms/ticks_us wrap at 2^30. */
const TICKS_PERIOD = 2 ** 30;
const US_PER_MS = 1000;

export class BoardClock {
  private lastTick = -1;

  constructor(private readonly waiter: BoardWaiter) {}

  /**
   * The interpreter's clock (the wasm's mp_js_ticks_ms import). Its own busy
   * loops (select.poll's wait, asyncio's) read it until time passes: called
   * again within the same millisecond, it waits for the next one, so a waiting
   * board costs no CPU, and returns at once when a Ctrl-C is pending so the
   * loop reaches the VM's interrupt check.
   */
  nativeTicksMs(): number {
    const now = Math.floor(performance.now());
    if (now !== this.lastTick) {
      this.lastTick = now;
      return now;
    }
    this.waiter.waitUntil(now + 1);
    this.lastTick = Math.floor(performance.now());
    return this.lastTick;
  }

  /** time.ticks_ms() */
  ticksMs(): number {
    return Math.floor(performance.now()) % TICKS_PERIOD;
  }

  /** time.ticks_us() (and ticks_cpu()) */
  ticksUs(): number {
    return Math.floor(performance.now() * US_PER_MS) % TICKS_PERIOD;
  }
}
