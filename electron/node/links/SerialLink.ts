/**
 * A Link over a real serial port (USB-UART bridge or native USB CDC), built on
 * the `serialport` package. It owns three things the board engine should not
 * care about: the modem-line policy that keeps ESP boards out of reset, turning
 * OS errors into LinkErrors with advice a person can act on, and noticing an
 * unplugged cable at once instead of leaving a spinner running.
 */
import { realpath } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import type { Link, LinkSignals } from '../../common/link/Link.js';
import { LinkError } from '../../common/link/Link.js';
import type { Disposable } from '../../common/util/disposable.js';
import { Emitter } from '../../common/util/disposable.js';
import type { SerialLineMode } from '../../common/board/usbIds.js';
import { lookupUsbId, type UsbIdentity } from '../../common/board/usbIds.js';
import { LinkCloseEvent } from '../../common/link/LinkCloseEvent.js';
import { errorMessage } from '../../common/util/format.js';
import { sleep } from '../../common/util/sleep.js';

export const DEFAULT_BAUD_RATE = 115200;
/** Opening can hang on wedged USB drivers and some Bluetooth ports. */
export const OPEN_TIMEOUT_MS = 5000;
/** An ioctl answers in microseconds; this only bounds a wedged driver. */
export const SIGNALS_TIMEOUT_MS = 2000;
/** How long close() lets queued writes reach the wire before dropping them. */
export const CLOSE_DRAIN_TIMEOUT_MS = 1000;
/** Bounds the port close itself; a vanished USB device can stall it. */
export const CLOSE_TIMEOUT_MS = 2000;
/** How long 'auto' line mode waits for the OS port listing to identify the USB ids. */
export const IDENTIFY_TIMEOUT_MS = 1500;
/** EN held low this long resets an ESP32 reliably (esptool uses 100 ms). */
export const RESET_PULSE_MS = 100;
/** Bytes kept for a consumer that subscribes to onData after open; older bytes are dropped. */
export const HELD_DATA_LIMIT_BYTES = 64 * 1024;

/** The subset of `serialport`'s SerialPort this link uses; tests supply a fake. */
export interface SerialPortLike {
  readonly isOpen: boolean;
  open(callback: (error: Error | null) => void): void;
  set(options: { dtr: boolean; rts: boolean }, callback: (error: Error | null) => void): void;
  write(data: Uint8Array, callback: (error: Error | null | undefined) => void): boolean;
  drain(callback: (error: Error | null) => void): void;
  close(callback: (error: Error | null) => void): void;
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'close', listener: (error?: Error | null) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface SerialPortFactoryOptions {
  path: string;
  baudRate: number;
  /** Keeps the kernel from dropping DTR on close (the port policy drops the lines itself). */
  hupcl: false;
  /** An exclusive lock, so two programs never interleave bytes on one board. */
  lock: true;
}

/** Minimal listing entry used to identify a port's USB ids for 'auto' line mode. */
export interface ListedPortIds {
  path: string;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

export interface SerialLinkOpenOptions {
  /** Default 115200. */
  baudRate?: number;
  /**
   * Which line policy to open with (see SerialLineMode in usbIds.ts). 'auto'
   * (the default) looks the port's USB ids up; unknown ids and ptys get 'usb-cdc'.
   */
  lineMode?: SerialLineMode | 'auto';
  signal?: AbortSignal;
  /** Default OPEN_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Namespaced debug output; the link never prints. */
  debug?: (message: string) => void;
  /** Replaces `new SerialPort(...)`; for tests. */
  createPort?: (options: SerialPortFactoryOptions) => SerialPortLike;
  /** Replaces `SerialPort.list()` when resolving 'auto' line mode. */
  listPorts?: () => Promise<ListedPortIds[]>;
  /** Used to pick the permission advice; default process.platform. */
  platform?: NodeJS.Platform;
}

type LinkState = 'open' | 'closing' | 'closed';

interface PendingWrite {
  resolve(): void;
  reject(error: LinkError): void;
}

export class SerialLink implements Link {
  readonly description: string;
  private state: LinkState = 'open';
  private lines: { dtr: boolean; rts: boolean } = { dtr: false, rts: false };
  private signalsSupported = true;
  private readonly dataEmitter = new Emitter<Uint8Array>();
  private readonly closed = new LinkCloseEvent();
  private heldData: Uint8Array[] = [];
  private heldBytes = 0;
  private flushScheduled = false;
  private readonly pendingWrites = new Set<PendingWrite>();
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
    if (path.trim() === '' || path.includes('\0')) {
      throw new LinkError('NOT_FOUND', `"${path}" is not a port name. Pick a port from the list.`);
    }
    const baudRate = options.baudRate ?? DEFAULT_BAUD_RATE;
    const debug = options.debug ?? (() => {});
    const identity =
      options.lineMode === undefined || options.lineMode === 'auto'
        ? await identifyPort(path, options.listPorts ?? listWithSerialPort, debug)
        : undefined;
    // Unknown ids get 'usb-cdc': without DTR a native-USB board stays silent (see usbIds.ts).
    const lineMode = options.lineMode === undefined || options.lineMode === 'auto' ? (identity?.lineMode ?? 'usb-cdc') : options.lineMode;
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

