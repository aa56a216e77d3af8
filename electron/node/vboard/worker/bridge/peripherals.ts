/**
 * Bridge functions for the peripherals of the board's `machine` module whose
 * state the host shows or sets (BoardPeripherals on the main thread): PWM,
 * DAC, bitstream and UART output go out as messages; analog and touch inputs
 * are read from shared memory the host writes.
 */
import { CTL, PIN_COUNT, type PeripheralKind } from '../../boardProtocol.js';
import type { BridgeContext } from './pinwheelModule.js';

const KINDS: ReadonlySet<string> = new Set<PeripheralKind>(['pwm', 'dac', 'bitstream', 'uart']);

export function peripheralFunctions({ channel, output }: Pick<BridgeContext, 'channel' | 'output'>) {
  const isPin = (pin: number): boolean => Number.isInteger(pin) && pin >= 0 && pin < PIN_COUNT;
  return {
    /** Reports what Python set on a peripheral (see PeripheralKind for `value`). */
    periph_report: (kind: string, pin: number, value: string) => {
      if (!KINDS.has(kind) || !isPin(pin) || typeof value !== 'string') return;
      output.flush(true); // keep output and peripheral changes in the order they happened
      channel.post({ type: 'peripheral', kind: kind as PeripheralKind, pin, value });
    },
    /** Microvolts the host applies to a pin. */
    analog_in: (pin: number) => (isPin(pin) ? Atomics.load(channel.ctl, CTL.ANALOG_INPUT_BASE + pin) : 0),
    /** 1 while the host touches the pin. */
    touch_in: (pin: number) => (isPin(pin) ? Atomics.load(channel.ctl, CTL.TOUCH_INPUT_BASE + pin) : 0),
  };
}
