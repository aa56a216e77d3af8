// The sandbox's two parts, without an interpreter: the wall over the
// interpreter's JavaScript imports, and the removal of built-in modules.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeBuiltinModule } from '../../../electron/node/vboard/worker/sandbox/builtinModuleTable.js';
import { JsBoundary } from '../../../electron/node/vboard/worker/sandbox/JsBoundary.js';
import type { WasmImports } from '../../../electron/node/vboard/wasm/wasmApi.js';

type Fn = (...args: number[]) => number | undefined;

/** A small memory and the loader's reference table, as the real imports see them. */
function setUp() {
  const memory = { buffer: new ArrayBuffer(4096) };
  const bytes = new Uint8Array(memory.buffer);
  const words = new Int32Array(memory.buffer);
  let nextString = 1024;
  const cString = (s: string): number => {
    const at = nextString;
    bytes.set(Buffer.from(s + '\0', 'utf8'), at);
    nextString += s.length + 1;
    return at;
  };
  const calls: string[] = [];
  // Stand-ins for the loader's imports: each records that it was reached.
  const real = (name: string): Fn => (...args) => {
    calls.push(`${name}(${args.join(',')})`);
    return 1;
  };
  const names = ['lookup_attr', 'has_attr', 'call0', 'call1', 'call2', 'calln', 'call0_kwarg', 'calln_kwarg', 'store_attr', 'js_subscr_load', 'js_subscr_store', 'js_reflect_construct', 'js_get_iter', 'js_iter_next', 'create_promise', 'js_then_continue', 'js_then_resolve', 'js_then_reject', 'proxy_js_free_obj', 'js_get_error_info', 'js_check_existing', 'js_get_proxy_js_ref_info', 'proxy_convert_mp_to_js_then_js_to_mp_obj_jsside', 'proxy_convert_mp_to_js_then_js_to_js_then_js_to_mp_obj_jsside', '__syscall_openat', 'fd_write', 'invoke_ii', 'mp_js_ticks_ms'];
  const env: Record<string, unknown> = Object.fromEntries(names.map((n) => [n, real(n)]));
  const imports: WasmImports = { env, wasi_snapshot_preview1: env };
  const boundary = new JsBoundary(() => memory);
  return { memory, words, cString, calls, env, imports, boundary };
}

const table = globalThis as { proxy_js_ref?: unknown[] };
let saved: unknown[] | undefined;
beforeEach(() => {
  saved = table.proxy_js_ref;
});
afterEach(() => {
  table.proxy_js_ref = saved;
});

