/**
 * The board engine's errors. `BoardError` is about talking to the board (no
 * prompt, timeouts, a lost link); `BoardExecError` carries a traceback the
 * board printed while running our code. Both carry `apiCode`, which
 * `ApiError.toShape` uses when they cross the API boundary.
 */

export type BoardErrorCode =
  | 'TIMEOUT' // the board did not answer within a step's time limit
  | 'NO_PROMPT' // the interrupt ladder ran out without reaching the raw REPL
  | 'PROTOCOL' // the board answered with bytes that do not fit the protocol
  | 'CANCELLED' // the caller's AbortSignal fired
  | 'LINK_LOST' // the link closed or failed under us
  | 'BUSY' // the session is closed or otherwise cannot take work
  | 'NOT_FOUND' // a board path does not exist
  | 'UNSUPPORTED' // the firmware lacks what the operation needs
  | 'VERIFY_FAILED' // data written to the board did not check out
  | 'INVALID'; // the caller passed something unusable (a bad path, ...)

/** Mirrors electron/common/api/errors.ts ApiErrorCode without importing the API layer. */
export type BoardApiCode =
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'NOT_FOUND'
  | 'DISCONNECTED'
  | 'BUSY'
  | 'PERMISSION'
  | 'BAD_REQUEST'
  | 'INTERNAL';

const API_CODE_BY_BOARD_CODE: Record<BoardErrorCode, BoardApiCode> = {
  TIMEOUT: 'TIMEOUT',
  NO_PROMPT: 'TIMEOUT',
  PROTOCOL: 'INTERNAL',
  CANCELLED: 'CANCELLED',
  LINK_LOST: 'DISCONNECTED',
  BUSY: 'BUSY',
  NOT_FOUND: 'NOT_FOUND',
  UNSUPPORTED: 'BAD_REQUEST',
  VERIFY_FAILED: 'INTERNAL',
  INVALID: 'BAD_REQUEST',
};

export class BoardError extends Error {
  override readonly name = 'BoardError';
  readonly apiCode: BoardApiCode;
  constructor(
    readonly code: BoardErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.apiCode = API_CODE_BY_BOARD_CODE[code];
  }
}

/** Whether `err` is a BoardError, with one of `codes` when any are given. */
export function isBoardError(err: unknown, ...codes: BoardErrorCode[]): err is BoardError {
  return err instanceof BoardError && (codes.length === 0 || codes.includes(err.code));
}

/** MicroPython's errno numbers (py/mperrno.h), which real boards use whatever the host OS. */
export const BOARD_ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EEXIST: 17,
  ENODEV: 19,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  ENOSPC: 28,
  EROFS: 30,
  ENOTEMPTY: 39,
  ETIMEDOUT: 110,
} as const;

const ERRNO_NAME_BY_NUMBER = new Map<number, string>(Object.entries(BOARD_ERRNO).map(([k, v]) => [v, k]));

export function errnoName(errno: number): string | undefined {
  return ERRNO_NAME_BY_NUMBER.get(errno);
}

/**
 * Finds the errno in a MicroPython traceback. Boards print either
 * `OSError: [Errno 2] ENOENT` (current firmware) or `OSError: 2` (older and
 * smaller ports); some print only the symbolic name. Numbers are trusted over
 * text, since the text differs between ports.
 */
export function parseErrno(traceback: string): number | undefined {
  const lines = traceback.split(/\r?\n/).filter((l) => l.trim() !== '');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    const m = /^(?:\w+\.)?OSError: (.*)$/.exec(line);
    if (!m) continue;
    const rest = m[1]!;
    const bracketed = /^\[Errno (-?\d+)\]/.exec(rest);
    if (bracketed) return Math.abs(Number(bracketed[1]));
    const bare = /^\(?(-?\d+)\b/.exec(rest);
    if (bare) return Math.abs(Number(bare[1]));
    const named = /^(E[A-Z]+)\b/.exec(rest);
    if (named) {
      const n = (BOARD_ERRNO as Record<string, number>)[named[1]!];
      if (n !== undefined) return n;
    }
    return undefined;
  }
  return undefined;
}

/** The last line of a traceback, e.g. `OSError: [Errno 2] ENOENT`, for short messages. */
export function tracebackSummary(traceback: string): string {
  const lines = traceback.split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines.length ? lines[lines.length - 1]!.trim() : '';
}

function apiCodeForErrno(errno: number | undefined): BoardApiCode {
  if (errno === BOARD_ERRNO.ENOENT) return 'NOT_FOUND';
  if (errno === BOARD_ERRNO.EACCES || errno === BOARD_ERRNO.EPERM || errno === BOARD_ERRNO.EROFS) return 'PERMISSION';
  return 'INTERNAL';
}

/** The board ran our code and it raised: `traceback` is what the board printed, `errno` parsed from it. */
export class BoardExecError extends Error {
  override readonly name = 'BoardExecError';
  readonly errno: number | undefined;
  readonly apiCode: BoardApiCode;
  constructor(
    readonly traceback: string,
    readonly stdout = '',
    message?: string,
  ) {
    super(message ?? (tracebackSummary(traceback) || 'The board raised an error'));
    this.errno = parseErrno(traceback);
    this.apiCode = apiCodeForErrno(this.errno);
  }

  /** The exception type on the last line, e.g. `OSError`, `MemoryError`. */
  get exceptionType(): string | undefined {
    const m = /^(?:\w+\.)?(\w+)(?::|$)/.exec(tracebackSummary(this.traceback));
    return m?.[1];
  }
}
