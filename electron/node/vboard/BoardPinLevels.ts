/**
 * The board's pins as the host sees them: the output levels Python sets
 * (reported by the interpreter thread) and the input levels the host applies
 * (written straight into shared memory, where Pin.value() reads them).
 */
import type { Disposable } from '../../common/util/disposable.js';
import { Emitter } from '../../common/util/disposable.js';
import { CTL, FLOATING, PIN_COUNT, wakeBoardThread } from './boardProtocol.js';

export interface BoardPins {
  /** Output level Python last set on a pin (0/1), or undefined if the pin was never driven since reset. */
  getPin(pin: number): number | undefined;
  onPinChange(listener: (pin: number, value: number) => void): Disposable;
  /** The level the host applies to an input pin, read by Pin(n, Pin.IN).value(); undefined lets it float (its pull decides). */
  setInput(pin: number, value: 0 | 1 | undefined): void;
}

export class BoardPinLevels implements BoardPins {
  private readonly levels = new Map<number, number>();
  private readonly changes = new Emitter<[number, number]>();

  constructor(private readonly ctl: Int32Array) {
    // Nothing is wired to any pin yet.
    for (let pin = 0; pin < PIN_COUNT; pin++) Atomics.store(ctl, CTL.PIN_INPUT_BASE + pin, FLOATING);
  }

  // Arrow properties: callers may pass these around as plain functions.
  readonly getPin = (pin: number): number | undefined => this.levels.get(pin);

  readonly onPinChange = (listener: (pin: number, value: number) => void): Disposable =>
    this.changes.event(([pin, value]) => listener(pin, value));

  readonly setInput = (pin: number, value: 0 | 1 | undefined): void => {
    if (pin < 0 || pin >= PIN_COUNT) throw new RangeError(`no pin ${pin}`);
    Atomics.store(this.ctl, CTL.PIN_INPUT_BASE + pin, value === undefined ? FLOATING : value ? 1 : 0);
    // A sleeping program with a Pin.irq on this pin wakes to run its handler (prelude/machinePin.ts).
    wakeBoardThread(this.ctl);
  };

  /** Python drove a pin. */
  set(pin: number, value: number): void {
    this.levels.set(pin, value);
    this.changes.fire([pin, value]);
  }

  /** The chip reset: no pin is driven any more, and the ones that were high are reported low. */
  clear(): void {
    const high = [...this.levels].filter(([, v]) => v !== 0).map(([pin]) => pin);
    this.levels.clear();
    for (const pin of high) this.changes.fire([pin, 0]);
  }
}
