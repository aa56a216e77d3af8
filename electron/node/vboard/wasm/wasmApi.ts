/**
 * The few WebAssembly APIs the virtual board uses, typed here because the Node
 * layer's tsconfig has neither the DOM library nor WebAssembly declarations.
 */

/** A compiled WebAssembly.Module; opaque, it is only passed to a worker and instantiated there. */
export type WasmModule = object;

export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

export type WasmImports = Record<string, Record<string, unknown>>;

export interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: WasmImports): Promise<WasmInstance>;
}

export function wasmApi(): WasmApi {
  return (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
}
