/**
 * Gives the interpreter's errno module an ESP32's numbers for the network
 * errors. The WebAssembly build numbers them as Linux does (ETIMEDOUT 110);
 * an ESP32's newlib does not (ETIMEDOUT 116, EHOSTUNREACH 118, ...), and
 * what the board's sockets raise must match `errno.ETIMEDOUT` and print as
 * "[Errno 116] ETIMEDOUT", as on a board.
 *
 * `errno` is a built-in module that `import` returns before sys.modules (it
 * is not extensible), and its tables are constant data; so the numbers are
 * changed in place: in the module's globals (name -> number) and in
 * errno.errorcode (number -> name), which is where an OSError's message
 * finds its name.
 */
import type { WasmMemory } from '../wasm/wasmApi.js';

const WORD_BYTES = 4;
const USED_SHIFT = 3;
/** mp_map_t's is_ordered bit: lookups scan the entries (so a key can change in place). */
const ORDERED_FLAG = 4;
/** A small int in this build's object model (REPR_A): the value shifted left, tagged with 1. */
const smallInt = (n: number): number => ((n << 1) | 1) >>> 0;

/**
 * Sets each named errno constant to its board number. `runCaptured` runs
 * Python and returns what it printed. Names the module does not have are
 * skipped. Throws when the module is laid out differently (the board then
 * refuses to start rather than report wrong numbers).
 */
export function setBoardErrnoNumbers(memory: WasmMemory, runCaptured: (code: string) => string, numbers: Readonly<Record<string, number>>): void {
  const names = Object.keys(numbers);
  const printed = runCaptured(
    `import errno\nprint(id(errno), id(errno.errorcode), ${names.map((n) => `getattr(errno, ${JSON.stringify(n)}, -1)`).join(', ')})\ndel errno`,
  );
  const [moduleAddress, errorcodeAddress, ...current] = printed.trim().split(' ').map(Number);
  if (moduleAddress === undefined || errorcodeAddress === undefined || current.length !== names.length || !current.every(Number.isSafeInteger)) {
    throw new Error(`cannot read the errno module: ${printed}`);
  }
  const words = new Uint32Array(memory.buffer);
  /** The (key, value) word pairs of a dict object's map. */
  const entries = (dict: number): { table: number; used: number; ordered: boolean } => {
    const flags = words[dict / WORD_BYTES + 1]!;
    return { used: flags >>> USED_SHIFT, ordered: (flags & ORDERED_FLAG) !== 0, table: words[dict / WORD_BYTES + 3]! / WORD_BYTES };
  };
  const globals = entries(words[moduleAddress / WORD_BYTES + 1]!);
  // errno.errorcode maps numbers to names, and is what an OSError's message is looked up in.
  const errorcode = entries(errorcodeAddress);
  if (!errorcode.ordered) throw new Error('errno.errorcode is a hashed map here: its numbers cannot be changed in place');
  const changes: Array<[word: number, value: number]> = [];
  const find = (map: { table: number; used: number }, offset: 0 | 1, value: number, what: string): number => {
    const found: number[] = [];
    for (let e = 0; e < map.used; e++) if (words[map.table + 2 * e + offset] === value) found.push(map.table + 2 * e + offset);
    if (found.length !== 1) throw new Error(`cannot set ${what}: ${found.length} entries hold it`);
    return found[0]!;
  };
  names.forEach((name, i) => {
    const from = current[i]!;
    if (from < 0 || from === numbers[name]) return;
    changes.push([find(globals, 1, smallInt(from), `errno.${name}`), smallInt(numbers[name]!)]);
    changes.push([find(errorcode, 0, smallInt(from), `errno.errorcode[${from}]`), smallInt(numbers[name]!)]);
  });
  // All found before any is written: a number being replaced may be another name's new one.
  for (const [word, value] of changes) words[word] = value;
  const check = runCaptured(
    `import errno\nprint(${names.map((n) => `getattr(errno, ${JSON.stringify(n)}, ${numbers[n]})`).join(', ')})\nprint(str(OSError(errno.ETIMEDOUT)))\ndel errno`,
  );
  const [values, repr] = check.trim().split(/\r?\n/);
  if (values !== names.map((n) => numbers[n]).join(' ') || !repr?.includes('ETIMEDOUT')) throw new Error(`the errno numbers did not take: ${check}`);
}
