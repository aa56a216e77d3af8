/**
 * Compiles the MicroPython interpreter once per process (and heap kind), with
 * its linear memory made shared. Shared memory is what lets the main thread
 * interrupt a `while True: pass` (the interpreter never yields to JS while
 * Python runs): it stores to the words mp_sched_keyboard_interrupt() would set.
 *
 * A board with a fixed heap gets a copy whose heap cannot grow: the
 * WebAssembly port adds heap areas on demand (gc_get_max_new_split() says up
 * to 128 MB may be added), so without this a 10 KB board never ran out.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { wasmApi, type WasmModule } from './wasmApi.js';
import { outsideAsar } from '../../packagedPaths.js';

const WASM_SECTION_MEMORY = 5;
/** Memory limits flags: 1 = has maximum, 3 = has maximum and is shared. */
const LIMITS_HAS_MAX = 1;
const LIMITS_SHARED_WITH_MAX = 3;

/**
 * The body of the port's gc_get_max_new_split(): no locals, `i32.const
 * 134217728` (128 MB, a 5-byte LEB128), end. Found by its bytes, as the binary
 * has no names.
 */
const MAX_NEW_SPLIT_BODY = [0x08, 0x00, 0x41, 0x80, 0x80, 0x80, 0xc0, 0x00, 0x0b];
/** Where the constant's LEB128 starts in that body, and the same width encoding 0: no heap may be added. */
const MAX_NEW_SPLIT_CONST_AT = 3;
const LEB128_ZERO_5_BYTES = [0x80, 0x80, 0x80, 0x80, 0x00];

/** 'grows': the interpreter as published; 'fixed': its heap stays the size it was given. */
export type HeapGrowth = 'grows' | 'fixed';

const compiled = new Map<HeapGrowth, Promise<WasmModule>>();

export function wasmPath(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@micropython/micropython-webassembly-pyscript');
  return outsideAsar(entry.replace(/micropython\.mjs$/, 'micropython.wasm'));
}

export function compileSharedInterpreter(heap: HeapGrowth = 'grows'): Promise<WasmModule> {
  let module = compiled.get(heap);
  if (!module) {
    module = readFile(wasmPath()).then((bytes) => {
      const shared = withSharedMemory(new Uint8Array(bytes));
      return wasmApi().compile(heap === 'fixed' ? withFixedHeap(shared) : shared);
    });
    compiled.set(heap, module);
  }
  return module;
}

/** Returns a copy of the binary whose gc_get_max_new_split() returns 0, so the GC heap never grows. */
export function withFixedHeap(binary: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(binary);
  const at = findUnique(bytes, MAX_NEW_SPLIT_BODY);
  bytes.set(LEB128_ZERO_5_BYTES, at + MAX_NEW_SPLIT_CONST_AT);
  return bytes;
}

function findUnique(bytes: Uint8Array, pattern: readonly number[]): number {
  const found: number[] = [];
  for (let i = bytes.indexOf(pattern[0]!); i >= 0 && i <= bytes.length - pattern.length; i = bytes.indexOf(pattern[0]!, i + 1)) {
    if (pattern.every((b, k) => bytes[i + k] === b)) found.push(i);
  }
  if (found.length !== 1) throw new Error(`expected gc_get_max_new_split() once in the interpreter, found it ${found.length} times`);
  return found[0]!;
}

/** Returns a copy of the wasm binary whose (single) memory is declared shared. */
export function withSharedMemory(binary: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(binary);
  let pos = 8; // magic + version
  const leb = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[pos++]!;
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  };
  while (pos < bytes.length) {
    const id = bytes[pos++]!;
    const size = leb();
    const end = pos + size;
    if (id === WASM_SECTION_MEMORY) {
      const count = leb();
      if (count !== 1) throw new Error(`expected one wasm memory, found ${count}`);
      const flags = bytes[pos]!;
      if (flags === LIMITS_SHARED_WITH_MAX) return bytes;
      if (flags !== LIMITS_HAS_MAX) throw new Error(`wasm memory has no maximum (limits flags ${flags}); cannot share it`);
      bytes[pos] = LIMITS_SHARED_WITH_MAX;
      return bytes;
    }
    pos = end;
  }
  throw new Error('wasm binary has no memory section');
}
