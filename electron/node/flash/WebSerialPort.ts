/**
 * A Web Serial `SerialPort` over the `serialport` package, the shape
 * esptool-js's Transport drives: open/close, web streams for reading and
 * writing, setSignals with partial updates, getInfo, and the non-standard
 * setBaudRate that changes speed without closing the port (closing resets
 * some boards).
 *
 * DTR and RTS go through a LineControl: by default the port's own modem
 * lines; a pseudo-terminal has none, so a test passes its simulator's side
 * channel instead. When the device disappears (a pulled cable), reads fail
 * with a DOMException named NetworkError, which esptool-js takes for a lost
 * device, and writes fail the same way.
 */
import { ReadableStream, WritableStream, type ReadableStreamDefaultController } from 'node:stream/web';
// The class alone: the package's index also loads its parsers and a mock port.
import { SerialPort } from 'serialport/dist/serialport.js';

/** What Web Serial's setSignals takes; absent members stay as they are. */
export interface WebSerialSignals {
  dataTerminalReady?: boolean;
  requestToSend?: boolean;
  break?: boolean;
}

/** Where the modem lines and the baud go. */
export interface LineControl {
  /** Partial update: an absent line keeps its state. */
  setSignals(signals: { dtr?: boolean; rts?: boolean }): Promise<void>;
  /** Told every baud the port is set to (a simulator on a pty cannot see it). */
  setBaudRate?(baud: number): void;
}

export interface WebSerialOpenOptions {
  baudRate: number;
  dataBits?: number;
  stopBits?: number;
  parity?: string;
  bufferSize?: number;
  flowControl?: string;
}

/** The part of `serialport`'s SerialPort this adapter uses. */
export interface SerialPortHandle {
  readonly isOpen: boolean;
  open(callback: (error: Error | null) => void): void;
  close(callback: (error: Error | null) => void): void;
  write(data: Uint8Array, callback: (error: Error | null | undefined) => void): boolean;
  set(options: { dtr: boolean; rts: boolean; brk: boolean }, callback: (error: Error | null) => void): void;
  update(options: { baudRate: number }, callback: (error: Error | null) => void): void;
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'close', listener: (error?: Error | null) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners(): unknown;
}

export interface WebSerialPortOptions {
  path: string;
  usbVendorId?: number;
  usbProductId?: number;
  /** Default: the port's own DTR/RTS. */
  lineControl?: LineControl;
  /**
   * Called once when the device disappears while open. esptool-js's own
   * device-lost callback never fires in Node: it tests `instanceof Error`
   * before `instanceof DOMException`, and Node's DOMException is an Error.
   */
  onDeviceLost?: () => void;
  /** Default: a real port (exclusive lock, DTR left alone on close). */
  createPort?: (options: { path: string; baudRate: number }) => SerialPortHandle;
}

/** serialport's message when the OS has no modem-line ioctl for the device (ENOTTY). */
const NO_MODEM_LINES = /Inappropriate ioctl/;

/** Web Serial's message for a device that went away; esptool-js matches it. */
export const DEVICE_LOST_MESSAGE = 'The device has been lost.';

function deviceLost(): DOMException {
  return new DOMException(DEVICE_LOST_MESSAGE, 'NetworkError');
}

function createRealPort(options: { path: string; baudRate: number }): SerialPortHandle {
  return new SerialPort({ ...options, autoOpen: false, lock: true, hupcl: false }) as unknown as SerialPortHandle;
}

function callback(run: (done: (error: Error | null | undefined) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => run((error) => (error ? reject(error) : resolve())));
}

export class WebSerialPort {
  private port: SerialPortHandle | undefined;
  private readController: ReadableStreamDefaultController<Uint8Array> | undefined;
  private readStream: ReadableStream<Uint8Array> | null = null;
  private writeStream: WritableStream<Uint8Array> | null = null;
  private lostError: DOMException | undefined;
  /** serialport's set() writes every line at once, so partial updates need the lines' current state. */
  private lines = { dtr: true, rts: true, brk: false };
  private readonly lineControl: LineControl;
  private modemLines = true;

  constructor(private readonly options: WebSerialPortOptions) {
    this.lineControl = options.lineControl ?? {
      setSignals: (s) => this.setPortLines(s),
    };
  }

  /** True once the device disappeared while open. */
  get lost(): boolean {
    return this.lostError !== undefined;
  }

  getInfo(): { usbVendorId?: number; usbProductId?: number } {
    const info: { usbVendorId?: number; usbProductId?: number } = {};
    if (this.options.usbVendorId !== undefined) info.usbVendorId = this.options.usbVendorId;
    if (this.options.usbProductId !== undefined) info.usbProductId = this.options.usbProductId;
    return info;
  }

