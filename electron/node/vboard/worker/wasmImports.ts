/**
 * Wraps the imports the interpreter's wasm calls (Emscripten's syscalls and
 * WASI fd_* functions) so it behaves like a board: errno in the board's
 * numbering, file writes that take flash time and mark the flash for sync,
 * stdin that reads the UART, a clock that lets idle loops sleep.
 */
import type { WasmImports, WasmMemory } from '../wasm/wasmApi.js';
import { boardErrnoNegative, boardErrnoPositive, WASI_EAGAIN, WASI_EINTR, WASI_EIO } from './boardErrno.js';

type ImportFn = (...args: number[]) => number;

/** Syscalls that change the file system whatever their arguments. */
const MUTATING_SYSCALLS = new Set(['__syscall_mkdirat', '__syscall_renameat', '__syscall_rmdir', '__syscall_unlinkat']);
/** open() flags: the access mode bits; anything but O_RDONLY (0) may write. */
const O_ACCMODE = 3;
const STDIN_FD = 0;
/** Descriptors above stderr are files. */
const LAST_STD_FD = 2;

export interface ImportHooks {
  /** The interpreter's memory; only called once it is instantiated. */
  memory(): WasmMemory;
  /** The interpreter's millisecond clock (see BoardClock.nativeTicksMs). */
  ticksMs(): number;
  /** Corrects the real poll() result for stdin (see StdinReader.poll). */
  pollStdin(result: number, fds: number, nfds: number): number;
  interruptPending(): boolean;
  /** Output went to the console: a busy program's collection point (HeapCollector). */
  consoleWritten(): void;
  flash: {
    /** Something may have changed the file system. */
    markDirty(): void;
    /** `bytes` were written to a file: the time flash takes for that. */
    spendWriteTime(bytes: number): void;
    /** A file was closed: where littlefs commits it. */
    fileClosed(): void;
  };
}

export function wrapImports(imports: WasmImports, hooks: ImportHooks): void {
  const env = imports['env']!;
  const wasi = imports['wasi_snapshot_preview1']!;
  env['mp_js_ticks_ms'] = () => hooks.ticksMs();
  const realPoll = env['__syscall_poll'] as ImportFn;
  env['__syscall_poll'] = (fds: number, nfds: number, timeout: number) => hooks.pollStdin(realPoll(fds, nfds, timeout), fds, nfds);
  wrapSyscalls(env, hooks);
  wrapWasiFds(wasi, hooks);
}

/** Emscripten's __syscall_* imports: negative errno results. */
function wrapSyscalls(env: Record<string, unknown>, hooks: ImportHooks): void {
  for (const [name, fn] of Object.entries(env)) {
    if (!name.startsWith('__syscall_') || typeof fn !== 'function') continue;
    const f = fn as ImportFn;
    if (name === '__syscall_openat') {
      env[name] = (dirfd: number, path: number, flags: number, varargs: number) => {
        if ((flags & O_ACCMODE) !== 0) hooks.flash.markDirty();
        return boardErrnoNegative(f(dirfd, path, flags, varargs));
      };
    } else if (MUTATING_SYSCALLS.has(name)) {
      env[name] = (...args: number[]) => {
        hooks.flash.markDirty();
        return boardErrnoNegative(f(...args));
      };
    } else {
      env[name] = (...args: number[]) => boardErrnoNegative(f(...args));
    }
  }
}

/** WASI's fd_* imports: positive errno results. */
function wrapWasiFds(wasi: Record<string, unknown>, hooks: ImportHooks): void {
  for (const [name, fn] of Object.entries(wasi)) {
    if (!name.startsWith('fd_') || typeof fn !== 'function') continue;
    const f = fn as ImportFn;
    if (name === 'fd_read') {
      wasi[name] = (fd: number, iovs: number, iovsLen: number, nreadPtr: number) => {
        const r = f(fd, iovs, iovsLen, nreadPtr);
        // StdinReader.readByte threw (EIO) or found nothing (EAGAIN) because of a Ctrl-C:
        // report EINTR, unmapped, which the interpreter's read loop answers by
        // raising the pending KeyboardInterrupt inside the read, as a board's
        // UART read does (returning no data instead let the next statement run).
        if (fd === STDIN_FD && (r === WASI_EIO || r === WASI_EAGAIN) && hooks.interruptPending()) return WASI_EINTR;
        return boardErrnoPositive(r);
      };
    } else if (name === 'fd_write') {
      wasi[name] = (fd: number, iovs: number, iovsLen: number, nwrittenPtr: number) => {
        const r = boardErrnoPositive(f(fd, iovs, iovsLen, nwrittenPtr));
        if (fd > LAST_STD_FD) {
          hooks.flash.markDirty();
          // The count of bytes written, a little-endian u32 (wasm memory is little-endian).
          if (r === 0) hooks.flash.spendWriteTime(new DataView(hooks.memory().buffer).getUint32(nwrittenPtr, true));
        } else if (fd !== STDIN_FD) {
          hooks.consoleWritten();
        }
        return r;
      };
    } else if (name === 'fd_close') {
      wasi[name] = (fd: number) => {
        const r = boardErrnoPositive(f(fd));
        if (fd > LAST_STD_FD) hooks.flash.fileClosed();
        return r;
      };
    } else {
      wasi[name] = (...args: number[]) => boardErrnoPositive(f(...args));
    }
  }
}
