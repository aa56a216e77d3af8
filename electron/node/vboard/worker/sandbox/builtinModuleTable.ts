/**
 * Removes built-in modules from the interpreter, so that `import js` fails
 * exactly as it does for a module the firmware was built without.
 *
 * The WebAssembly port compiles `js` and `jsffi` into its table of built-in
 * modules (a constant mp_map_t in the interpreter's static data), and
 * `import` reads that table whatever sys.modules or builtins say, so nothing
 * done from Python can take them away. This finds each module's entry by
 * the module object's address (id() of the module) and deletes it from the
 * table: the later entries move up and the count drops by one.
 */
import type { WasmMemory } from '../../wasm/wasmApi.js';

const WORD_BYTES = 4;
const ENTRY_BYTES = 8;
/** mp_obj_t tag of an interned string (qstr) in this build's object model (REPR_A). */
const QSTR_TAG_MASK = 7;
const QSTR_TAG = 2;
/** mp_map_t's first word: all_keys_are_qstrs, is_fixed and is_ordered (the low three bits) set; `used` above them. */
const CONST_MAP_FLAGS = 7;
const USED_SHIFT = 3;

/** Where to look: the word range of the interpreter's static data. */
export interface StaticRange {
  fromByte: number;
  toByte: number;
}

/**
 * Deletes the entry whose value is `moduleAddress` from the constant module
 * map holding it. Throws when there is not exactly one such entry in exactly
 * one such map: then this build is laid out differently and the module cannot
 * be removed safely.
 */
export function removeBuiltinModule(memory: WasmMemory, range: StaticRange, name: string, moduleAddress: number): void {
  const words = new Uint32Array(memory.buffer);
  const lo = Math.ceil(range.fromByte / WORD_BYTES);
  const hi = Math.floor(range.toByte / WORD_BYTES);
  const entries: number[] = [];
  for (let i = lo + 1; i < hi; i++) {
    if (words[i] === moduleAddress && (words[i - 1]! & QSTR_TAG_MASK) === QSTR_TAG) entries.push((i - 1) * WORD_BYTES);
  }
  const maps: Array<{ header: number; used: number; table: number; entry: number }> = [];
  for (const entry of entries) {
    for (let j = lo + 2; j < hi; j++) {
      const flags = words[j - 2]!;
      const used = flags >>> USED_SHIFT;
      const table = words[j]!;
      if ((flags & QSTR_TAG_MASK) !== CONST_MAP_FLAGS || words[j - 1] !== used) continue;
      if (table <= entry && entry < table + used * ENTRY_BYTES && (entry - table) % ENTRY_BYTES === 0) {
        maps.push({ header: (j - 2) * WORD_BYTES, used, table, entry });
      }
    }
  }
  if (maps.length !== 1) throw new Error(`cannot remove the built-in module ${name}: found ${maps.length} module tables holding it`);
  const { header, used, table, entry } = maps[0]!;
  const last = table + (used - 1) * ENTRY_BYTES;
  const bytes = new Uint8Array(memory.buffer);
  bytes.copyWithin(entry, entry + ENTRY_BYTES, last + ENTRY_BYTES);
  // An empty slot (key MP_OBJ_NULL) for code that walks `alloc` slots; lookups walk `used`.
  bytes.fill(0, last, last + ENTRY_BYTES);
  words[header / WORD_BYTES] = ((used - 1) << USED_SHIFT) | CONST_MAP_FLAGS;
  words[header / WORD_BYTES + 1] = used - 1;
}

/** The WebAssembly port's modules that hand Python JavaScript objects (globalThis, and so Node). */
export const JS_MODULES = ['js', 'jsffi'] as const;

type Export = (...args: number[]) => number;

/**
 * Removes `names` from the interpreter's built-in modules, then checks that
 * importing each now fails. `runCaptured` runs Python and returns what it
 * printed. Throws (the board then does not start) if any is still there.
 */
export function removeBuiltinModules(
  memory: WasmMemory,
  exports: Record<string, unknown>,
  runCaptured: (code: string) => string,
  names: readonly string[] = JS_MODULES,
): void {
  const printed = runCaptured(`print(${names.map((n) => `id(__import__(${JSON.stringify(n)}))`).join(', ')})`);
  const addresses = printed.trim().split(' ').map(Number);
  if (addresses.length !== names.length || !addresses.every(Number.isSafeInteger)) {
    throw new Error(`cannot find the built-in modules ${names.join(', ')}: ${printed}`);
  }
  // The interpreter's static data lies between the stack and the first malloc'ed block.
  const malloc = exports['malloc'] as Export;
  const free = exports['free'] as Export;
  const firstBlock = malloc(WORD_BYTES);
  free(firstBlock);
  const range = { fromByte: (exports['emscripten_stack_get_base'] as Export)(), toByte: firstBlock };
  names.forEach((name, i) => removeBuiltinModule(memory, range, name, addresses[i]!));
  const left = runCaptured(
    `for m in (${names.map((n) => JSON.stringify(n)).join(', ')},):\n    try:\n        __import__(m)\n        print(m)\n    except ImportError:\n        pass`,
  );
  if (left.trim() !== '') throw new Error(`the built-in modules ${left.trim()} could not be removed; refusing to start`);
}
