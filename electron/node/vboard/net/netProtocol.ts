/**
 * What the board's interpreter thread and the main thread share for the
 * board's network: the layout of the network's shared words and the requests
 * the interpreter posts. The interpreter blocks in Atomics.wait, so answers
 * and socket readiness come back through shared memory, never as messages.
 *
 * One request is outstanding at a time (the interpreter is one thread); a
 * request cut short by Ctrl-C is abandoned, and the main thread writes an
 * answer only for the newest request, so a late answer never lands on a
 * newer one's words.
 */

/** Sockets a board has open at once (an ESP32's lwIP allows about this many). */
export const MAX_SOCKETS = 16;
/** Bytes one recv() hands over at most (the data area's size). */
export const NET_DATA_BYTES = 32 * 1024;

/** Indices into the shared Int32Array. */
export const NET = {
  /** The seq of the newest request answered. */
  DONE_SEQ: 0,
  /** Its result: a count or id (>= 0) or a negative board errno. */
  RESULT: 1,
  /** Bytes of the answer in the data area (recv's data, getaddrinfo's address). */
  DATA_LEN: 2,
  /** First of MAX_SOCKETS words of SOCKET_* bits, one per slot: a socket's id % MAX_SOCKETS. */
  SOCKET_STATE_BASE: 4,
} as const;
export const NET_WORDS = NET.SOCKET_STATE_BASE + MAX_SOCKETS;
/** The shared buffer: the words, then the data area. */
export const NET_SHARED_BYTES = NET_WORDS * 4 + NET_DATA_BYTES;

/** Socket state bits: what select.poll and a blocking read wait for, kept current by the main thread. */
export const SOCKET_OPEN = 1;
export const SOCKET_CONNECTED = 2;
/** Received bytes are waiting. */
export const SOCKET_READABLE = 4;
/** The peer closed its side (reads return what is left, then b''). */
export const SOCKET_EOF = 8;
/** The connection failed or was reset: the next operation raises SOCKET_ERRNO. */
export const SOCKET_ERROR = 16;
/** The errno of a failed connection, in the bits above the flags. */
export const SOCKET_ERRNO_SHIFT = 8;

/**
 * Board errno numbers for the network: an ESP32's, newlib's numbering (what
 * lwIP raises through MicroPython). Several differ from Linux's, which the
 * interpreter's own errno module has: BOARD_ERRNO_NUMBERS sets those, so
 * `e.errno == errno.ETIMEDOUT` holds as on a board.
 */
export const BOARD_ERRNO = {
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EINVAL: 22,
  ENFILE: 23,
  ECONNRESET: 104,
  ECONNREFUSED: 111,
  EADDRINUSE: 112,
  ECONNABORTED: 113,
  ENETUNREACH: 114,
  ETIMEDOUT: 116,
  EHOSTUNREACH: 118,
  EINPROGRESS: 119,
  EALREADY: 120,
  EISCONN: 127,
  ENOTCONN: 128,
} as const;

/** The errno module's numbers an ESP32 gives differently from the interpreter's (worker/errnoNumbers.ts sets them). */
export const BOARD_ERRNO_NUMBERS: Readonly<Record<string, number>> = Object.fromEntries(
  (['EADDRINUSE', 'ECONNABORTED', 'ENETUNREACH', 'ETIMEDOUT', 'EHOSTUNREACH', 'EINPROGRESS', 'EALREADY', 'EISCONN', 'ENOTCONN'] as const).map((name) => [name, BOARD_ERRNO[name]]),
);

/** TLS failures as an ESP32's mbedTLS reports them (OSError(code, name)). */
export const TLS_ERRORS = {
  MBEDTLS_ERR_X509_CERT_VERIFY_FAILED: -9984,
  MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE: -30592,
  MBEDTLS_ERR_SSL_CONN_EOF: -29312,
} as const;

/** What a bridge call returns when a Ctrl-C ended its wait: the Python side then raises the KeyboardInterrupt. */
export const NET_INTERRUPTED = -4;

/** What getaddrinfo raises on an ESP32 when the name cannot be resolved (lwIP's EAI_FAIL, as MicroPython reports it). */
export const GETADDRINFO_FAILED = -202;

export type NetRequest =
  | { op: 'getaddrinfo'; host: string }
  | { op: 'open' }
  /** timeoutMs: -1 blocks, 0 returns EINPROGRESS and connects in the background. */
  | { op: 'connect'; socket: number; address: string; port: number; timeoutMs: number }
  | { op: 'send'; socket: number; data: Uint8Array }
  /** Takes up to `max` received bytes (the interpreter has waited for SOCKET_READABLE or SOCKET_EOF itself). */
  | { op: 'recv'; socket: number; max: number }
  | { op: 'close'; socket: number }
  /**
   * Starts TLS on a connected socket (ssl.wrap_socket). verify: 0 none, 1
   * optional, 2 required (ssl.CERT_*). ca, cert, key: PEM or DER bytes, empty when not given.
   */
  | { op: 'tls'; socket: number; serverName: string; verify: number; ca: Uint8Array; cert: Uint8Array; key: Uint8Array };

/** Interpreter -> main thread. */
export type NetMessage = { type: 'net'; seq: number; request: NetRequest };
