/** Bridge functions for the chip itself: identity, resets, flash usage. */
import type { BridgeContext } from './pinwheelModule.js';

/** machine.reset_cause(): always a power-on reset (machine.PWRON_RESET). */
const PWRON_RESET = 1;

export function systemFunctions(context: Pick<BridgeContext, 'uniqueId' | 'output' | 'flash' | 'isRawMode' | 'reset'>) {
  const { uniqueId, output, flash, isRawMode, reset } = context;
  return {
    /** Hex: the bridge hands Python numbers and strings only (see sandbox/JsBoundary.ts). */
    unique_id: () => Buffer.from(uniqueId).toString('hex'),
    reset_cause: () => PWRON_RESET,
    hard_reset: () => reset('hard'),
    soft_reset: () => {
      const raw = isRawMode();
      // What pyexec prints when a raw-REPL command ends in a forced exit.
      if (raw) output.emit('\x04\x04');
      reset(raw ? 'soft-raw' : 'soft-friendly');
    },
    flash_used_blocks: () => flash.usedBlocks(),
  };
}
