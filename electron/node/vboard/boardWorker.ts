/// <reference path="./micropython-wasm.d.ts" />
/**
 * Worker thread running one MicroPython interpreter (one per thread: a second
 * loadMicroPython in the same thread breaks the first) as an ESP32 would run
 * it: it reads the UART receive ring the main thread fills, drives the REPL
 * byte by byte, answers raw-paste itself (the wasm's own raw-paste blocks
 * forever) and posts what the board prints.
 *
 * The thread blocks in Atomics.wait between bytes, so everything the main
 * thread tells it travels through shared memory; messages only go outwards.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadMicroPython, type MicroPython, type MicroPythonFS } from '@micropython/micropython-webassembly-pyscript';
import {
  CTL,
  PIN_COUNT,
  RAW_PASTE_WINDOW_BYTES,
  STOP_TERMINATE,
  TX_BUFFER_BYTES,
  BOARD_NAME,
  WASI_TO_BOARD_ERRNO,
  type FlashEntry,
  type WorkerInit,
  type WorkerMessage,
} from './boardProtocol.js';
import { wasmApi, type WasmImports, type WasmMemory } from './wasmApi.js';
import { PRELUDE_DIR, PRELUDE_FILES, PRELUDE_SETUP_PY, FLASH_BLOCK_BYTES, runScriptPy } from './boardPrelude.js';
import { BoardWaiter } from './BoardWaiter.js';
import { KeyboardInterruptWords } from './KeyboardInterruptWords.js';
import { PreludeFrameFilter } from './PreludeFrameFilter.js';

const CTRL_A = 0x01;
const CTRL_B = 0x02;
const CTRL_C = 0x03;
const CTRL_D = 0x04;
const CTRL_E = 0x05;

/** Output is posted when this much is buffered, or when the oldest byte is this old. */
const OUT_FLUSH_BYTES = 512;
const OUT_FLUSH_MS = 4;
/** How long a blocked wait sleeps before re-checking for stop (they are woken earlier by notify). */
const IDLE_WAIT_MS = 500;
/** TICKS_PERIOD of MicroPython's time module: ticks_ms/ticks_us wrap at 2^30. */
const TICKS_PERIOD = 2 ** 30;
/** Emscripten's errno numbers (WASI), as the interpreter's C code compares them. */
const WASI_EINTR = 27;
const WASI_EIO = 29;
const WASI_EAGAIN = 6;
/** poll() event bits (emscripten's, the same as Linux's). */
const POLLIN = 0x1;
const POLLOUT = 0x4;
/**
 * Writing flash takes time on a board: an ESP32 writes of the order of 100 KB/s
 * through its filesystem (sector erases included), and while it writes, Python
 * does not read the UART, whose small receive buffer then overflows. Without
 * this a write took no time at all, so no upload, however careless, could ever
 * lose bytes to a busy board the way real uploads do.
 */
const FLASH_WRITE_BYTES_PER_MS = 100;
/** Something to Atomics.wait on that nobody notifies: a precise sleep for flash work. */
const flashClock = new Int32Array(new SharedArrayBuffer(4));

/** The wasm port's board name; rewritten so banners say what board this is. */
const WASM_BOARD_TEXT = Buffer.from('JS with Emscripten', 'latin1');
const BOARD_TEXT = Buffer.from(BOARD_NAME, 'latin1');
const RAW_BANNER = 'raw REPL; CTRL-B to exit\r\n';

/** Root entries of the interpreter's file system that are not the board's flash. */
const HIDDEN_ROOT_ENTRIES = new Set(['tmp', 'home', 'dev', 'proc']);

const init = workerData as WorkerInit;
const port = parentPort;
if (!port) throw new Error('boardWorker must run in a worker thread');
const ctl = new Int32Array(init.control);
const ring = new Uint8Array(init.rxRing);
const ringCap = ring.length;

function post(message: WorkerMessage): void {
  port!.postMessage(message);
}

// ---------------------------------------------------------------------------
// Receive ring (filled by the main thread's UART model)

