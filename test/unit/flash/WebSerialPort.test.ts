import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { DEVICE_LOST_MESSAGE, WebSerialPort, type SerialPortHandle } from '../../../electron/node/flash/WebSerialPort.js';

/** A serialport stand-in that records what the adapter asks of it. */
class FakePort extends EventEmitter implements SerialPortHandle {
  isOpen = false;
  readonly calls: string[] = [];
  readonly written: number[] = [];
  open(cb: (e: Error | null) => void): void {
    this.isOpen = true;
    cb(null);
  }
  close(cb: (e: Error | null) => void): void {
    this.isOpen = false;
    this.calls.push('close');
    cb(null);
  }
  write(data: Uint8Array, cb: (e: Error | null | undefined) => void): boolean {
    this.written.push(...data);
    cb(this.isOpen ? null : new Error('Port is not open'));
    return true;
  }
  /** What set() fails with, if anything (a pty has no modem lines: ENOTTY). */
  setError: Error | null = null;
  set(o: { dtr: boolean; rts: boolean; brk: boolean }, cb: (e: Error | null) => void): void {
    this.calls.push(`set dtr=${o.dtr} rts=${o.rts}`);
    cb(this.setError);
  }
  update(o: { baudRate: number }, cb: (e: Error | null) => void): void {
    this.calls.push(`update ${o.baudRate}`);
    cb(null);
  }
}

function adapter(options: Partial<ConstructorParameters<typeof WebSerialPort>[0]> = {}): { port: WebSerialPort; fake: FakePort } {
  const fake = new FakePort();
  const port = new WebSerialPort({ path: '/dev/ttyUSB0', createPort: () => fake, ...options });
  return { port, fake };
}

describe('WebSerialPort', () => {
  it('reads and writes through web streams', async () => {
    const { port, fake } = adapter();
    await port.open({ baudRate: 115200 });
    const writer = port.writable!.getWriter();
    await writer.write(Uint8Array.from([1, 2, 3]));
    writer.releaseLock();
    expect(fake.written).toEqual([1, 2, 3]);
    const reader = port.readable!.getReader();
    fake.emit('data', Buffer.from([9, 8]));
    expect((await reader.read()).value).toEqual(Uint8Array.from([9, 8]));
    reader.releaseLock();
    await port.close();
    expect(port.readable).toBeNull();
    expect(port.writable).toBeNull();
  });

  it('applies partial signal updates on a real port by sending both lines with the untouched one unchanged', async () => {
    const { port, fake } = adapter();
    await port.open({ baudRate: 115200 });
    await port.setSignals({ dataTerminalReady: false });
    await port.setSignals({ requestToSend: false });
    await port.setSignals({ dataTerminalReady: true });
    expect(fake.calls).toEqual(['set dtr=false rts=true', 'set dtr=false rts=false', 'set dtr=true rts=false']);
  });

  it('takes a port without modem lines (a pseudo-terminal) as one whose resets do nothing, and stops trying', async () => {
    const { port, fake } = adapter();
    await port.open({ baudRate: 115200 });
    fake.setError = new Error('Inappropriate ioctl for device, cannot set');
    await port.setSignals({ dataTerminalReady: false, requestToSend: true });
    await port.setSignals({ requestToSend: false });
    expect(port.hasModemLines).toBe(false);
    expect(fake.calls.filter((c) => c.startsWith('set'))).toHaveLength(1);
  });

  it('still reports any other failure to set the lines', async () => {
    const { port, fake } = adapter();
    await port.open({ baudRate: 115200 });
    fake.setError = new Error('Input/output error, cannot set');
    await expect(port.setSignals({ dataTerminalReady: false })).rejects.toThrow('Input/output error');
    expect(port.hasModemLines).toBe(true);
  });

  it('routes signals and every baud to an injected line control instead of the port', async () => {
    const seen: string[] = [];
    const { port, fake } = adapter({
      lineControl: {
        setSignals: async (s) => void seen.push(`signals ${JSON.stringify(s)}`),
        setBaudRate: (b) => void seen.push(`baud ${b}`),
      },
      usbVendorId: 0x303a,
      usbProductId: 0x1001,
    });
    await port.open({ baudRate: 115200 });
    await port.setSignals({ requestToSend: true });
    await port.setBaudRate(921600);
    expect(seen).toEqual(['baud 115200', 'signals {"rts":true}', 'baud 921600']);
    expect(fake.calls).toEqual(['update 921600']);
    expect(port.getInfo()).toEqual({ usbVendorId: 0x303a, usbProductId: 0x1001 });
  });

  it('fails reads and writes with a NetworkError DOMException when the device disappears', async () => {
    let lostCalls = 0;
    const { port, fake } = adapter({ onDeviceLost: () => lostCalls++ });
    await port.open({ baudRate: 115200 });
    const reader = port.readable!.getReader();
    const pending = reader.read();
    fake.isOpen = false;
    fake.emit('close', new Error('disconnected'));
    const error = await pending.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('NetworkError');
    expect((error as DOMException).message).toBe(DEVICE_LOST_MESSAGE);
    expect(port.lost).toBe(true);
    fake.emit('error', new Error('again'));
    expect(lostCalls).toBe(1);
    // A writer whose write failed stays locked in esptool-js: each access must give a usable stream.
    const w1 = port.writable!.getWriter();
    await expect(w1.write(Uint8Array.from([1]))).rejects.toThrow(DEVICE_LOST_MESSAGE);
    expect(port.writable!.locked).toBe(false);
    await port.close();
  });
});
