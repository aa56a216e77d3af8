import { describe, expect, it } from 'vitest';
import { withSharedMemory } from '../../../electron/node/vboard/wasm/wasmModule.js';

// magic, version, then a memory section: id 5, 4 bytes: one memory, limits flags, min 1 page, max 2 pages.
const memoryModule = (flags: number): Uint8Array =>
  new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x04, 0x01, flags, 0x01, 0x02]);

describe('withSharedMemory', () => {
  it('marks a bounded memory as shared, leaving the input untouched', async () => {
    const input = memoryModule(1);
    const out = withSharedMemory(input);
    expect(out[11]).toBe(3);
    expect(input[11]).toBe(1);
    const instance = await WebAssembly.instantiate(await WebAssembly.compile(out as BufferSource));
    expect(instance.exports).toEqual({});
  });

  it('refuses a memory without a maximum (it cannot be shared)', () => {
    expect(() => withSharedMemory(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01]))).toThrow(
      /no maximum/,
    );
  });
});
