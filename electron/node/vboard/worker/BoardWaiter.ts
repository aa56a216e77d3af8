/**
 * The one way the board's interpreter thread waits: for time to pass, for
 * received bytes, or for both. Every blocking thing the board offers (sleeps,
 * stdin reads, select.poll on stdin, the clock the interpreter's own busy
 * loops read) goes through `waitUntil`, so each ends the same way when a
 * KeyboardInterrupt is pending, and none keeps state of its own that an
 * interrupt could leave behind.
 *
 * (The bug this replaces: sleeps were cut short by jumping the clock forward
 * on Ctrl-C; the jump stayed, and the next sleep computed its remaining time
 * from the real clock against the jumped one and waited about 25 days.)
 */
import { CTL, STOP_TERMINATE } from '../boardProtocol.js';

export type WaitEnd = 'ready' | 'timeout' | 'interrupted';

/** Longest single Atomics.wait: the thread re-checks stop requests at least this often. */
const MAX_PARK_MS = 500;
/**
 * Below this the thread spins on the clock instead of parking: waking from
 * Atomics.wait costs tens of microseconds, which sleep_us(50) would show.
 */
const SPIN_BELOW_MS = 0.2;

export interface WaiterHooks {
  /** True while a KeyboardInterrupt waits to be raised. */
  interruptPending(): boolean;
  /** About to block: send what was printed, so output is never held while the board sleeps. */
  beforeBlock(): void;
  /** The host asked for a clean stop (save flash, say so); must not return. */
  onStopRequested(): never;
}

export class BoardWaiter {
  constructor(
    private readonly ctl: Int32Array,
    private readonly hooks: WaiterHooks,
  ) {}

  /**
   * Waits until `ready()` holds, the clock reaches `deadline` (performance.now()
   * milliseconds; Infinity waits for readiness alone) or an interrupt is pending.
   * An interrupt wins over readiness, as a board's UART interrupt runs first.
   */
  waitUntil(deadline: number, ready?: () => boolean): WaitEnd {
    let blocked = false;
    for (;;) {
      // Read the wake sequence before testing conditions: a wake that lands
      // between the tests and the park then returns the park at once.
      const seq = Atomics.load(this.ctl, CTL.WAKE_SEQ);
      this.checkStop();
      if (this.hooks.interruptPending()) return 'interrupted';
      if (ready?.()) return 'ready';
      const left = deadline - performance.now();
      if (left <= 0) return 'timeout';
      if (!blocked) {
        this.hooks.beforeBlock();
        blocked = true;
        continue;
      }
      if (left < SPIN_BELOW_MS) continue;
      Atomics.wait(this.ctl, CTL.WAKE_SEQ, seq, Math.min(left - SPIN_BELOW_MS / 2, MAX_PARK_MS));
    }
  }

  /** Sleeps `ms` (fractions allowed); true when a KeyboardInterrupt cut it short. */
  sleep(ms: number): boolean {
    if (!(ms > 0)) return this.hooks.interruptPending();
    return this.waitUntil(performance.now() + ms) === 'interrupted';
  }

  private checkStop(): void {
    const stop = Atomics.load(this.ctl, CTL.STOP);
    if (stop === 0) return;
    // A worker.terminate() that lands while the thread is parked was seen to
    // never complete: when the host is ending the thread, leave on our own.
    if (stop === STOP_TERMINATE) process.exit(0);
    this.hooks.onStopRequested();
  }
}
