/// <reference path="../wasm/micropython-wasm.d.ts" />
/**
 * Loads the MicroPython interpreter into this thread from the module the main
 * thread compiled with shared memory, its imports wrapped to act as a board.
 * One interpreter per thread: a second loadMicroPython in the same thread
 * breaks the first.
 */
import { loadMicroPython, type MicroPython } from '@micropython/micropython-webassembly-pyscript';
import { wasmApi, type WasmImports, type WasmMemory, type WasmModule } from '../wasm/wasmApi.js';

type WasmInstantiate = (bytes: unknown, imports: WasmImports) => Promise<unknown>;

export interface LoadedInterpreter {
  mp: MicroPython;
  /** The wasm instance's exports (C functions of the interpreter, its memory). */
  exports: Record<string, unknown>;
  memory: WasmMemory;
}

export interface LoadOptions {
  /** Compiled by the main thread with shared memory (see wasmModule.ts). */
  wasmModule: WasmModule;
  /** Rewrites the imports before instantiation; `memory` answers once the instance exists. */
  wrapImports(imports: WasmImports, memory: () => WasmMemory | undefined): void;
  /** Blocking read of one stdin byte. */
  stdin(): number;
  /** Each byte the interpreter prints, stdout and stderr alike. */
  output(c: number): void;
  /** Bytes of Python heap to start with; undefined: the package's default. */
  heapBytes?: number;
}

export async function loadInterpreter(options: LoadOptions): Promise<LoadedInterpreter> {
  let exports: Record<string, unknown> | undefined;
  const memory = (): WasmMemory | undefined => exports?.['memory'] as WasmMemory | undefined;
  const wasm = wasmApi();
  const realInstantiate = wasm.instantiate.bind(wasm);
  // The loader reads and instantiates the wasm itself; hand it the module the
  // main thread compiled with shared memory instead, with wrapped imports.
  (wasm as unknown as { instantiate: WasmInstantiate }).instantiate = async (_bytes, imports) => {
    options.wrapImports(imports, memory);
    const instance = await realInstantiate(options.wasmModule, imports);
    exports = instance.exports;
    return { instance, module: options.wasmModule };
  };
  const print = (data: Uint8Array): void => {
    for (const c of data) options.output(c);
  };
  const heap = options.heapBytes === undefined ? {} : { heapsize: options.heapBytes };
  const mp = await loadMicroPython({ linebuffer: false, stdin: options.stdin, stdout: print, stderr: print, ...heap });
  if (!exports) throw new Error('the interpreter loaded without instantiating its wasm');
  return { mp, exports, memory: exports['memory'] as WasmMemory };
}
