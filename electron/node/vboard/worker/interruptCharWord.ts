/// <reference path="../wasm/micropython-wasm.d.ts" />
/**
 * Finds mp_interrupt_char in the interpreter's memory: the main thread reads
 * it for every received byte to decide, as a board's UART interrupt does,
 * whether the byte is Ctrl-C (raise KeyboardInterrupt) or input.
 */
import type { MicroPython } from '@micropython/micropython-webassembly-pyscript';
import type { WasmMemory } from '../wasm/wasmApi.js';

/** Values unlikely to sit in memory by chance, stored through micropython.kbd_intr() to spot the word. */
const PROBE_VALUES = [4660, 22136] as const;
/** kbd_intr(-1): Ctrl-C not intercepted, the value the word is left with. */
const INTERRUPT_OFF = -1;
/** Stored into a candidate to ask the interpreter whether it reads that word. */
const CHECK_VALUE = 77;

/** Word index (into an Int32Array over `memory`) of mp_interrupt_char. */
export function findInterruptCharWord(memory: WasmMemory, py: MicroPython, getInterruptChar: () => number): number {
  const probe = (value: number): Int32Array => {
    py.runPython(`import micropython\nmicropython.kbd_intr(${value})\ndel micropython`);
    return new Int32Array(memory.buffer);
  };
  const [first, second] = PROBE_VALUES;
  const before = new Int32Array(memory.buffer).slice();
  let words = probe(first);
  let candidates: number[] = [];
  for (let i = 0; i < before.length; i++) if (words[i] === first && before[i] !== first) candidates.push(i);
  words = probe(second);
  candidates = candidates.filter((i) => words[i] === second);
  words = probe(INTERRUPT_OFF);
  candidates = candidates.filter((i) => words[i] === INTERRUPT_OFF);
  // A copy of the argument may linger on the shadow stack: ask the
  // interpreter which word it actually reads.
  candidates = candidates.filter((i) => {
    Atomics.store(words, i, CHECK_VALUE);
    const hit = getInterruptChar() === CHECK_VALUE;
    Atomics.store(words, i, INTERRUPT_OFF);
    return hit;
  });
  if (candidates.length !== 1) throw new Error(`could not locate mp_interrupt_char (${candidates.length} candidates)`);
  return candidates[0]!;
}
