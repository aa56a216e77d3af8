import { describe, expect, it } from 'vitest';
import type { MicroPython } from '@micropython/micropython-webassembly-pyscript';
import { CTL, CTL_WORDS } from '../../../electron/node/vboard/boardProtocol.js';
import { BackgroundWork } from '../../../electron/node/vboard/worker/BackgroundWork.js';

function fakeInterpreter(runPython: (code: string) => void): MicroPython {
  return { runPython } as unknown as MicroPython;
}

describe('BackgroundWork', () => {
  it('ends the REPL wait at the reported time, and never when nothing is scheduled', () => {
    const work = new BackgroundWork(new Int32Array(new SharedArrayBuffer(CTL_WORDS * 4)));
    expect(work.nextAt).toBe(Infinity);
    const before = performance.now();
    work.schedule(50, false);
    expect(work.nextAt).toBeGreaterThanOrEqual(before + 50);
    expect(work.nextAt).toBeLessThan(performance.now() + 51);
    work.schedule(-1, false);
    expect(work.nextAt).toBe(Infinity);
  });

  it('notices an input pin change only while pins are watched', () => {
    const ctl = new Int32Array(new SharedArrayBuffer(CTL_WORDS * 4));
    const work = new BackgroundWork(ctl);
    work.schedule(-1, false);
    ctl[CTL.PIN_INPUT_BASE + 4] = 1;
    expect(work.pinsChanged()).toBe(false);
    work.schedule(-1, true);
    expect(work.pinsChanged()).toBe(false);
    ctl[CTL.PIN_INPUT_BASE + 4] = 0;
    expect(work.pinsChanged()).toBe(true);
  });

  it('runs the service in the interpreter, survives its failure, and waits for the next report', () => {
    const work = new BackgroundWork(new Int32Array(new SharedArrayBuffer(CTL_WORDS * 4)));
    const ran: string[] = [];
    work.attach(
      fakeInterpreter((code) => {
        ran.push(code);
        throw new Error('KeyboardInterrupt');
      }),
    );
    work.schedule(0, true);
    expect(() => work.run()).not.toThrow();
    expect(ran).toEqual(["__import__('time')._service()"]);
    // A service that failed before reporting leaves nothing due: the REPL does not spin on it.
    expect(work.nextAt).toBe(Infinity);
    expect(work.pinsChanged()).toBe(false);
  });
});