function ringUsed(): number {
  const head = Atomics.load(ctl, CTL.RX_HEAD);
  const tail = Atomics.load(ctl, CTL.RX_TAIL);
  return (head - tail + 2 * ringCap) % (2 * ringCap);
}

function ringTake(): number {
  const tail = Atomics.load(ctl, CTL.RX_TAIL);
  const b = ring[tail % ringCap]!;
  Atomics.store(ctl, CTL.RX_TAIL, (tail + 1) % (2 * ringCap));
  return b;
}

function stopRequested(): boolean {
  return Atomics.load(ctl, CTL.STOP) !== 0;
}

const waiter = new BoardWaiter(ctl, {
  interruptPending: () => interruptPending(),
  beforeBlock: () => flushOut(true),
  onStopRequested: () => {
    flushOut(true);
    if (mp) syncFlash();
    post({ type: 'stopped' });
    blockUntilTerminated();
  },
});

// ---------------------------------------------------------------------------
// Output: cooked line endings, board name, batched and flow-controlled

let outBuf: number[] = [];
let outFirstAt = 0;
let lastOutByte = 0;
/** Output is captured instead of sent while this is set (banners rewritten by the board model). */
let capture: number[] | null = null;
/** Bytes of the wasm's "OK" to swallow: raw-paste runs the code through raw mode, which answers OK. */
let swallowOk = 0;
/** Recent output, to notice the REPL entering raw mode. */
let recent = '';
let sawRawBanner = false;

function pushOut(c: number): void {
  if (outBuf.length === 0) outFirstAt = performance.now();
  outBuf.push(c);
  // A line end goes out at once: a program that prints and then computes without
  // printing (`print("started")` then `while True: n += 1`) never returns to JS,
  // so nothing else would flush it, and the host would see nothing, unlike a
  // board whose UART sends the line while the program runs.
  if (c === 0x0a || outBuf.length >= OUT_FLUSH_BYTES || performance.now() - outFirstAt >= OUT_FLUSH_MS) flushOut(false);
}

const preludeFrames = new PreludeFrameFilter(PRELUDE_DIR);

/** A byte printed by the interpreter; traceback lines into the prelude are hidden. */
function onWasmByte(c: number): void {
  preludeFrames.push(c, showWasmByte);
}

function showWasmByte(c: number): void {
  if (swallowOk > 0) {
    const expected = swallowOk === 2 ? 0x4f : 0x4b; // 'O', 'K'
    swallowOk = c === expected ? swallowOk - 1 : 0;
    if (c === expected) return;
  }
  recent = (recent + String.fromCharCode(c)).slice(-RAW_BANNER.length);
  if (recent === RAW_BANNER) sawRawBanner = true;
  if (capture) {
    capture.push(c);
    return;
  }
  // The wasm prints a bare \n where a board's cooked output sends \r\n.
  if (c === 0x0a && lastOutByte !== 0x0d) pushOut(0x0d);
  lastOutByte = c;
  pushOut(c);
}

/** Bytes the board model itself sends (raw-paste replies, soft reboot banner). */
function emit(bytes: string | Uint8Array): void {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  for (const c of data) {
    lastOutByte = c;
    pushOut(c);
  }
}

/**
 * Posts buffered output. When `final` is false, a tail that might be the start
 * of the wasm's board name is held back so the rename never misses a split.
 */
function flushOut(final: boolean): void {
  if (final) preludeFrames.release(showWasmByte);
  if (outBuf.length === 0) return;
  let data = Buffer.from(outBuf);
  let held = 0;
  if (!final) {
    for (let n = Math.min(WASM_BOARD_TEXT.length - 1, data.length); n >= 3; n--) {
      if (data.subarray(data.length - n).equals(WASM_BOARD_TEXT.subarray(0, n))) {
        held = n;
        break;
      }
    }
  }
  const keep = held > 0 ? [...data.subarray(data.length - held)] : [];
  data = data.subarray(0, data.length - held);
  outBuf = keep;
  if (keep.length > 0) outFirstAt = performance.now();
  if (data.length === 0) return;
  const send = renameBoard(data);
  Atomics.add(ctl, CTL.TX_PENDING, send.length);
  post({ type: 'out', data: new Uint8Array(send) });
  // A board's print blocks while its UART transmit buffer is full.
  for (;;) {
    const pending = Atomics.load(ctl, CTL.TX_PENDING);
    if (pending <= TX_BUFFER_BYTES || stopRequested()) break;
    Atomics.wait(ctl, CTL.TX_PENDING, pending, IDLE_WAIT_MS);
  }
}