describe('JsBoundary', () => {
  it('refuses to start on an interpreter import it does not know', () => {
    const { boundary, env, imports } = setUp();
    env['js_eval_string'] = () => 0;
    expect(() => boundary.wrapImports(imports)).toThrow(/imports js_eval_string.*refusing to start/);
  });

  it('lets Python read only the bridge module, by its own names, and call only its functions', () => {
    const { boundary, imports, env, cString, calls, words } = setUp();
    boundary.wrapImports(imports);
    const seen: unknown[][] = [];
    const bridge = boundary.bridge({
      functions: { pin_count: (...a: never[]) => (seen.push(a), 40), heap_snap: () => 1, heap_nest: (f: never) => f },
      bootOnly: ['heap_snap', 'heap_nest'],
      takesPythonObjects: ['heap_nest'],
    });
    const fnRef = 3;
    table.proxy_js_ref = [globalThis, undefined, bridge, (bridge as Record<string, unknown>)['pin_count'], () => 'node'];
    const lookup = env['lookup_attr'] as Fn;
    const out = 2048;

    expect(lookup(2, cString('pin_count'), out)).toBe(1); // reached the real import
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'missing']) expect(lookup(2, cString(name), out)).toBe(0);
    expect(lookup(0, cString('process'), out)).toBe(0); // globalThis
    expect(lookup(fnRef, cString('constructor'), out)).toBe(0);
    expect((env['has_attr'] as Fn)(0, cString('process'))).toBe(0);

    (env['call1'] as Fn)(fnRef, 0, 0, out);
    words[out / 4] = 99;
    (env['call0'] as Fn)(4, out); // a JavaScript function that is not the bridge's
    expect(words[out / 4]).toBe(1); // PROXY_KIND_JS_NULL: Python gets None
    for (const name of ['store_attr', 'js_subscr_store', 'js_then_resolve']) (env[name] as Fn)(0, 0, 0);
    expect((env['js_iter_next'] as Fn)(0, out)).toBe(0);
    expect(calls).toEqual([`lookup_attr(2,${1024},${out})`, `call1(${fnRef},0,0,${out})`]);

    // The guarded functions: plain arguments only, boot-only ones until sealed.
    const guarded = bridge as Record<string, (...a: unknown[]) => unknown>;
    expect(guarded['pin_count']!(1, 'a', true, null)).toBe(40);
    expect(guarded['pin_count']!({ x: 1 })).toBeNull();
    expect(seen).toEqual([[1, 'a', true, null]]);
    const callback = (): void => undefined;
    expect(guarded['heap_nest']!(callback)).toBe(callback);
    expect(lookup(2, cString('heap_snap'), out)).toBe(1);
    boundary.seal();
    expect(lookup(2, cString('heap_snap'), out)).toBe(0);
    expect(guarded['heap_snap']!()).toBeNull();
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.getPrototypeOf(bridge)).toBeNull();
  });

  it('answers nothing before the bridge exists', () => {
    const { boundary, imports, env, cString } = setUp();
    boundary.wrapImports(imports);
    table.proxy_js_ref = [globalThis, undefined];
    // An empty slot must not match a bridge that is not there yet.
    expect((env['lookup_attr'] as Fn)(5, cString('x'), 2048)).toBe(0);
  });
});

describe('removeBuiltinModule', () => {
  /** A constant module map as the interpreter lays it out: header {flags|used<<3, alloc, table}, then (qstr key, module) pairs. */
  function moduleMap(modules: number[]) {
    const memory = { buffer: new ArrayBuffer(1024) };
    const words = new Uint32Array(memory.buffer);
    const table = 256;
    modules.forEach((module, i) => {
      words[table / 4 + i * 2] = ((100 + i) << 3) | 2;
      words[table / 4 + i * 2 + 1] = module;
    });
    const header = 128;
    words[header / 4] = (modules.length << 3) | 7;
    words[header / 4 + 1] = modules.length;
    words[header / 4 + 2] = table;
    return { memory, words, table, header };
  }

  it('deletes the entry, moves the later ones up and counts one fewer', () => {
    const { memory, words, table, header } = moduleMap([600, 700, 800, 900]);
    removeBuiltinModule(memory, { fromByte: 0, toByte: 1024 }, 'js', 700);
    const entries = [0, 1, 2, 3].map((i) => [words[table / 4 + i * 2], words[table / 4 + i * 2 + 1]]);
    expect(entries).toEqual([
      [(100 << 3) | 2, 600],
      [(102 << 3) | 2, 800],
      [(103 << 3) | 2, 900],
      [0, 0],
    ]);
    expect(words[header / 4]).toBe((3 << 3) | 7);
    expect(words[header / 4 + 1]).toBe(3);
  });

  it('refuses when the module is in no table, or the layout is not the expected one', () => {
    const { memory, words, header } = moduleMap([600, 700]);
    expect(() => removeBuiltinModule(memory, { fromByte: 0, toByte: 1024 }, 'js', 123)).toThrow(/found 0 module tables/);
    words[header / 4] = (2 << 3) | 1; // a dict-like map, not a constant one
    expect(() => removeBuiltinModule(memory, { fromByte: 0, toByte: 1024 }, 'js', 700)).toThrow(/cannot remove the built-in module js/);
  });
});
