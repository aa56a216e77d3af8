/// <reference path="../wasm/micropython-wasm.d.ts" />
/**
 * Garbage collection while a program runs, for a board whose heap is fixed
 * (the 1.9 profile's 10 KB).
 *
 * The WebAssembly port cannot scan the C stack (C values live in WebAssembly
 * locals), so its gc_collect() only raises a flag, and the collection runs
 * when the outermost call from JavaScript returns (external_call_depth back to
 * 0). With a heap that grows, that is enough. With a fixed one, a program that
 * makes garbage in a loop (floats, strings) would die with MemoryError long
 * before a board with the same heap, whose collector scans its stack. So at
 * collection points (sleeps, pin and tick calls, console output, gc.collect())
 * this class runs that same top-level collection early: it sets the depth word
 * to 0 and makes one call into the interpreter (a dictionary lookup), whose
 * return collects; then it restores the depth.
 *
 * That is safe only when no object in use is held by C code alone, out of the
 * collector's sight. It holds when the C frames between the host and the
 * collection point are the interpreter running Python, Python calling Python
 * or the bridge, and print. At boot, calibration walks exactly those paths
 * (prelude/heapProbe.ts) and records their WebAssembly call sites; at run time
 * a collection happens only when every call site on the stack is one of them.
 * A program inside a constructor, sorted(key=...), a generator and the like
 * just collects at a later point.
 */
import type { MicroPython } from '@micropython/micropython-webassembly-pyscript';
import { CALIBRATION_CLEANUP_PY, CALIBRATION_FILE, CALIBRATION_PY, CALIBRATION_REPL_INPUT, CALIBRATION_RUN_PY, CHECK_PY, GC_BLOCK_BYTES, LOCATE_PY } from '../prelude/heapProbe.js';
import { PRELUDE_DIR } from '../prelude/preludeFiles.js';
import type { WasmMemory } from '../wasm/wasmApi.js';
import { findAllocatedBlocksWord, findCallDepthWord } from './heapWords.js';

/**
 * Where the collector may run: gc.collect() and sleeps whenever anything was
 * allocated since the last collection; busy points (pins, ticks, console
 * output) once BUSY_COLLECT_BYTES were.
 */
export type CollectionPoint = 'forced' | 'sleep' | 'busy';

/** An eighth of the board's free heap: often enough that garbage never crowds out live data, rare enough to cost nothing. */
const BUSY_COLLECT_BYTES = 1280;
/** A key every build has as a string constant, so looking it up allocates nothing. */
const LOOKUP_KEY = 'keys\0';
const LOOKUP_RESULT_BYTES = 12;
const WORD_BYTES = 4;

type State = 'off' | 'calibrating' | 'ready';
type Export = (...args: number[]) => number;

export class HeapCollector {
  private state: State = 'off';
  private depthWord = -1;
  private allocatedWord = -1;
  /** WebAssembly call sites (module byte offsets) seen on safe paths during calibration. */
  private readonly safeSites = new Set<number>();
  private collecting = false;
  /** The dictionary the collecting lookup reads; kept so its reference stays valid. */
  private dict: { _ref: number } | undefined;
  private keyPtr = 0;
  private resultPtr = 0;
  /** Snapshots the locating probe took, by its key. */
  private readonly snaps = new Map<string | number, Int32Array>();
  /** Word range of the interpreter's static data, where the words are looked for. */
  private range: [number, number] = [0, 0];
  private checked = false;

  constructor(
    private readonly memory: WasmMemory,
    private readonly exports: Record<string, unknown>,
  ) {}

  /** What the probe calls on `_pinwheel`; gc.collect() calls `collect`. */
  bridgeFunctions() {
    return {
      collect: () => this.point('forced'),
      heap_snap: (key: string | number) => void this.snaps.set(key, this.view().slice(...this.range)),
      heap_nest: (f: () => unknown) => f(),
      heap_hold: (d: { _ref: number }) => {
        this.dict = d;
      },
      heap_check: () => this.check(),
      heap_point: () => this.point('busy'),
    };
  }