  async open(options: WebSerialOpenOptions): Promise<void> {
    if (this.port) throw new DOMException('The port is already open.', 'InvalidStateError');
    const port = (this.options.createPort ?? createRealPort)({ path: this.options.path, baudRate: options.baudRate });
    await callback((done) => port.open(done));
    this.port = port;
    this.lostError = undefined;
    this.lines = { dtr: true, rts: true, brk: false };
    port.on('data', (chunk) => this.readController?.enqueue(new Uint8Array(chunk)));
    port.on('close', (error) => {
      if (error && this.port === port) this.onLost();
    });
    port.on('error', () => {
      if (this.port === port && !port.isOpen) this.onLost();
    });
    this.lineControl.setBaudRate?.(options.baudRate);
  }

  /** A fresh stream while the port is open, as Web Serial gives one after the last was cancelled or closed. */
  get readable(): ReadableStream<Uint8Array> | null {
    if (!this.port || this.lost) return this.readStream;
    if (!this.readController) {
      this.readStream = new ReadableStream<Uint8Array>({
        start: (controller) => {
          this.readController = controller;
        },
        cancel: () => {
          this.readController = undefined;
        },
      });
    }
    return this.readStream;
  }

  get writable(): WritableStream<Uint8Array> | null {
    if (!this.port) return null;
    // esptool-js releases its writer only after a successful write, so a failed
    // write leaves the stream locked for good (and its disconnect() waits for the
    // lock forever). Once the device is lost, every access gets a fresh stream
    // whose writes fail with the lost-device error.
    if (this.lostError) {
      const lost = this.lostError;
      return new WritableStream<Uint8Array>({ write: () => Promise.reject(lost) });
    }
    if (!this.writeStream) {
      const port = this.port;
      this.writeStream = new WritableStream<Uint8Array>({
        write: (chunk) => {
          if (this.lostError) return Promise.reject(this.lostError);
          return callback((done) => port.write(chunk, done)).catch((error: unknown) => {
            throw this.lostError ?? error;
          });
        },
        close: () => {
          this.writeStream = null;
        },
      });
    }
    return this.writeStream;
  }

  async setSignals(signals: WebSerialSignals): Promise<void> {
    if (!this.port) throw new DOMException('The port is not open.', 'InvalidStateError');
    if (this.lostError) throw this.lostError;
    const update: { dtr?: boolean; rts?: boolean } = {};
    if (signals.dataTerminalReady !== undefined) update.dtr = signals.dataTerminalReady;
    if (signals.requestToSend !== undefined) update.rts = signals.requestToSend;
    if (signals.break !== undefined) this.lines.brk = signals.break;
    await this.lineControl.setSignals(update);
  }

  async setBaudRate(baud: number): Promise<void> {
    const port = this.port;
    if (!port) throw new DOMException('The port is not open.', 'InvalidStateError');
    await callback((done) => port.update({ baudRate: baud }, done));
    this.lineControl.setBaudRate?.(baud);
  }

  async close(): Promise<void> {
    const port = this.port;
    if (!port) return;
    this.port = undefined;
    try {
      this.readController?.close();
    } catch {
      // Already errored by a lost device.
    }
    this.readController = undefined;
    this.readStream = null;
    this.writeStream = null;
    port.removeAllListeners();
    if (port.isOpen) await callback((done) => port.close(done));
  }

  private async setPortLines(update: { dtr?: boolean; rts?: boolean }): Promise<void> {
    const port = this.port;
    if (!port) return;
    if (update.dtr !== undefined) this.lines.dtr = update.dtr;
    if (update.rts !== undefined) this.lines.rts = update.rts;
    if (!this.modemLines) return;
    try {
      await callback((done) => port.set({ ...this.lines }, done));
    } catch (err) {
      // A pseudo-terminal (a virtual or remote board) has no modem lines: the
      // resets do nothing, and only a chip already in its bootloader answers.
      if (!NO_MODEM_LINES.test((err as Error).message)) throw err;
      this.modemLines = false;
    }
  }

  /** False once the port turned out to have no DTR/RTS (a pseudo-terminal). */
  get hasModemLines(): boolean {
    return this.modemLines;
  }

  private onLost(): void {
    if (this.lostError) return;
    this.lostError = deviceLost();
    try {
      this.readController?.error(this.lostError);
    } catch {
      // The stream was already closed.
    }
    this.readController = undefined;
    this.options.onDeviceLost?.();
  }
}