function renameBoard(data: Buffer): Buffer {
  const at = data.indexOf(WASM_BOARD_TEXT);
  if (at < 0) return data;
  return Buffer.concat([data.subarray(0, at), BOARD_TEXT, renameBoard(data.subarray(at + WASM_BOARD_TEXT.length))]);
}

// ---------------------------------------------------------------------------
// The interpreter, loaded with shared memory and wrapped imports

let wasmExports: Record<string, unknown> | undefined;
let kbdInterrupt: KeyboardInterruptWords | undefined;

function interruptPending(): boolean {
  return kbdInterrupt?.isPending() ?? false;
}
let flashDirty = false;
let lastTick = -1;

/** The time a board spends writing `bytes` to flash, during which it reads no UART input. */
function flashBusy(bytes: number): void {
  if (bytes > 0) Atomics.wait(flashClock, 0, 0, bytes / FLASH_WRITE_BYTES_PER_MS);
}

function mapErrnoNegative(r: number): number {
  if (typeof r === 'number' && r < 0) {
    const mapped = WASI_TO_BOARD_ERRNO.get(-r);
    if (mapped !== undefined) return -mapped;
  }
  return r;
}

function mapErrnoPositive(r: number): number {
  if (typeof r === 'number' && r > 0) return WASI_TO_BOARD_ERRNO.get(r) ?? r;
  return r;
}

type ImportFn = (...args: number[]) => number;

const MUTATING_SYSCALLS = new Set([
  '__syscall_mkdirat',
  '__syscall_renameat',
  '__syscall_rmdir',
  '__syscall_unlinkat',
]);
const O_ACCMODE = 3;

function wrapImports(imports: WasmImports): void {
  const env = imports['env']!;
  const wasi = imports['wasi_snapshot_preview1']!;
  env['mp_js_ticks_ms'] = ticksMs;
  const realPoll = env['__syscall_poll'] as ImportFn;
  env['__syscall_poll'] = (fds: number, nfds: number, timeout: number) => pollWithStdin(realPoll(fds, nfds, timeout), fds, nfds);
  for (const [name, fn] of Object.entries(env)) {
    if (!name.startsWith('__syscall_') || typeof fn !== 'function') continue;
    const f = fn as ImportFn;
    if (name === '__syscall_openat') {
      env[name] = (dirfd: number, path: number, flags: number, varargs: number) => {
        if ((flags & O_ACCMODE) !== 0) flashDirty = true;
        return mapErrnoNegative(f(dirfd, path, flags, varargs));
      };
    } else if (MUTATING_SYSCALLS.has(name)) {
      env[name] = (...args: number[]) => {
        flashDirty = true;
        return mapErrnoNegative(f(...args));
      };
    } else {
      env[name] = (...args: number[]) => mapErrnoNegative(f(...args));
    }
  }
  for (const [name, fn] of Object.entries(wasi)) {
    if (!name.startsWith('fd_') || typeof fn !== 'function') continue;
    const f = fn as ImportFn;
    if (name === 'fd_read') {
      wasi[name] = (fd: number, iovs: number, iovsLen: number, nreadPtr: number) => {
        const r = f(fd, iovs, iovsLen, nreadPtr);
        // stdinByte threw (EIO) or found nothing (EAGAIN) because of a Ctrl-C:
        // report EINTR, unmapped, which the interpreter's read loop answers by
        // raising the pending KeyboardInterrupt inside the read, as a board's
        // UART read does (returning no data instead let the next statement run).
        if (fd === 0 && (r === WASI_EIO || r === WASI_EAGAIN) && interruptPending()) return WASI_EINTR;
        return mapErrnoPositive(r);
      };
    } else if (name === 'fd_write') {
      wasi[name] = (fd: number, iovs: number, iovsLen: number, nwrittenPtr: number) => {
        const r = mapErrnoPositive(f(fd, iovs, iovsLen, nwrittenPtr));
        if (fd > 2) {
          flashDirty = true;
          if (r === 0) flashBusy(new DataView((wasmExports!['memory'] as WasmMemory).buffer).getUint32(nwrittenPtr, true));
        }
        return r;
      };
    } else if (name === 'fd_close') {
      wasi[name] = (fd: number) => {
        const r = mapErrnoPositive(f(fd));
        // Closing a written file is where littlefs commits it: persist now,
        // so a kill right after still finds the file on the host.
        if (fd > 2 && flashDirty && mp) syncFlash();
        return r;
      };
    } else {
      wasi[name] = (...args: number[]) => mapErrnoPositive(f(...args));
    }
  }
}

