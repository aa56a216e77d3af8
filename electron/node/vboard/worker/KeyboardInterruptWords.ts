/**
 * Where the interpreter keeps a pending KeyboardInterrupt, found at start-up.
 *
 * The interpreter never yields while Python runs, so the board's main thread
 * raises Ctrl-C by storing into the interpreter's (shared) memory exactly what
 * `mp_sched_keyboard_interrupt()` stores: the pending exception and the
 * scheduler state. The words are found by calling that export once and
 * diffing memory. The pending-exception word is also the one truth about
 * whether an interrupt is waiting to be raised: every board-side wait ends
 * when it is set, and nothing else (no separate flag that could be left set)
 * decides that.
 */
import type { WasmMemory } from '../wasm/wasmApi.js';

/** [word index, value before, value while an interrupt is pending]. */
export type InterruptWord = [index: number, idle: number, pending: number];

export class KeyboardInterruptWords {
  private readonly words: Int32Array;
  private readonly exceptionWord: InterruptWord;

  private constructor(
    memory: WasmMemory,
    /** In the order the main thread must store them (see `find`). */
    readonly all: InterruptWord[],
  ) {
    this.words = new Int32Array(memory.buffer);
    const exceptionWord = all.find(([, idle, pending]) => pending !== 0 && idle === 0);
    if (!exceptionWord) throw new Error('could not locate the pending-exception word');
    this.exceptionWord = exceptionWord;
  }

  /**
   * Finds the words by diffing memory around calls of mp_sched_keyboard_interrupt().
   * The first call shows the pending exception and the scheduler state. The
   * function also clears the traceback of the (one, reused) KeyboardInterrupt
   * object, which shows only once it has one: so `raisePending` lets the VM
   * raise that interrupt once, and a second call shows the traceback word.
   * Without storing it, each Ctrl-C appended its traceback to all earlier ones
   * (the 100th interrupt printed 100 "File" lines, and took 100 lines of wire time).
   */
  static find(memory: WasmMemory, scheduleKeyboardInterrupt: () => void, raisePending: () => void): KeyboardInterruptWords {
    const words = new Int32Array(memory.buffer);
    const schedule = changesMadeBy(words, scheduleKeyboardInterrupt);
    if (schedule.length === 0) throw new Error('could not locate the keyboard-interrupt state');
    for (const [i, , pending] of schedule) Atomics.store(words, i, pending);
    raisePending();
    const again = changesMadeBy(words, scheduleKeyboardInterrupt);
    for (const [i, idle] of schedule) Atomics.store(words, i, idle);
    const traceback = again.filter(([i]) => !schedule.some(([j]) => j === i));
    if (traceback.length !== 1 || traceback[0]![2] !== 0) {
      throw new Error(`could not locate the KeyboardInterrupt traceback (${traceback.length} candidate words)`);
    }
    // Store order matters: the traceback is cleared first, then the pending
    // exception, then the scheduler state, so the VM never sees "pending"
    // with no exception to raise or with an old traceback on it.
    const pendingFirst = [...schedule].sort((a, b) => Number(a[2] === 0) - Number(b[2] === 0));
    return new KeyboardInterruptWords(memory, [[traceback[0]![0], 0, 0], ...pendingFirst]);
  }

  /** True while a KeyboardInterrupt waits to be raised by the VM. */
  isPending(): boolean {
    const [index, , pending] = this.exceptionWord;
    return Atomics.load(this.words, index) === pending;
  }

  /**
   * Drops an interrupt that arrived after the last Python statement finished.
   * Called only while no Python runs (between REPL bytes): the main thread
   * tests the interrupt character and then stores the words, and a program
   * may end in between; a board clears such a leftover when the command ends
   * (pyexec's mp_handle_pending(false)), and so must we, or it would hit the
   * next program at its first statement.
   */
  clearStale(): boolean {
    if (!this.isPending()) return false;
    for (const [index, idle] of [...this.all].reverse()) Atomics.store(this.words, index, idle);
    return true;
  }
}

/** Words `fn` changed, as [index, before, after]; they are left as `fn` set them. */
function changesMadeBy(words: Int32Array, fn: () => void): InterruptWord[] {
  const before = words.slice();
  fn();
  const changed: InterruptWord[] = [];
  for (let i = 0; i < words.length; i++) if (words[i] !== before[i]) changed.push([i, before[i]!, words[i]!]);
  return changed;
}
