/** Bridge functions for the chip itself: identity, resets and why it booted, sleeps, watchdog, flash usage, retained state. */
import { CTL, PIN_COUNT, WAKE_REASON } from '../../boardProtocol.js';
import type { BridgeContext } from './pinwheelModule.js';

type SystemContext = Pick<BridgeContext, 'uniqueId' | 'output' | 'flash' | 'isRawMode' | 'reset' | 'cause' | 'retained' | 'channel' | 'waiter'>;

export function systemFunctions(context: SystemContext) {
  const { uniqueId, output, flash, isRawMode, reset, cause, retained, channel, waiter } = context;
  const inputLevel = (pin: number): number => Atomics.load(channel.ctl, CTL.PIN_INPUT_BASE + pin);
  return {
    /** Hex: the bridge hands Python numbers and strings only (see sandbox/JsBoundary.ts). */
    unique_id: () => Buffer.from(uniqueId).toString('hex'),
    reset_cause: () => cause.resetCause,
    wake_reason: () => cause.wakeReason,
    hard_reset: () => reset('hard'),
    soft_reset: () => {
      const raw = isRawMode();
      // What pyexec prints when a raw-REPL command ends in a forced exit.
      if (raw) output.emit('\x04\x04');
      reset(raw ? 'soft-raw' : 'soft-friendly');
    },
    /**
     * machine.deepsleep(): the chip sleeps (nothing runs, Ctrl-C does not
     * wake it) until `ms` pass (ms <= 0: no timer) or, with `ext0Pin` >= 0,
     * that pin's input reaches `ext0Level`; then it boots with a deep-sleep reset.
     */
    deep_sleep: (ms: number, ext0Pin: number, ext0Level: number) => {
      const deadline = ms > 0 ? performance.now() + ms : Infinity;
      const watch = Number.isInteger(ext0Pin) && ext0Pin >= 0 && ext0Pin < PIN_COUNT;
      const woken = (): boolean => watch && inputLevel(ext0Pin) === (ext0Level ? 1 : 0);
      output.flush(true);
      // The watchdog is powered down with the rest of the chip: a long sleep is not a hang.
      channel.post({ type: 'watchdog', timeoutMs: 0 });
      while (!woken() && performance.now() < deadline) {
        // An interrupt ends a wait at once; deep sleep ignores it, so wait in slices while it is pending.
        if (waiter.waitUntil(deadline, woken) === 'interrupted') waiter.waitUntil(Math.min(deadline, performance.now() + 10), woken);
      }
      reset('deepsleep', woken() ? WAKE_REASON.EXT0 : WAKE_REASON.TIMER);
    },
    flash_used_blocks: () => flash.usedBlocks(),
    /** A value kept through resets (NVS, RTC memory); '' when none. */
    retain_get: (key: string) => (typeof key === 'string' ? (retained[key] ?? '') : ''),
    retain_set: (key: string, value: string) => {
      if (typeof key !== 'string' || typeof value !== 'string') return;
      retained[key] = value;
      channel.post({ type: 'retain', key, value });
    },
    // Both send what was printed so far: a program the watchdog will reset may never wait again,
    // and a hung board's last output (the raw REPL's OK included) still leaves a real chip's UART.
    wdt_start: (timeoutMs: number) => {
      output.flush(true);
      channel.post({ type: 'watchdog', timeoutMs: Math.max(1, Math.floor(timeoutMs)) });
    },
    wdt_feed: () => {
      output.flush(true);
      Atomics.add(channel.ctl, CTL.WDT_FEEDS, 1);
    },
  };
}