/**
 * The interpreter's clock. Its own busy loops (select.poll's wait, asyncio's)
 * read it until time passes: called again within the same millisecond, it
 * waits for the next one, so a waiting board costs no CPU, and returns at once
 * when a Ctrl-C is pending so the loop reaches the VM's interrupt check.
 */
function ticksMs(): number {
  const now = Math.floor(performance.now());
  if (now !== lastTick) {
    lastTick = now;
    return now;
  }
  waiter.waitUntil(now + 1);
  lastTick = Math.floor(performance.now());
  return lastTick;
}

/** Thrown out of stdinByte when a Ctrl-C ends a read; the device layer turns it into EIO (then EINTR, see fd_read). */
const READ_INTERRUPTED = new Error('stdin read interrupted by a KeyboardInterrupt');

/** sys.stdin reads land here: block until the host sends a byte, as a board's UART read does. */
function stdinByte(): number {
  if (waiter.waitUntil(Infinity, () => ringUsed() > 0) === 'interrupted') throw READ_INTERRUPTED;
  return ringTake();
}

/** poll() on stdin says readable only when a byte is waiting (emscripten calls a device always ready). */
function pollWithStdin(result: number, fds: number, nfds: number): number {
  if (result < 0 || !wasmExports) return result;
  const view = new DataView((wasmExports['memory'] as WasmMemory).buffer);
  let ready = 0;
  for (let i = 0; i < nfds; i++) {
    const entry = fds + 8 * i;
    if (view.getInt32(entry, true) === 0) {
      const events = view.getInt16(entry + 4, true);
      const revents = (events & POLLOUT) | (ringUsed() > 0 ? events & POLLIN : 0);
      view.setInt16(entry + 6, revents, true);
    }
    if (view.getInt16(entry + 6, true) !== 0) ready++;
  }
  return ready;
}

type WasmInstantiate = (bytes: unknown, imports: WasmImports) => Promise<unknown>;
const wasm = wasmApi();
const realInstantiate = wasm.instantiate.bind(wasm);
// The loader reads and instantiates the wasm itself; hand it the module the
// main thread compiled with shared memory instead, with wrapped imports.
(wasm as unknown as { instantiate: WasmInstantiate }).instantiate = async (_bytes, imports) => {
  wrapImports(imports);
  const instance = await realInstantiate(init.wasmModule, imports);
  wasmExports = instance.exports;
  return { instance, module: init.wasmModule };
};

let mp: MicroPython | undefined;

// ---------------------------------------------------------------------------
// Flash: the interpreter's file system (minus hidden folders) <-> host

let fs!: MicroPythonFS;
let realReaddir!: (path: string) => string[];
let synced = new Map<string, Uint8Array | null>();

function walkFlash(dir: string, out: Map<string, Uint8Array | null>): void {
  for (const name of realReaddir(dir)) {
    if (name === '.' || name === '..') continue;
    if (dir === '/' && HIDDEN_ROOT_ENTRIES.has(name)) continue;
    const path = dir === '/' ? `/${name}` : `${dir}/${name}`;
    const st = fs.stat(path);
    if (fs.isDir(st.mode)) {
      out.set(path, null);
      walkFlash(path, out);
    } else if (fs.isFile(st.mode)) {
      out.set(path, fs.readFile(path));
    }
  }
}

