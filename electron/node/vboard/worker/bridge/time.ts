/**
 * Bridge functions for the time module: waits that a Ctrl-C ends, and the
 * tick counters. Both are where a program with a fixed heap gets its garbage
 * collected (see HeapCollector).
 */
import { CTL, PIN_COUNT } from '../../boardProtocol.js';
import type { BridgeContext } from './pinwheelModule.js';

export function timeFunctions({ waiter, clock, collector, channel, background }: Pick<BridgeContext, 'waiter' | 'clock' | 'collector' | 'channel' | 'background'>) {
  const inputs = (): Int32Array => channel.ctl.slice(CTL.PIN_INPUT_BASE, CTL.PIN_INPUT_BASE + PIN_COUNT);
  return {
    /**
     * Sleeps; true when a Ctrl-C cut it short (the caller then raises it at
     * once). With `watchPins`, it also ends as soon as the host changes an
     * input pin, so a Pin.irq handler runs while the program sleeps.
     */
    wait_ms: (ms: number, watchPins?: number) => {
      collector?.point('sleep');
      if (!watchPins) return waiter.sleep(ms);
      const before = inputs();
      const changed = (): boolean => inputs().some((level, i) => level !== before[i]);
      return waiter.waitUntil(performance.now() + Math.max(0, ms), changed) === 'interrupted';
    },
    /** The prelude's background work next wants to run in `delayMs` (negative: never), or at a pin change with `watchPins`. */
    service_at: (delayMs: number, watchPins: number) => {
      background?.schedule(delayMs, Boolean(watchPins));
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
