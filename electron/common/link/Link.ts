/**
 * A Link is a bidirectional byte pipe to a board: a USB serial port, the
 * built-in virtual board, or (later) a network REPL. The board engine speaks
 * only to this interface, so it can be tested by replaying scripted bytes.
 */
import type { Disposable } from '../util/disposable.js';

export interface LinkSignals {
  dtr?: boolean;
  rts?: boolean;
}

export type LinkErrorCode =
  | 'NOT_FOUND' // no such port
  | 'PERMISSION' // EACCES: not in the dialout group, or similar
  | 'BUSY' // another program holds the port
  | 'DISCONNECTED' // cable pulled / device vanished / board process died
  | 'CLOSED' // used after close()
  | 'IO'; // anything else from the OS

/** How each link failure reads across the API boundary (see ApiError.toShape). */
const API_CODE_BY_LINK_CODE = {
  NOT_FOUND: 'NOT_FOUND',
  PERMISSION: 'PERMISSION',
  BUSY: 'BUSY',
  DISCONNECTED: 'DISCONNECTED',
  CLOSED: 'DISCONNECTED',
  IO: 'INTERNAL',
} as const;

export class LinkError extends Error {
  override readonly name = 'LinkError';
  readonly apiCode: (typeof API_CODE_BY_LINK_CODE)[LinkErrorCode];
  constructor(
    readonly code: LinkErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.apiCode = API_CODE_BY_LINK_CODE[code];
  }
}

export interface Link {
  /** Human-readable, e.g. "/dev/ttyUSB0 at 115200 baud" or "Virtual board". */
  readonly description: string;
  readonly isOpen: boolean;
  /**
   * Whether `setSignals` reaches real DTR/RTS lines: false on pseudo-terminals
   * and network links, so the engine resets with machine.reset() at once
   * instead of pulsing lines nobody sees; undefined when the link cannot tell.
   */
  readonly supportsSignals?: boolean;
  /**
   * True when the transport itself holds the host back while the board's
   * receive buffer is full (native USB CDC), so bulk data need not be paced
   * to that buffer. False or undefined: assume a UART that drops what overflows.
   */
  readonly flowControlled?: boolean;
  /**
   * Queues bytes for the board. Resolves once the transport has accepted them
   * (drained to the OS, or consumed by the virtual board); rejects with a
   * LinkError if the link is closed or lost.
   */
  write(data: Uint8Array): Promise<void>;
  /** Bytes from the board, in order, as they arrive. */
  onData(listener: (chunk: Uint8Array) => void): Disposable;
  /** Fires once when the link closes; `error` is set when it was lost rather than closed by us. */
  onClose(listener: (error?: LinkError) => void): Disposable;
  /** Sets modem lines where the transport has them (serial); a no-op elsewhere. */
  setSignals(signals: LinkSignals): Promise<void>;
  close(): Promise<void>;
}
