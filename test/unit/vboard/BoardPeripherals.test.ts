import { describe, expect, it } from 'vitest';
import { CTL, CTL_WORDS } from '../../../electron/node/vboard/boardProtocol.js';
import { BoardPeripherals, type PeripheralChange } from '../../../electron/node/vboard/BoardPeripherals.js';
import { uartRxRing } from '../../../electron/node/vboard/RxRing.js';

function peripherals(): [BoardPeripherals, Int32Array] {
  const ctl = new Int32Array(new SharedArrayBuffer(CTL_WORDS * 4));
  return [new BoardPeripherals(ctl), ctl];
}

describe('BoardPeripherals', () => {
  it('keeps the last state per kind and pin, tells listeners, and forgets it all at a reset', () => {
    const [p] = peripherals();
    const seen: PeripheralChange[] = [];
    const sub = p.onChange((c) => seen.push(c));
    p.set({ kind: 'pwm', pin: 2, value: '5000 32768' });
    p.set({ kind: 'pwm', pin: 2, value: '1000 100' });
    p.set({ kind: 'dac', pin: 2, value: '17' });
    expect(p.get('pwm', 2)).toBe('1000 100');
    expect(p.get('dac', 2)).toBe('17');
    expect(p.get('pwm', 3)).toBeUndefined();
    sub.dispose();
    p.set({ kind: 'bitstream', pin: 27, value: '00ff00' });
    expect(seen.map((c) => c.value)).toEqual(['5000 32768', '1000 100', '17']);
    p.clear();
    expect(p.get('pwm', 2)).toBeUndefined();
    expect(p.get('bitstream', 27)).toBeUndefined();
  });

  it('writes analog inputs within 0-3.3 V and touches into the shared words, refusing pins an ESP32 lacks', () => {
    const [p, ctl] = peripherals();
    p.setAnalogInput(34, 1_234_567.4);
    p.setAnalogInput(35, 5_000_000);
    p.setAnalogInput(36, -1);
    expect([ctl[CTL.ANALOG_INPUT_BASE + 34], ctl[CTL.ANALOG_INPUT_BASE + 35], ctl[CTL.ANALOG_INPUT_BASE + 36]]).toEqual([1_234_567, 3_300_000, 0]);
    p.setTouched(4, true);
    expect(ctl[CTL.TOUCH_INPUT_BASE + 4]).toBe(1);
    p.setTouched(4, false);
    expect(ctl[CTL.TOUCH_INPUT_BASE + 4]).toBe(0);
    expect(() => p.setAnalogInput(40, 0)).toThrow(RangeError);
    expect(() => p.setTouched(-1, true)).toThrow(RangeError);
  });

  it('queues host bytes for UART(1) and UART(2) apart, drops what overflows, and empties them at a reset', () => {
    const [p] = peripherals();
    expect(p.uartReceive(1, new Uint8Array([1, 2, 3]))).toBe(3);
    expect(p.uartReceive(2, new Uint8Array(300).fill(7))).toBe(256);
    const one = uartRxRing(p.uartRx, 1)!;
    const two = uartRxRing(p.uartRx, 2)!;
    expect([one.used(), two.used()]).toEqual([3, 256]);
    expect([one.take(), one.take(), one.take()]).toEqual([1, 2, 3]);
    expect(() => p.uartReceive(0 as 1, new Uint8Array([1]))).toThrow(RangeError);
    p.clear();
    expect(two.used()).toBe(0);
  });
});