    await waitWithDeadline<void>(
      (resolve, reject) => port.open((error) => (error ? reject(error) : resolve())),
      {
        timeoutMs: options.timeoutMs ?? OPEN_TIMEOUT_MS,
        signal,
        onTimeout: () =>
          new LinkError(
            'IO',
            `Opening ${path} took too long. Unplug the board, plug it in again and retry.`,
          ),
        // The OS open may still complete after we gave up: close it then, or the
        // port stays locked until the app exits.
        onLateSuccess: () => port.close(() => {}),
      },
    ).catch((error: unknown) => {
      if (error instanceof LinkError || signal?.aborted) throw error;
      throw linkErrorFromOpenFailure(path, error, options.platform ?? process.platform);
    });

    link = new SerialLink(port, path, baudRate, lineMode, identity?.nativeUsb === true, debug);
    try {
      await link.applyOpenLines();
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
    port.on('data', (chunk) => this.deliver(chunk));
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
    return this.signalsSupported;
  }

  /** The DTR/RTS state last sent (or that would have been sent where lines are unsupported). */
  get signals(): Readonly<{ dtr: boolean; rts: boolean }> {
    return { ...this.lines };
  }

  onData(listener: (chunk: Uint8Array) => void): Disposable {
    const disposable = this.dataEmitter.event(listener);
    if (this.heldData.length > 0) this.scheduleFlush();
    return disposable;
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
    // Copied: the caller may reuse its buffer while the write is queued.
    const bytes = Buffer.from(data);
    return new Promise<void>((resolve, reject) => {
      const pending: PendingWrite = {
        resolve: () => {
          this.pendingWrites.delete(pending);
          resolve();
        },
        reject: (error) => {
          this.pendingWrites.delete(pending);
          reject(error);
        },
      };
      this.pendingWrites.add(pending);
      this.port.write(bytes, (writeError) => {
        if (!this.pendingWrites.has(pending)) return;
        if (writeError) {
          this.handleLoss(writeError, 'write failed');
          return;
        }
        // The stream's drain waits for an 'open' that never comes on a closed
        // port: never call it then (the loss path rejects this write instead).
        if (!this.port.isOpen) {
          this.handleLoss(new Error('the port closed during a write'), 'write failed');
          return;
        }
        this.port.drain((drainError) => {
          if (!this.pendingWrites.has(pending)) return;
          if (drainError) this.handleLoss(drainError, 'drain failed');
          else pending.resolve();
        });
      });
    });
  }

  /**
   * Sets DTR and/or RTS; omitted lines keep their current state (serialport
   * would otherwise assert them). Resolves without effect where the device has
   * no lines (see supportsSignals).
   */
  async setSignals(signals: LinkSignals): Promise<void> {
    if (this.state !== 'open') throw this.closedError();
    await this.applyLines({ dtr: signals.dtr ?? this.lines.dtr, rts: signals.rts ?? this.lines.rts });
  }

