/**
 * The prelude's background work (machine.Timer callbacks, Pin.irq handlers;
 * see prelude/time.ts) while no program runs: a board's scheduler runs them
 * while its REPL waits for input, so a Timer started at the prompt keeps
 * blinking its LED. The prelude tells this thread when it next wants to run
 * (and whether a pin change should wake it); the REPL's wait then ends at
 * that time, and this runs the prelude's service.
 */
/// <reference path="../wasm/micropython-wasm.d.ts" />
import type { MicroPython } from '@micropython/micropython-webassembly-pyscript';
import { CTL, PIN_COUNT } from '../boardProtocol.js';

/** Runs what is due without binding a name in the REPL's globals. */
const SERVICE_PY = "__import__('time')._service()";

export class BackgroundWork {
  private deadline = Infinity;
  private pins: Int32Array | undefined;
  private mp: MicroPython | undefined;

  constructor(private readonly ctl: Int32Array) {}

  attach(mp: MicroPython): void {
    this.mp = mp;
  }

  /** The prelude's report: run again in `delayMs` (negative: nothing scheduled); `watchPins`: also when an input pin changes. */
  schedule(delayMs: number, watchPins: boolean): void {
    this.deadline = delayMs >= 0 ? performance.now() + delayMs : Infinity;
    this.pins = watchPins ? this.inputs() : undefined;
  }

  /** When the REPL's wait should end to run the service (Infinity: never). */
  get nextAt(): number {
    return this.deadline;
  }

  /** True when an input pin changed since the service last ran (only while a Pin.irq is set). */
  pinsChanged(): boolean {
    const before = this.pins;
    if (!before) return false;
    const now = this.inputs();
    return now.some((level, i) => level !== before[i]);
  }

  /** Runs the due callbacks (they print as they would on a board); an error or Ctrl-C inside ends only this run. */
  run(): void {
    if (!this.mp) return;
    // Until the service reports again, nothing is due (a failed run must not spin).
    this.deadline = Infinity;
    this.pins = undefined;
    try {
      this.mp.runPython(SERVICE_PY);
    } catch {
      // The callback's own errors were printed by the prelude; a KeyboardInterrupt here just ends the run.
    }
  }

  private inputs(): Int32Array {
    return this.ctl.slice(CTL.PIN_INPUT_BASE, CTL.PIN_INPUT_BASE + PIN_COUNT);
  }
}
