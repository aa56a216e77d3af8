import { describe, expect, it } from 'vitest';
import { withFixedHeap, withSharedMemory } from '../../../electron/node/vboard/wasm/wasmModule.js';

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

describe('withFixedHeap', () => {
  // gc_get_max_new_split()'s body: no locals, i32.const 128 MB, end.
  const body = [0x08, 0x00, 0x41, 0x80, 0x80, 0x80, 0xc0, 0x00, 0x0b];

  it('makes the function return 0, leaving the input untouched', () => {
    const input = new Uint8Array([0xaa, ...body, 0xbb]);
    const out = withFixedHeap(input);
    expect([...out]).toEqual([0xaa, 0x08, 0x00, 0x41, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b, 0xbb]);
    expect([...input.subarray(1, 10)]).toEqual(body);
  });

  it('refuses a binary where the body is missing or not unique', () => {
    expect(() => withFixedHeap(new Uint8Array([1, 2, 3]))).toThrow(/found it 0 times/);
    expect(() => withFixedHeap(new Uint8Array([...body, ...body]))).toThrow(/found it 2 times/);
  });
});
