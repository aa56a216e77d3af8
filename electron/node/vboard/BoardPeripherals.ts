/**
 * The board's peripherals as the host sees them, for parts drawn around the
 * board (an LED dimmed by PWM, a NeoPixel strip, a potentiometer on an ADC
 * pin, a touch pad): what Python last set, reported by the interpreter thread
 * (boardProtocol.ts, PeripheralKind), and the analog and touch inputs the host
 * applies, written straight into shared memory where the board reads them.
 */
import type { Disposable } from '../../common/util/disposable.js';
import { Emitter } from '../../common/util/disposable.js';
import { CTL, PIN_COUNT, wakeBoardThread, type PeripheralKind, type UartRxShared } from './boardProtocol.js';
import { newUartRxShared, uartRxRing } from './RxRing.js';

export interface PeripheralChange {
  kind: PeripheralKind;
  /** The pin (a UART's id for 'uart'). */
  pin: number;
  /** As boardProtocol.ts describes it per kind. */
  value: string;
}

export interface BoardPeripheralsView {
  /** What Python last set for a peripheral on a pin, or undefined (never set since reset). */
  get(kind: PeripheralKind, pin: number): string | undefined;
  onChange(listener: (change: PeripheralChange) => void): Disposable;
  /** The voltage on a pin, read by machine.ADC (0 to 3.3 V; an ESP32 pin takes no more). */
  setAnalogInput(pin: number, microvolts: number): void;
  /** A finger on a touch pin (machine.TouchPad reads much lower then). */
  setTouched(pin: number, touched: boolean): void;
  /**
   * Bytes arriving on machine.UART(1) or UART(2)'s RX; returns how many it
   * took: what does not fit its receive buffer is lost, as a UART loses it.
   */
  uartReceive(id: 1 | 2, data: Uint8Array): number;
}

/** 3.3 V: the ESP32's supply, the most any pin can see. */
const MAX_MICROVOLTS = 3_300_000;

export class BoardPeripherals implements BoardPeripheralsView {
  private readonly state = new Map<string, string>();
  private readonly changes = new Emitter<PeripheralChange>();
  /** The host-fed UARTs' receive rings, shared with every interpreter thread (WorkerInit.uartRx). */
  readonly uartRx: UartRxShared = newUartRxShared();

  constructor(private readonly ctl: Int32Array) {}

  readonly get = (kind: PeripheralKind, pin: number): string | undefined => this.state.get(`${kind}:${pin}`);

  readonly onChange = (listener: (change: PeripheralChange) => void): Disposable => this.changes.event(listener);

  readonly setAnalogInput = (pin: number, microvolts: number): void => {
    checkPin(pin);
    Atomics.store(this.ctl, CTL.ANALOG_INPUT_BASE + pin, Math.round(Math.max(0, Math.min(MAX_MICROVOLTS, microvolts))));
  };

  readonly setTouched = (pin: number, touched: boolean): void => {
    checkPin(pin);
    Atomics.store(this.ctl, CTL.TOUCH_INPUT_BASE + pin, touched ? 1 : 0);
  };

  readonly uartReceive = (id: 1 | 2, data: Uint8Array): number => {
    const ring = uartRxRing(this.uartRx, id);
    if (!ring) throw new RangeError(`UART(${id}) takes no bytes from the host`);
    let taken = 0;
    while (taken < data.length && ring.put(data[taken]!)) taken++;
    // A program waiting in UART.read() wakes at once.
    wakeBoardThread(this.ctl);
    return taken;
  };

  /** Python changed a peripheral. */
  set(change: PeripheralChange): void {
    this.state.set(`${change.kind}:${change.pin}`, change.value);
    this.changes.fire(change);
  }

  /** The chip reset: every peripheral is off again, and the UARTs' buffers are empty. */
  clear(): void {
    this.state.clear();
    for (const id of [1, 2] as const) uartRxRing(this.uartRx, id)!.clear();
  }
}

function checkPin(pin: number): void {
  if (!Number.isInteger(pin) || pin < 0 || pin >= PIN_COUNT) throw new RangeError(`no pin ${pin}`);
}
