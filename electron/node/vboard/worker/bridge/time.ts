/** Bridge functions for the time module: waits that a Ctrl-C ends, and the tick counters. */
import type { BridgeContext } from './pinwheelModule.js';

export function timeFunctions({ waiter, clock }: Pick<BridgeContext, 'waiter' | 'clock'>) {
  return {
    /** Sleeps; true when a Ctrl-C cut it short (the caller then raises it at once). */
    wait_ms: (ms: number) => waiter.sleep(ms),
    ticks_ms: () => clock.ticksMs(),
    ticks_us: () => clock.ticksUs(),
  };
}