  /**
   * Resets the chip through the ESP auto-reset circuit: EN low for
   * RESET_PULSE_MS, then released, with IO0 released so it boots the firmware.
   * Returns false (and does nothing) where lines cannot reset the board: USB-CDC
   * boards and devices without lines. The caller then uses `machine.reset()`.
   */
  async hardReset(signal?: AbortSignal): Promise<boolean> {
    if (this.state !== 'open') throw this.closedError();
    if (this.lineMode !== 'esp-auto-reset' || !this.signalsSupported) return false;
    await this.applyLines({ dtr: false, rts: true });
    if (!this.signalsSupported) return false;
    try {
      await sleep(RESET_PULSE_MS, signal);
    } finally {
      // Released even when aborted: a board left with EN low looks dead.
      if (this.state === 'open') await this.applyLines({ dtr: false, rts: false });
    }
    return true;
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
      if (this.pendingWrites.size > 0) {
        await waitForPendingWrites(this.pendingWrites, CLOSE_DRAIN_TIMEOUT_MS);
      }
      if (this.signalsSupported && this.port.isOpen) {
        try {
          await this.applyLines({ dtr: this.lines.dtr, rts: false });
          await this.applyLines({ dtr: false, rts: false });
        } catch (error) {
          this.debug(`dropping lines on close failed: ${errorMessage(error)}`);
        }
      }
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

  private async applyOpenLines(): Promise<void> {
    // Linux asserts both lines on open (EN and IO0 stay high: no reset). One
    // TIOCMSET moves both at once, so the reset state is never passed through.
    const target = this.lineMode === 'usb-cdc' ? { dtr: true, rts: false } : { dtr: false, rts: false };
    await this.applyLines(target);
  }

  /** Sends both lines every time: serialport's set() asserts any line left out. */
  private async applyLines(next: { dtr: boolean; rts: boolean }): Promise<void> {
    if (!this.signalsSupported) {
      this.lines = { ...next };
      return;
    }
    if (!this.port.isOpen) throw this.closedError();
    try {
      await waitWithDeadline<void>(
        (resolve, reject) => this.port.set({ dtr: next.dtr, rts: next.rts }, (e) => (e ? reject(e) : resolve())),
        {
          timeoutMs: SIGNALS_TIMEOUT_MS,
          onTimeout: () => new LinkError('IO', `Setting the DTR/RTS lines of ${this.path} took too long.`),
        },
      );
      this.lines = { ...next };
    } catch (error) {
      if (isNoModemLinesError(error)) {
        // Pseudo-terminals (and the tests' socat pairs) have no modem lines.
        this.debug(`${this.path} has no modem lines; signals are ignored`);
        this.signalsSupported = false;
        this.lines = { ...next };
        return;
      }
      if (error instanceof LinkError) throw error;
      throw new LinkError('IO', `Could not set the DTR/RTS lines of ${this.path}: ${errorMessage(error)}`, {
        cause: error,
      });
    }
  }

  private deliver(chunk: Uint8Array): void {
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.dataEmitter.listenerCount > 0 && this.heldData.length === 0) {
      this.dataEmitter.fire(bytes);
      return;
    }
    // Nobody listens yet (the engine subscribes right after open): keep the
    // bytes, or a boot banner printed meanwhile would be lost.
    this.heldData.push(bytes);
    this.heldBytes += bytes.byteLength;
    while (this.heldBytes > HELD_DATA_LIMIT_BYTES && this.heldData.length > 1) {
      const dropped = this.heldData.shift();
      this.heldBytes -= dropped?.byteLength ?? 0;
    }
    if (this.dataEmitter.listenerCount > 0) this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      if (this.dataEmitter.listenerCount === 0) return;
      const held = this.heldData;
      this.heldData = [];
      this.heldBytes = 0;
      for (const chunk of held) this.dataEmitter.fire(chunk);
    });
  }

