/**
 * Bridge functions for the time module: waits that a Ctrl-C ends, and the
 * tick counters. Both are where a program with a fixed heap gets its garbage
 * collected (see HeapCollector).
 */
import type { BridgeContext } from './pinwheelModule.js';

export function timeFunctions({ waiter, clock, collector }: Pick<BridgeContext, 'waiter' | 'clock' | 'collector'>) {
  return {
    /** Sleeps; true when a Ctrl-C cut it short (the caller then raises it at once). */
    wait_ms: (ms: number) => {
      collector?.point('sleep');
      return waiter.sleep(ms);
    },
    ticks_ms: () => {
      collector?.point('busy');
      return clock.ticksMs();
    },
    ticks_us: () => {
      collector?.point('busy');
      return clock.ticksUs();
    },
  };
}
