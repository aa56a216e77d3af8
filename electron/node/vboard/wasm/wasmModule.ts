/**
 * Compiles the MicroPython interpreter once per process, with its linear
 * memory made shared. Shared memory is what lets the main thread interrupt a
 * `while True: pass` (the interpreter never yields to JS while Python runs):
 * it stores to the words mp_sched_keyboard_interrupt() would set.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { wasmApi, type WasmModule } from './wasmApi.js';

const WASM_SECTION_MEMORY = 5;
/** Memory limits flags: 1 = has maximum, 3 = has maximum and is shared. */
const LIMITS_HAS_MAX = 1;
const LIMITS_SHARED_WITH_MAX = 3;

let compiled: Promise<WasmModule> | undefined;

export function wasmPath(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@micropython/micropython-webassembly-pyscript');
  return entry.replace(/micropython\.mjs$/, 'micropython.wasm');
}

export function compileSharedInterpreter(): Promise<WasmModule> {
  compiled ??= readFile(wasmPath()).then((bytes) => wasmApi().compile(withSharedMemory(new Uint8Array(bytes))));
  return compiled;
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
