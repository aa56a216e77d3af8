/**
 * What the VirtualBoard (main thread) and its interpreter worker share: the
 * layout of the shared control words, the messages the worker posts, and the
 * board constants both sides must agree on. One place, so neither side relies
 * on a comment saying "must match".
 */

/** Indices into the shared Int32Array of control words. */
import type { WasmModule } from './wasmApi.js';

export const CTL = {
  /** Total bytes the main thread has put into the RX ring (monotonic, wraps at 2^31). */
  RX_HEAD: 0,
  /** Total bytes the worker has taken from the RX ring. */
  RX_TAIL: 1,
  /** Bumped (and notified) on every event the worker may be waiting for: RX data, Ctrl-C, stop. */
  WAKE_SEQ: 2,
  /** Bytes of output the worker has posted that the main thread has not transmitted yet. */
  TX_PENDING: 4,
  /** Set to 1 to ask the worker to sync its flash and stop; STOP_TERMINATE when the thread is being ended. */
  STOP: 5,
  /** First of PIN_COUNT words holding the input level the host applies to each pin. */
  PIN_INPUT_BASE: 8,
} as const;

/** CTL.STOP value: the worker thread is being ended; a worker waiting for that exits by itself. */
export const STOP_TERMINATE = 2;

export const PIN_COUNT = 40;
export const CTL_WORDS = CTL.PIN_INPUT_BASE + PIN_COUNT;

/** Raw-paste flow-control window (pyexec.c: half of MICROPY_REPL_STDIN_BUFFER_MAX=256). */
export const RAW_PASTE_WINDOW_BYTES = 128;

/** The worker blocks its print path while this much output waits to be transmitted (UART TX buffer). */
export const TX_BUFFER_BYTES = 1024;

export const BOARD_NAME = 'Pinwheel virtual board with ESP32';
export const BOARD_MCU = 'ESP32';

/** A file or folder of the board's flash, path absolute on the board ("/lib/x.py"). */
export interface FlashEntry {
  path: string;
  /** File contents, or null for a folder. */
  data: Uint8Array | null;
}

export type BootKind =
  /** Power-on or hard reset: banner, boot.py, main.py, friendly REPL. */
  | 'cold'
  /** Soft reset from the friendly REPL. */
  | 'soft-friendly'
  /** Soft reset from the raw REPL: the board stays in raw mode and skips main.py. */
  | 'soft-raw';

export interface WorkerInit {
  control: SharedArrayBuffer;
  rxRing: SharedArrayBuffer;
  boot: BootKind;
  flash: FlashEntry[];
  /** Compiled interpreter with shared memory, so a reset does not compile it again. */
  wasmModule: WasmModule;
  /** Six bytes, stable for one VirtualBoard (machine.unique_id()). */
  uniqueId: Uint8Array;
}

export type WorkerMessage =
  /** The interpreter is loaded; the main thread can now inject Ctrl-C into its memory. */
  | {
      type: 'ready';
      memory: SharedArrayBuffer;
      /** [word index, value] pairs that mp_sched_keyboard_interrupt() writes, in the order to store them. */
      kbdWords: Array<[number, number]>;
      /** Word index of mp_interrupt_char (-1 when Ctrl-C is not intercepted). */
      interruptCharWord: number;
    }
  | { type: 'out'; data: Uint8Array }
  | { type: 'pin'; pin: number; value: number }
  | { type: 'flash'; writes: FlashEntry[]; deletes: string[] }
  | { type: 'reset'; kind: 'hard' | 'soft-friendly' | 'soft-raw' }
  | { type: 'stopped' }
  | { type: 'fatal'; message: string };

/**
 * Emscripten (WASI numbering) errno -> the errno an ESP32 running MicroPython
 * reports (Linux numbering, which MicroPython's own errno module uses). Without
 * it `os.stat('nope')` raises OSError(44) where a board raises ENOENT (2), and
 * clients such as mpremote misread every file error.
 */
export const WASI_TO_BOARD_ERRNO: ReadonlyMap<number, number> = new Map([
  [1, 7], // E2BIG
  [2, 13], // EACCES
  [6, 11], // EAGAIN
  [8, 9], // EBADF
  [10, 16], // EBUSY
  [16, 35], // EDEADLK
  [20, 17], // EEXIST
  [21, 14], // EFAULT
  [22, 27], // EFBIG
  [27, 4], // EINTR
  [28, 22], // EINVAL
  [29, 5], // EIO
  [31, 21], // EISDIR
  [32, 40], // ELOOP
  [33, 24], // EMFILE
  [34, 31], // EMLINK
  [37, 36], // ENAMETOOLONG
  [41, 23], // ENFILE
  [43, 19], // ENODEV
  [44, 2], // ENOENT
  [48, 12], // ENOMEM
  [51, 28], // ENOSPC
  [52, 38], // ENOSYS
  [54, 20], // ENOTDIR
  [55, 39], // ENOTEMPTY
  [58, 95], // EOPNOTSUPP
  [59, 25], // ENOTTY
  [60, 6], // ENXIO
  [63, 1], // EPERM
  [64, 32], // EPIPE
  [68, 34], // ERANGE
  [69, 30], // EROFS
  [70, 29], // ESPIPE
  [73, 110], // ETIMEDOUT
  [75, 18], // EXDEV
]);
