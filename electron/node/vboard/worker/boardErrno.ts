/**
 * Errno numbers as the board reports them. The interpreter is compiled by
 * Emscripten, whose C library and syscalls use WASI's numbering; MicroPython
 * on an ESP32 (and its own errno module) uses Linux's.
 */

/** WASI errno values the worker itself tests for. */
export const WASI_EAGAIN = 6;
export const WASI_EINTR = 27;
export const WASI_EIO = 29;

/**
 * Emscripten (WASI numbering) errno -> the errno an ESP32 running MicroPython
 * reports (Linux numbering, which MicroPython's own errno module uses). Without
 * it `os.stat('nope')` raises OSError(44) where a board raises ENOENT (2), and
 * clients such as mpremote misread every file error.
 */
const WASI_TO_BOARD_ERRNO: ReadonlyMap<number, number> = new Map([
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

/** A syscall result: negative WASI errno -> negative board errno; anything else unchanged. */
export function boardErrnoNegative(result: number): number {
  if (typeof result === 'number' && result < 0) {
    const mapped = WASI_TO_BOARD_ERRNO.get(-result);
    if (mapped !== undefined) return -mapped;
  }
  return result;
}

/** A WASI fd_* result: positive WASI errno -> board errno; 0 (success) unchanged. */
export function boardErrnoPositive(result: number): number {
  if (typeof result === 'number' && result > 0) return WASI_TO_BOARD_ERRNO.get(result) ?? result;
  return result;
}
