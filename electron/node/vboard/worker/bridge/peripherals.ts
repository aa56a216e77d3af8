/**
 * Bridge functions for the peripherals of the board's `machine` module whose
 * state the host shows or sets (BoardPeripherals on the main thread): PWM,
 * DAC, bitstream and UART output go out as messages; analog and touch inputs
 * are read from shared memory the host writes.
 */
import { CTL, PART_INPUT_SLOTS, PIN_COUNT, type PeripheralKind, type UartRxShared } from '../../boardProtocol.js';
import { uartRxRing } from '../../RxRing.js';
import type { BridgeContext } from './pinwheelModule.js';

const KINDS: ReadonlySet<string> = new Set<PeripheralKind>(['pwm', 'dac', 'adc', 'bitstream', 'uart', 'oled']);

export function peripheralFunctions({
  channel,
  output,
  waiter,
  uartRx,
  partInputs,
}: Pick<BridgeContext, 'channel' | 'output' | 'waiter' | 'partInputs'> & { uartRx: UartRxShared }) {
  const isPin = (pin: number): boolean => Number.isInteger(pin) && pin >= 0 && pin < PIN_COUNT;
  const partWords = new Int32Array(partInputs);
  const rings = new Map([1, 2].map((id) => [id, uartRxRing(uartRx, id)!]));
  return {
    /** Up to `max` bytes the host sent into UART(id), as hex ('' when none). */
    uart_rx: (id: number, max: number) => {
      const ring = rings.get(id);
      if (!ring) return '';
      const bytes: number[] = [];
      while (bytes.length < max && ring.used() > 0) bytes.push(ring.take());
      return Buffer.from(bytes).toString('hex');
    },
    /** Waits up to `timeoutMs` for bytes from the host on UART(id); 1 when a Ctrl-C ended the wait. */
    uart_rx_wait: (id: number, timeoutMs: number) => {
      const ring = rings.get(id);
      if (!ring) return 0;
      return waiter.waitUntil(performance.now() + Math.max(0, timeoutMs), () => ring.used() > 0) === 'interrupted' ? 1 : 0;
    },
    /** Reports what Python set on a peripheral (see PeripheralKind for `value`). */
    periph_report: (kind: string, pin: number, value: string) => {
      if (!KINDS.has(kind) || !isPin(pin) || typeof value !== 'string') return;
      output.flush(true); // keep output and peripheral changes in the order they happened
      channel.post({ type: 'peripheral', kind: kind as PeripheralKind, pin, value });
    },
    /** Microvolts the host applies to a pin. */
    analog_in: (pin: number) => (isPin(pin) ? Atomics.load(channel.ctl, CTL.ANALOG_INPUT_BASE + pin) : 0),
    /** A value the host set on the sensor wired to a pin (PART_INPUT: slot, thousandths of its unit). */
    part_input: (pin: number, slot: number) =>
      isPin(pin) && Number.isInteger(slot) && slot >= 0 && slot < PART_INPUT_SLOTS ? Atomics.load(partWords, pin * PART_INPUT_SLOTS + slot) : 0,
    /** 1 while the host touches the pin. */
    touch_in: (pin: number) => (isPin(pin) ? Atomics.load(channel.ctl, CTL.TOUCH_INPUT_BASE + pin) : 0),
  };
}
