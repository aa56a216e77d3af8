/**
 * The virtual board's sandbox wall: what Python may do with JavaScript.
 *
 * The interpreter reaches JavaScript only through the imports its wasm calls
 * for JsProxy objects (lookup_attr, call*, store_attr, subscripts, iteration,
 * construction, promises); each takes a reference into the loader's table of
 * JavaScript objects, whose entry 0 is globalThis. Whoever holds a JsProxy
 * can therefore walk to `process` (`.constructor.constructor` from any
 * function is enough). This class replaces those imports: the one object
 * Python may read is the bridge module (`_pinwheel`), and only its own
 * functions by name; the only thing it may call is one of those functions,
 * with plain arguments. Everything else finds nothing (AttributeError), does
 * nothing, or gives None: a JavaScript exception would end the board, and
 * Python cannot be handed an exception from here.
 *
 * An import this file does not know makes the board refuse to start, so a
 * newer interpreter cannot open a new route unnoticed.
 */
import type { WasmImports, WasmMemory } from '../../wasm/wasmApi.js';

type ImportFn = (...args: number[]) => number | undefined;
type BridgeFn = (...args: never[]) => unknown;

/** What a wrapped import does with a reference Python holds. */
type Policy =
  /** Attribute reads: only the bridge module's own, allowed names. */
  | 'attribute'
  /** Calls: only the bridge functions; the result slot is the import's last argument. */
  | 'call'
  /** Writes, subscripts, construction, iteration, promises: never; the result slot (if any) gets None. */
  | { deny: 'void' | 'false' | { noneAt: number } }
  /** Conversions and bookkeeping that reach no JavaScript object Python chose. */
  | 'pass';

const JS_IMPORTS: Record<string, Policy> = {
  lookup_attr: 'attribute',
  has_attr: 'attribute',
  call0: 'call',
  call1: 'call',
  call2: 'call',
  calln: 'call',
  call0_kwarg: 'call',
  calln_kwarg: 'call',
  store_attr: { deny: 'void' },
  js_subscr_load: { deny: { noneAt: 2 } },
  js_subscr_store: { deny: 'void' },
  js_reflect_construct: { deny: { noneAt: 3 } },
  js_get_iter: { deny: { noneAt: 1 } },
  js_iter_next: { deny: 'false' },
  create_promise: { deny: { noneAt: 1 } },
  js_then_continue: { deny: { noneAt: 4 } },
  js_then_resolve: { deny: 'void' },
  js_then_reject: { deny: 'void' },
  proxy_convert_mp_to_js_then_js_to_mp_obj_jsside: 'pass',
  proxy_convert_mp_to_js_then_js_to_js_then_js_to_mp_obj_jsside: 'pass',
  js_get_proxy_js_ref_info: 'pass',
  proxy_js_free_obj: 'pass',
  js_check_existing: 'pass',
  js_get_error_info: 'pass',
};

/** The interpreter's other imports (env and WASI are one object): clocks, randomness, files, setjmp; none hands Python a JavaScript object. */
const NATIVE_IMPORT = /^(invoke_\w+|__syscall_\w+|fd_\w+|_abort_js|emscripten_resize_heap|_emscripten_throw_longjmp|mp_js_(random_u32|ticks_ms|time_ms))$/;

/** The kind word of a converted value (PROXY_KIND_JS_NULL): Python sees None. */
const KIND_NULL = 1;
const WORD_BYTES = 4;

export interface BridgeSpec {
  functions: Record<string, BridgeFn>;
  /** Used while the board boots (heap calibration); after seal() they answer nothing. */
  bootOnly: readonly string[];
  /** Take Python objects (callables, dicts) as arguments; all others take numbers and strings only. */
  takesPythonObjects: readonly string[];
}

export class JsBoundary {
  private sealed = false;
  /** Undefined until bridge() made it: until then Python can read and call nothing. */
  private module: object | undefined;
  private readonly callable = new Set<unknown>();
  private bootOnly: ReadonlySet<string> = new Set();

  /** `memory` answers once the interpreter is instantiated. */
  constructor(private readonly memory: () => WasmMemory) {}

  /** Makes the object to register as the `_pinwheel` module, its functions guarded. */
  bridge(spec: BridgeSpec): object {
    if (this.module) throw new Error('the bridge module exists already');
    this.bootOnly = new Set(spec.bootOnly);
    const takesObjects = new Set(spec.takesPythonObjects);
    const guarded: Record<string, BridgeFn> = Object.create(null) as Record<string, BridgeFn>;
    for (const [name, fn] of Object.entries(spec.functions)) {
      const guard = (...args: unknown[]): unknown => {
        if (this.sealed && this.bootOnly.has(name)) return null;
        if (!takesObjects.has(name) && !args.every(isPlain)) return null;
        return (fn as (...a: unknown[]) => unknown)(...args);
      };
      guarded[name] = guard;
      this.callable.add(guard);
    }
    this.module = Object.freeze(guarded);
    return this.module;
  }

  /** Boot is over: the boot-only functions can no longer be looked up or called. */
  seal(): void {
    this.sealed = true;
  }

  /** Replaces the JsProxy imports in `imports.env`; throws on an import this file does not know. */
  wrapImports(imports: WasmImports): void {
    const env = imports['env']!;
    for (const [name, fn] of Object.entries(env)) {
      if (typeof fn !== 'function' || NATIVE_IMPORT.test(name)) continue;
      const policy = JS_IMPORTS[name];
      if (!policy) throw new Error(`the interpreter imports ${name}, which the virtual board's sandbox does not know; refusing to start`);
      if (policy !== 'pass') env[name] = this.wrap(name, policy, fn as ImportFn);
    }
  }

  private wrap(name: string, policy: Exclude<Policy, 'pass'>, real: ImportFn): ImportFn {
    if (policy === 'attribute') {
      return (ref, namePtr, ...rest) => (this.mayRead(ref!, namePtr!) ? real(ref!, namePtr!, ...rest) : 0);
    }
    if (policy === 'call') {
      return (...args) => {
        if (this.callable.has(jsRef(args[0]!))) return real(...args);
        this.writeNone(args[args.length - 1]!);
        return undefined;
      };
    }
    const { deny } = policy;
    if (deny === 'void') return () => undefined;
    if (deny === 'false') return () => 0;
    return (...args) => {
      const slot = args[deny.noneAt];
      if (slot === undefined) throw new Error(`${name} called without its result slot`);
      this.writeNone(slot);
      return undefined;
    };
  }

  private mayRead(ref: number, namePtr: number): boolean {
    const module = this.module;
    if (!module || jsRef(ref) !== module) return false;
    const name = this.cString(namePtr);
    return Object.hasOwn(module, name) && !(this.sealed && this.bootOnly.has(name));
  }

  private writeNone(slot: number): void {
    new Int32Array(this.memory().buffer)[slot / WORD_BYTES] = KIND_NULL;
  }

  private cString(ptr: number): string {
    const bytes = new Uint8Array(this.memory().buffer);
    const end = bytes.indexOf(0, ptr);
    return Buffer.from(bytes.slice(ptr, end < 0 ? ptr : end)).toString('utf8');
  }
}

/** The loader's table of JavaScript objects Python holds references to (entry 0 is globalThis). */
function jsRef(ref: number): unknown {
  const table = (globalThis as { proxy_js_ref?: unknown[] }).proxy_js_ref;
  return table?.[ref];
}

function isPlain(value: unknown): boolean {
  return value === null || value === undefined || ['number', 'string', 'boolean'].includes(typeof value);
}