  /**
   * Finds the words, checks that the collecting call works, and calibrates.
   * Until this succeeds the board still collects after every command; only
   * collection inside a running program is missing. `captured` runs Python
   * with its output hidden and returns what it printed.
   */
  setUp(mp: MicroPython, captured: (run: () => void) => Buffer): void {
    const malloc = this.exports['malloc'] as Export;
    const stackBase = (this.exports['emscripten_stack_get_base'] as Export)();
    this.keyPtr = malloc(LOOKUP_KEY.length);
    new Uint8Array(this.memory.buffer).set(Buffer.from(LOOKUP_KEY, 'latin1'), this.keyPtr);
    this.resultPtr = malloc(LOOKUP_RESULT_BYTES);
    // The interpreter's static data lies between the stack and the first malloc'ed block.
    this.range = [stackBase / WORD_BYTES, this.keyPtr / WORD_BYTES];
    if (!this.locate(mp, captured)) return;
    mp.FS.writeFile(`${PRELUDE_DIR}/${CALIBRATION_FILE}`, CALIBRATION_PY);
    this.state = 'calibrating';
    const calibration = captured(() => {
      mp.runPython(CALIBRATION_RUN_PY);
      mp.replInit();
      for (const c of Buffer.from(CALIBRATION_REPL_INPUT, 'latin1')) mp.replProcessChar(c);
      mp.runPython(CALIBRATION_CLEANUP_PY);
    });
    mp.FS.unlink(`${PRELUDE_DIR}/${CALIBRATION_FILE}`);
    this.state = calibration.includes('Traceback') || this.safeSites.size === 0 ? 'off' : 'ready';
  }

  /** A collection point was reached (see CollectionPoint). */
  point(kind: CollectionPoint): void {
    if (this.state === 'calibrating') {
      for (const site of callSites()) this.safeSites.add(site);
      return;
    }
    if (this.state !== 'ready' || this.collecting) return;
    const allocated = this.view()[this.allocatedWord]! * GC_BLOCK_BYTES;
    if (allocated === 0 || (kind === 'busy' && allocated < BUSY_COLLECT_BYTES)) return;
    if (!callSites().every((site) => this.safeSites.has(site))) return;
    this.collectNow();
  }

  /** Runs the probe, finds the words from its snapshots and one taken back at the top level, then checks a collection. */
  private locate(mp: MicroPython, captured: (run: () => void) => Buffer): boolean {
    if (captured(() => mp.runPython(LOCATE_PY)).includes('Traceback')) return false;
    const [from, to] = this.range;
    const snap = (key: string | number): Int32Array => this.snaps.get(key) ?? new Int32Array(0);
    const snapshots = {
      top: this.view().slice(from, to),
      nested: [snap('d1'), snap('d2'), snap('d3')] as const,
      allocations: [...this.snaps.keys()].filter((k): k is number => typeof k === 'number' && k > 0).map((n) => [n, snap(n), snap(-n)] as const),
    };
    this.snaps.clear();
    const depth = findCallDepthWord(snapshots);
    const allocated = findAllocatedBlocksWord(snapshots);
    if (depth < 0 || allocated < 0) return false;
    this.depthWord = from + depth;
    this.allocatedWord = from + allocated;
    return !captured(() => mp.runPython(CHECK_PY)).includes('Traceback') && this.checked;
  }

  /** Inside CHECK_PY, with garbage allocated: one collection must reset the allocation count. */
  private check(): void {
    if (!this.dict) return;
    const before = this.view()[this.allocatedWord]!;
    this.collectNow();
    this.checked = before > 0 && this.view()[this.allocatedWord] === 0;
  }

  /** The port's own top-level collection, run from here: depth 0 for the length of one call into the interpreter. */
  private collectNow(): void {
    const lookup = this.exports['proxy_c_to_js_lookup_attr'] as Export;
    const words = this.view();
    const depth = words[this.depthWord]!;
    this.collecting = true;
    words[this.depthWord] = 0;
    try {
      lookup(this.dict!._ref, this.keyPtr, this.resultPtr);
    } finally {
      this.view()[this.depthWord] = depth;
      this.collecting = false;
    }
  }

  private view(): Int32Array {
    return new Int32Array(this.memory.buffer);
  }
}

/** A WebAssembly frame as V8 prints it, whatever formats the rest: `wasm-function[1032]:0x2df36`. */
const WASM_FRAME = /wasm-function\[\d+\]:0x([0-9a-f]+)/g;
const HEX = 16;

/**
 * WebAssembly call sites on the current stack (module byte offsets), innermost
 * first. Read from the printed stack: loaders such as tsx replace
 * Error.prepareStackTrace, so the structured frames are not always reachable.
 */
function callSites(): number[] {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  let stack: string;
  try {
    stack = new Error().stack ?? '';
  } finally {
    Error.stackTraceLimit = limit;
  }
  return [...stack.matchAll(WASM_FRAME)].map((m) => Number.parseInt(m[1]!, HEX));
}