  /** Cable pulled, device gone, or an OS error on the open port: one DISCONNECTED close. */
  private handleLoss(cause: unknown, what: string): void {
    const error = new LinkError(
      'DISCONNECTED',
      `Lost the connection to ${this.path} (${what}: ${errorMessage(cause)}). ` +
        'Was the board unplugged or reset? Plug it in and pick the port again.',
      { cause },
    );
    if (this.state !== 'open') {
      // close() is running: it finishes the close; writes still waiting learn why.
      this.debug(`${what} while closing: ${errorMessage(cause)}`);
      this.rejectPendingWrites(error);
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
    this.rejectPendingWrites(error ?? this.closedError());
    this.closed.fire(error);
    this.dataEmitter.dispose();
    this.heldData = [];
    this.heldBytes = 0;
  }

  private rejectPendingWrites(error: LinkError): void {
    for (const pending of [...this.pendingWrites]) pending.reject(error);
  }

  private closedError(): LinkError {
    const why = this.closed.error ? ` It was lost: ${this.closed.error.message}` : '';
    return new LinkError('CLOSED', `The connection to ${this.path} is closed.${why}`);
  }
}

/**
 * Turns a failed open into a LinkError whose message says what to do.
 * `serialport` errors carry no `code`, only text such as
 * "Error: No such file or directory, cannot open /dev/ttyUSB9", so the OS
 * wording is matched here, in this one place.
 */
export function linkErrorFromOpenFailure(path: string, error: unknown, platform: NodeJS.Platform = process.platform): LinkError {
  const message = errorMessage(error);
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const has = (pattern: RegExp) => pattern.test(message) || (typeof code === 'string' && pattern.test(code));
  if (has(/ENOENT|No such file or directory|cannot find the file|File not found/i)) {
    return new LinkError('NOT_FOUND', `No port ${path}. Is the board plugged in? Pick it again from the port list.`, {
      cause: error,
    });
  }
  // Windows says "Access denied" when another program has the COM port open.
  if (platform === 'win32' && has(/Access (is )?denied|EACCES/i)) {
    return busyError(path, error);
  }
  if (has(/EACCES|EPERM|Permission denied|Operation not permitted/i)) {
    const advice =
      platform === 'linux'
        ? 'On Linux add yourself to the dialout group: sudo usermod -aG dialout $USER, then log out and in.'
        : 'Check that your user account may use serial ports.';
    return new LinkError('PERMISSION', `Permission denied on ${path}. ${advice}`, { cause: error });
  }
  if (has(/EBUSY|busy|Cannot lock port|Resource temporarily unavailable|EAGAIN/i)) {
    return busyError(path, error);
  }
  if (has(/Inappropriate ioctl|ENOTTY/i)) {
    return new LinkError('IO', `${path} is not a serial port (${message}).`, { cause: error });
  }
  return new LinkError('IO', `Could not open ${path}: ${message}`, { cause: error });
}

function busyError(path: string, cause: unknown): LinkError {
  return new LinkError(
    'BUSY',
    `Another program holds ${path} (a serial monitor, Thonny, ...). Close it and try again.`,
    { cause },
  );
}

/** ENOTTY: the device has no modem lines. serialport leaves `code` undefined, so the text decides. */
export function isNoModemLinesError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === 'ENOTTY' || /Inappropriate ioctl/i.test(errorMessage(error));
}

function createSerialPort(options: SerialPortFactoryOptions): SerialPortLike {
  return new SerialPort({ ...options, autoOpen: false }) as unknown as SerialPortLike;
}

async function listWithSerialPort(): Promise<ListedPortIds[]> {
  return SerialPort.list();
}

/** What the USB ids of `path` say it is; undefined when unknown, unlisted, or the listing failed. */
async function identifyPort(
  path: string,
  listPorts: () => Promise<ListedPortIds[]>,
  debug: (message: string) => void,
): Promise<UsbIdentity | undefined> {
  try {
    const listed = await waitWithDeadline<ListedPortIds[]>(
      (resolve, reject) => {
        listPorts().then(resolve, reject);
      },
      { timeoutMs: IDENTIFY_TIMEOUT_MS, onTimeout: () => new Error('port listing timed out') },
    );
    const wanted = await realpathOr(path);
    for (const entry of listed) {
      if (entry.path === path || (await realpathOr(entry.path)) === wanted) {
        return lookupUsbId(entry.vendorId, entry.productId);
      }
    }
  } catch (error) {
    debug(`cannot identify ${path}: ${errorMessage(error)}`);
  }
  return undefined;
}

async function realpathOr(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

/**
 * Runs a callback-style operation with a deadline and an optional AbortSignal.
 * `onLateSuccess` runs if the operation succeeds after we stopped waiting.
 */
function waitWithDeadline<T>(
  start: (resolve: (value: T) => void, reject: (error: unknown) => void) => void,
  options: {
    timeoutMs: number;
    signal?: AbortSignal | undefined;
    onTimeout: () => Error;
    onLateSuccess?: (value: T) => void;
  },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      fn();
      return true;
    };
    const onAbort = () => settle(() => reject(options.signal?.reason));
    const timer = setTimeout(() => settle(() => reject(options.onTimeout())), options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      start(
        (value) => {
          if (!settle(() => resolve(value))) options.onLateSuccess?.(value);
        },
        (error) => settle(() => reject(error)),
      );
    } catch (error) {
      settle(() => reject(error));
    }
  });
}

function waitForPendingWrites(pending: ReadonlySet<PendingWrite>, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const deadline = Date.now() + timeoutMs;
    const check = () => {
      if (pending.size === 0 || Date.now() >= deadline) resolve();
      else setTimeout(check, 5);
    };
    check();
  });
}
