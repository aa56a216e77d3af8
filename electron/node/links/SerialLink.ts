/**
 * A Link over a real serial port (USB-UART bridge or native USB CDC), built on
 * the `serialport` package. It owns three things the board engine should not
 * care about: the modem-line policy that keeps ESP boards out of reset, turning
 * OS errors into LinkErrors with advice a person can act on, and noticing an
 * unplugged cable at once instead of leaving a spinner running.
 *
 * This file is the link's state (open, closing, closed) and how it ends; the
 * parts are in serial/: opening (openPort), the lines and their policy
 * (SerialLines), the write path (SerialWriter), early data (HeldDataEmitter),
 * error wording (serialErrors) and port identification (ListedPort).
 */
import type { SerialLineMode } from '../../common/board/usbIds.js';
import type { Link, LinkSignals } from '../../common/link/Link.js';
import { LinkError } from '../../common/link/Link.js';
import { LinkCloseEvent } from '../../common/link/LinkCloseEvent.js';
import type { Disposable } from '../../common/util/disposable.js';
import { errorMessage } from '../../common/util/format.js';
import { HeldDataEmitter } from './serial/HeldDataEmitter.js';
import { listSerialPorts, type ListedPort } from './serial/ListedPort.js';
import { checkPortName, openPort } from './serial/openPort.js';
import { closedLinkError, lostConnectionError } from './serial/serialErrors.js';
import { chooseLineMode, SerialLines } from './serial/SerialLines.js';
import { createSerialPort, type SerialPortFactoryOptions, type SerialPortLike } from './serial/SerialPortLike.js';
import { SerialWriter } from './serial/SerialWriter.js';
import { waitWithDeadline } from './serial/waitWithDeadline.js';

export type { SerialPortFactoryOptions, SerialPortLike } from './serial/SerialPortLike.js';

export const DEFAULT_BAUD_RATE = 115200;
/** How long close() lets queued writes reach the wire before dropping them. */
export const CLOSE_DRAIN_TIMEOUT_MS = 1000;
/** Bounds the port close itself; a vanished USB device can stall it. */
export const CLOSE_TIMEOUT_MS = 2000;

export interface SerialLinkOpenOptions {
  /** Default 115200. */
  baudRate?: number;
  /**
   * Which line policy to open with (see SerialLineMode in usbIds.ts). 'auto'
   * (the default) looks the port's USB ids up; unknown ids and ptys get 'usb-cdc'.
   */
  lineMode?: SerialLineMode | 'auto';
  signal?: AbortSignal;
  /** Default OPEN_TIMEOUT_MS (serial/openPort.ts). */
  timeoutMs?: number;
  /** Namespaced debug output; the link never prints. */
  debug?: (message: string) => void;
  /** Replaces `new SerialPort(...)`; for tests. */
  createPort?: (options: SerialPortFactoryOptions) => SerialPortLike;
  /** Replaces `SerialPort.list()` when resolving 'auto' line mode. */
  listPorts?: () => Promise<ListedPort[]>;
  /** Used to pick the permission advice; default process.platform. */
  platform?: NodeJS.Platform;
}

type LinkState = 'open' | 'closing' | 'closed';

export class SerialLink implements Link {
  readonly description: string;
  private state: LinkState = 'open';
  private readonly data = new HeldDataEmitter();
  private readonly closed = new LinkCloseEvent();
  private readonly lines: SerialLines;
  private readonly writer: SerialWriter;
  private closing: Promise<void> | undefined;

  /**
   * Opens `path` without resetting the board: no line ever enters the ESP reset
   * state (RTS asserted with DTR released), then sets the lines for `lineMode`.
   * Rejects with a LinkError (NOT_FOUND, PERMISSION, BUSY, IO) or, when
   * `signal` aborts, with the signal's reason.
   */
  static async open(path: string, options: SerialLinkOpenOptions = {}): Promise<SerialLink> {
    const { signal } = options;
    signal?.throwIfAborted();
    checkPortName(path);
    const baudRate = options.baudRate ?? DEFAULT_BAUD_RATE;
    const debug = options.debug ?? (() => {});
    const { lineMode, nativeUsb } = await chooseLineMode(path, options.lineMode, options.listPorts ?? listSerialPorts, debug);
    signal?.throwIfAborted();

    const createPort = options.createPort ?? createSerialPort;
    // hupcl false: the kernel otherwise drops DTR on close, and on the next open
    // the lines glitch through states that reset ESP auto-reset boards.
    const port = createPort({ path, baudRate, hupcl: false, lock: true });
    // Attached before anything can fail, so no error event goes unheard (an
    // unheard 'error' on an EventEmitter crashes the process).
    let link: SerialLink | undefined;
    port.on('error', (error) => {
      if (link) link.handleLoss(error, 'port error');
      else debug(`error before open completed: ${error.message}`);
    });
    await openPort(port, path, { timeoutMs: options.timeoutMs, signal, platform: options.platform ?? process.platform });

    link = new SerialLink(port, path, baudRate, lineMode, nativeUsb, debug);
    try {
      await link.lines.applyOpenPolicy(lineMode);
    } catch (error) {
      await link.close();
      throw error;
    }
    return link;
  }