function sameEntry(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

function syncFlash(): void {
  flashDirty = false;
  const now = new Map<string, Uint8Array | null>();
  walkFlash('/', now);
  const writes: FlashEntry[] = [];
  const deletes: string[] = [];
  for (const [path, data] of now) {
    const before = synced.get(path);
    if (before === undefined || !sameEntry(before, data)) {
      if (before !== undefined && (before === null) !== (data === null)) deletes.push(path);
      writes.push({ path, data: data === null ? null : new Uint8Array(data) });
    }
  }
  for (const path of synced.keys()) if (!now.has(path)) deletes.push(path);
  synced = now;
  if (writes.length > 0 || deletes.length > 0) post({ type: 'flash', writes, deletes });
}

function flashUsedBlocks(): number {
  let blocks = 0;
  const all = new Map<string, Uint8Array | null>();
  walkFlash('/', all);
  for (const data of all.values()) blocks += data === null ? 1 : Math.max(1, Math.ceil(data.length / FLASH_BLOCK_BYTES));
  return blocks;
}

function loadFlash(entries: FlashEntry[]): void {
  const sorted = [...entries].sort((a, b) => a.path.split('/').length - b.path.split('/').length);
  for (const { path, data } of sorted) {
    if (data === null) {
      if (!exists(path)) fs.mkdir(path);
    } else {
      fs.writeFile(path, data);
    }
    synced.set(path, data);
  }
}

function exists(path: string): boolean {
  try {
    fs.stat(path);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// Board functions Python calls (machine module)

const pinOut = new Int8Array(PIN_COUNT).fill(-1);
let rawMode = init.boot === 'soft-raw';

/**
 * After a reset request the host ends this thread. It sets STOP to
 * STOP_TERMINATE first and we leave on our own, because a terminate() that
 * lands while the thread is parked in Atomics.wait was seen to never complete
 * (the board then stayed dead after machine.reset(), about one reset in six).
 */
function blockUntilTerminated(): never {
  for (;;) {
    const stop = Atomics.load(ctl, CTL.STOP);
    if (stop === STOP_TERMINATE) process.exit(0);
    Atomics.wait(ctl, CTL.STOP, stop, IDLE_WAIT_MS);
  }
}

function resetBoard(kind: 'hard' | 'soft-friendly' | 'soft-raw'): never {
  flushOut(true);
  syncFlash();
  post({ type: 'reset', kind });
  blockUntilTerminated();
}

const pinwheelModule = {
  pin_count: () => PIN_COUNT,
  pin_set: (pin: number, value: number) => {
    if (pinOut[pin] === value) return;
    pinOut[pin] = value;
    flushOut(true); // keep output and pin changes in the order they happened
    post({ type: 'pin', pin, value });
  },
  pin_out: (pin: number) => Math.max(0, pinOut[pin] ?? 0),
  pin_in: (pin: number) => (pinOut[pin] === -1 ? Atomics.load(ctl, CTL.PIN_INPUT_BASE + pin) : pinOut[pin]),
  unique_id: () => [...init.uniqueId],
  reset_cause: () => 1,
  hard_reset: () => resetBoard('hard'),
  soft_reset: () => {
    // What pyexec prints when a raw-REPL command ends in a forced exit.
    if (rawMode) emit('\x04\x04');
    resetBoard(rawMode ? 'soft-raw' : 'soft-friendly');
  },
  flash_used_blocks: () => flashUsedBlocks(),
  /** Sleeps; true when a Ctrl-C cut it short (the caller then raises it at once). */
  wait_ms: (ms: number) => waiter.sleep(ms),
  ticks_ms: () => Math.floor(performance.now()) % TICKS_PERIOD,
  ticks_us: () => Math.floor(performance.now() * 1000) % TICKS_PERIOD,
};

// ---------------------------------------------------------------------------
// Memory addresses the main thread writes to interrupt Python

function findInterruptCharWord(memory: WasmMemory, py: MicroPython): number {
  const probe = (value: number): Int32Array => {
    py.runPython(`import micropython\nmicropython.kbd_intr(${value})\ndel micropython`);
    return new Int32Array(memory.buffer);
  };
  const before = new Int32Array(memory.buffer).slice();
  let words = probe(4660);
  let candidates: number[] = [];
  for (let i = 0; i < before.length; i++) if (words[i] === 4660 && before[i] !== 4660) candidates.push(i);
  words = probe(22136);
  candidates = candidates.filter((i) => words[i] === 22136);
  words = probe(-1);
  candidates = candidates.filter((i) => words[i] === -1);
  // A copy of the argument may linger on the shadow stack: ask the
  // interpreter which word it actually reads.
  const getChar = wasmExports!['mp_hal_get_interrupt_char'] as () => number;
  candidates = candidates.filter((i) => {
    Atomics.store(words, i, 77);
    const hit = getChar() === 77;
    Atomics.store(words, i, -1);
    return hit;
  });
  if (candidates.length !== 1) throw new Error(`could not locate mp_interrupt_char (${candidates.length} candidates)`);
  return candidates[0]!;
}

// ---------------------------------------------------------------------------
// REPL driver

/** Raw-REPL line as pyexec holds it: only its length and first two bytes matter here. */
let rawLineLen = 0;
let rawLineHead: number[] = [];

function feed(c: number): void {
  const wasRaw = rawMode;
  sawRawBanner = false;
  kbdInterrupt?.clearStale();
  const ret = mp!.replProcessChar(c);
  if (wasRaw) {
    if (c === CTRL_B) rawMode = false;
    else if (c === CTRL_A || c === CTRL_C || c === CTRL_D) {
      rawLineLen = 0;
      rawLineHead = [];
    } else {
      rawLineLen++;
      if (rawLineHead.length < 2) rawLineHead.push(c);
    }
  } else if (sawRawBanner) {
    rawMode = true;
    rawLineLen = 0;
    rawLineHead = [];
  }
  if (ret !== 0) resetBoard(wasRaw ? 'soft-raw' : 'soft-friendly');
}

/**
 * Raw-paste (`\x05A\x01` at the raw prompt), as pyexec.c does it: reply `R\x01`,
 * the window size and one window credit; a `\x01` per window consumed; `\x04`
 * once the host's `\x04` arrives; then the usual stdout `\x04` error `\x04` `>`.
 * The code then runs through the raw REPL with its "OK" swallowed.
 */
function rawPaste(): void {
  feed(CTRL_C); // drop the \x05A the raw line holds
  emit(
    new Uint8Array([0x52, 0x01, RAW_PASTE_WINDOW_BYTES & 0xff, RAW_PASTE_WINDOW_BYTES >> 8, 0x01]),
  );
  const code: number[] = [];
  let windowRemain = RAW_PASTE_WINDOW_BYTES;
  for (;;) {
    const c = takeByte();
    if (c === CTRL_D || c === CTRL_C) {
      emit('\x04');
      if (c === CTRL_C) {
        emit('\x04KeyboardInterrupt: \r\n\x04>');
        return;
      }
      break;
    }
    code.push(c);
    if (--windowRemain === 0) {
      emit('\x01');
      windowRemain = RAW_PASTE_WINDOW_BYTES;
    }
  }
  flushOut(true);
  for (const c of code) {
    // Only \x01..\x04 are commands in raw mode; they cannot be sent through it.
    if (c >= CTRL_A && c <= CTRL_D) continue;
    feed(c);
  }
  swallowOk = 2;
  feed(CTRL_D);
  swallowOk = 0;
}

function handleByte(c: number): void {
  if (rawMode && c === CTRL_A && rawLineLen === 2 && rawLineHead[0] === CTRL_E && rawLineHead[1] === 0x41) {
    rawPaste();
    return;
  }
  feed(c);
}

/** Next received byte for the REPL, blocking (a stop request ends the thread from inside the wait). */
function takeByte(): number {
  // No Python runs here, so a pending interrupt is a leftover (see clearStale), not a reason to stop waiting.
  // Flash is saved here, when the REPL is idle (and when a file is closed), never in a program's
  // waits: a file still open is not committed on a board either.
  if (flashDirty) syncFlash();
  for (;;) {
    kbdInterrupt?.clearStale();
    if (waiter.waitUntil(Infinity, () => ringUsed() > 0) === 'ready') return ringTake();
  }
}

function runStartupScript(path: 'boot.py' | 'main.py'): void {
  if (!exists(`/${path}`)) return;
  try {
    mp!.runPython(runScriptPy(path));
  } catch (err) {
    // The runner prints the script's own errors; this is the runner failing, which must not kill the board.
    emit(`${path}: ${err instanceof Error ? err.message : String(err)}\r\n`);
  }
}

/** Runs `fn` with the interpreter's output captured, and returns it. */
function captured(fn: () => void): Buffer {
  flushOut(true);
  const bytes: number[] = [];
  capture = bytes;
  try {
    fn();
  } finally {
    capture = null;
  }
  return Buffer.from(bytes);
}

async function main(): Promise<void> {
  mp = await loadMicroPython({
    linebuffer: false,
    stdin: stdinByte,
    stdout: (data) => {
      for (const c of data) onWasmByte(c);
    },
    stderr: (data) => {
      for (const c of data) onWasmByte(c);
    },
  });
  const memory = wasmExports!['memory'] as WasmMemory;
  fs = mp.FS;
  realReaddir = fs.readdir.bind(fs);
  // Only the board's own files show at the root, as on a board.
  fs.readdir = (path: string) => {
    const names = realReaddir(path);
    return path === '/' || path === '' ? names.filter((n) => !HIDDEN_ROOT_ENTRIES.has(n)) : names;
  };
  if (!exists(PRELUDE_DIR)) fs.mkdir(PRELUDE_DIR);
  for (const [name, src] of PRELUDE_FILES) fs.writeFile(`${PRELUDE_DIR}/${name}`, src);
  loadFlash(init.flash);
  flashDirty = false;
  mp.registerJsModule('_pinwheel', pinwheelModule);
  kbdInterrupt = KeyboardInterruptWords.find(memory, wasmExports!['mp_sched_keyboard_interrupt'] as () => void, () => {
    // The loop's jump raises the pending interrupt; runPython reports it as a PythonError.
    captured(() => {
      try {
        mp!.runPython('for _ in range(2):\n    pass');
      } catch {
        // expected: KeyboardInterrupt
      }
    });
  });
  const kbdWords = kbdInterrupt.all.map(([index, , pending]): [number, number] => [index, pending]);
  const interruptCharWord = findInterruptCharWord(memory, mp);
  const setupOut = captured(() => mp!.runPython(PRELUDE_SETUP_PY));
  if (setupOut.length > 0) throw new Error(`board prelude failed: ${setupOut.toString('latin1')}`);
  post({ type: 'ready', memory: memory.buffer as SharedArrayBuffer, kbdWords, interruptCharWord });

  if (init.boot !== 'cold') emit('MPY: soft reboot\r\n');
  runStartupScript('boot.py');
  if (init.boot !== 'soft-raw') runStartupScript('main.py');
  kbdInterrupt.clearStale();
  if (flashDirty) syncFlash();
  if (init.boot === 'soft-raw') {
    captured(() => {
      mp!.replInit();
      mp!.replProcessChar(CTRL_A);
    });
    rawMode = true;
    emit(RAW_BANNER + '>');
  } else {
    // The event-driven REPL starts its banner with a blank line a board does not print.
    let banner = captured(() => mp!.replInit());
    if (banner[0] === 0x0d && banner[1] === 0x0a) banner = banner.subarray(2);
    emit(renameBoard(banner));
  }

  for (;;) handleByte(takeByte());
}

main().catch((err: unknown) => {
  post({ type: 'fatal', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
});
