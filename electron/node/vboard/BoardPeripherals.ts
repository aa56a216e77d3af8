/**
 * The board's peripherals as the host sees them, for parts drawn around the
 * board (an LED dimmed by PWM, a NeoPixel strip, a potentiometer on an ADC
 * pin, a touch pad): what Python last set, reported by the interpreter thread
 * (boardProtocol.ts, PeripheralKind), and the analog and touch inputs the host
 * applies, written straight into shared memory where the board reads them.
 */
import type { Disposable } from '../../common/util/disposable.js';
import { Emitter } from '../../common/util/disposable.js';
import { CTL, PIN_COUNT, type PeripheralKind } from './boardProtocol.js';

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
}

/** 3.3 V: the ESP32's supply, the most any pin can see. */
const MAX_MICROVOLTS = 3_300_000;

export class BoardPeripherals implements BoardPeripheralsView {
  private readonly state = new Map<string, string>();
  private readonly changes = new Emitter<PeripheralChange>();

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

  /** Python changed a peripheral. */
  set(change: PeripheralChange): void {
    this.state.set(`${change.kind}:${change.pin}`, change.value);
    this.changes.fire(change);
  }

  /** The chip reset: every peripheral is off again. */
  clear(): void {
    this.state.clear();
  }
}

function checkPin(pin: number): void {
  if (!Number.isInteger(pin) || pin < 0 || pin >= PIN_COUNT) throw new RangeError(`no pin ${pin}`);
}