  private constructor(
    private readonly port: SerialPortLike,
    readonly path: string,
    readonly baudRate: number,
    /** The line policy this port was opened with. */
    readonly lineMode: SerialLineMode,
    /** Known native-USB board: USB flow control protects its receive buffer (see Link.flowControlled). */
    readonly flowControlled: boolean,
    private readonly debug: (message: string) => void,
  ) {
    this.description = `${path} at ${baudRate} baud`;
    this.lines = new SerialLines(port, path, () => this.closedError(), debug);
    this.writer = new SerialWriter(port, (cause, what) => this.handleLoss(cause, what));
    port.on('data', (chunk) => this.data.deliver(chunk));
    port.on('close', (error) => {
      // Our own close() also ends here; only an unrequested close is a loss.
      if (this.state !== 'open') return;
      this.handleLoss(error ?? new Error('the port closed'), 'port closed');
    });
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /**
   * False when the device has no modem lines (pseudo-terminals, some USB
   * adapters): setSignals() then succeeds without effect, and a hard reset must
   * go through the firmware (`machine.reset()`) instead.
   */
  get supportsSignals(): boolean {
    return this.lines.isSupported;
  }

  onData(listener: (chunk: Uint8Array) => void): Disposable {
    return this.data.event(listener);
  }

  onClose(listener: (error?: LinkError) => void): Disposable {
    return this.closed.event(listener);
  }

  /**
   * Resolves once the bytes have left the OS buffers (write plus tcdrain), so a
   * caller that awaits each write is paced by the real line rate.
   */
  write(data: Uint8Array): Promise<void> {
    if (this.state !== 'open' || !this.port.isOpen) return Promise.reject(this.closedError());
    return this.writer.write(data);
  }

  /**
   * Sets DTR and/or RTS; omitted lines keep their current state (serialport
   * would otherwise assert them). Resolves without effect where the device has
   * no lines (see supportsSignals).
   */
  async setSignals(signals: LinkSignals): Promise<void> {
    if (this.state !== 'open') throw this.closedError();
    await this.lines.set(signals);
  }

  /**
   * Lets queued writes finish (up to CLOSE_DRAIN_TIMEOUT_MS), drops RTS then DTR
   * (the order mpremote uses, so EN never goes low), and closes the port.
   * onClose fires without an error. Safe to call more than once.
   */
  close(): Promise<void> {
    if (this.state === 'closed') return Promise.resolve();
    if (this.closing) return this.closing;
    this.state = 'closing';
    this.closing = (async () => {
      if (this.writer.hasPending) await this.writer.waitForPending(CLOSE_DRAIN_TIMEOUT_MS);
      await this.lines.dropForClose();
      if (this.port.isOpen) {
        await waitWithDeadline<void>((resolve) => this.port.close(() => resolve()), {
          timeoutMs: CLOSE_TIMEOUT_MS,
          onTimeout: () => new LinkError('IO', `Closing ${this.path} took too long.`),
        }).catch((error: unknown) => this.debug(`close: ${errorMessage(error)}`));
      }
      this.finish(undefined);
    })();
    return this.closing;
  }

  /** Cable pulled, device gone, or an OS error on the open port: one DISCONNECTED close. */
  private handleLoss(cause: unknown, what: string): void {
    const error = lostConnectionError(this.path, what, cause);
    if (this.state !== 'open') {
      // close() is running: it finishes the close; writes still waiting learn why.
      this.debug(`${what} while closing: ${errorMessage(cause)}`);
      this.writer.rejectAll(error);
      return;
    }
    this.debug(`${what}: ${errorMessage(cause)}`);
    this.finish(error);
    if (this.port.isOpen) {
      // Frees the fd and the lock so the port can be opened again once it is back.
      this.port.close((closeError) => {
        if (closeError) this.debug(`close after loss: ${closeError.message}`);
      });
    }
  }

  private finish(error: LinkError | undefined): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.writer.rejectAll(error ?? this.closedError());
    this.closed.fire(error);
    this.data.dispose();
  }

  private closedError(): LinkError {
    return closedLinkError(this.path, this.closed.error);
  }
}
