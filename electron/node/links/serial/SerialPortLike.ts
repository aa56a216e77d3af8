/** The part of `serialport`'s SerialPort a SerialLink uses, so tests can supply a fake. */
// The class alone: the package's index also loads its ten stream parsers and a mock port (~12 ms at every start).
import { SerialPort } from 'serialport/dist/serialport.js';

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

/** A real, not yet opened, port. */
export function createSerialPort(options: SerialPortFactoryOptions): SerialPortLike {
  return new SerialPort({ ...options, autoOpen: false }) as unknown as SerialPortLike;
}
