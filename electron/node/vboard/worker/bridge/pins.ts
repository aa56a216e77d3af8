/**
 * Bridge functions for machine.Pin: output levels go to the host as they
 * change, input levels come from it. Polling and toggling pins is where a
 * busy program with a fixed heap gets its garbage collected (HeapCollector).
 */
import { CTL, FLOATING, PIN_COUNT } from '../../boardProtocol.js';
import type { BridgeContext } from './pinwheelModule.js';

/** pinOut value of a pin Python never drove since reset: it reads the host's input level. */
const NOT_DRIVEN = -1;

export function pinFunctions({ channel, output, collector }: Pick<BridgeContext, 'channel' | 'output' | 'collector'>) {
  const pinOut = new Int8Array(PIN_COUNT).fill(NOT_DRIVEN);
  // machine.Pin checks its arguments, but `_pinwheel` itself is importable: a level for a pin that does not exist goes nowhere.
  const isPin = (pin: number): boolean => Number.isInteger(pin) && pin >= 0 && pin < PIN_COUNT;
  return {
    pin_count: () => PIN_COUNT,
    pin_set: (pin: number, level: number) => {
      collector?.point('busy');
      if (!isPin(pin)) return;
      const value = level ? 1 : 0;
      if (pinOut[pin] === value) return;
      pinOut[pin] = value;
      output.flush(true); // keep output and pin changes in the order they happened
      channel.post({ type: 'pin', pin, value });
    },
    pin_out: (pin: number) => (isPin(pin) ? Math.max(0, pinOut[pin]!) : 0),
    pin_in: (pin: number) => {
      collector?.point('busy');
      if (!isPin(pin)) return 0;
      return pinOut[pin] === NOT_DRIVEN ? Math.max(0, Atomics.load(channel.ctl, CTL.PIN_INPUT_BASE + pin)) : pinOut[pin];
    },
    /** Like pin_in, but FLOATING when neither Python nor the host drives the pin (its pull resistor then decides). */
    pin_level: (pin: number) => {
      collector?.point('busy');
      if (!isPin(pin)) return FLOATING;
      return pinOut[pin] === NOT_DRIVEN ? Atomics.load(channel.ctl, CTL.PIN_INPUT_BASE + pin) : pinOut[pin];
    },
  };
}
