import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { LinkError } from '../../../electron/common/link/Link.js';
import type { SerialPortFactoryOptions, SerialPortLike } from '../../../electron/node/links/SerialLink.js';
import { SerialLink } from '../../../electron/node/links/SerialLink.js';
import { linkErrorFromOpenFailure } from '../../../electron/node/links/serial/serialErrors.js';
import { isPseudoTerminal } from '../../../electron/node/links/serial/SerialLines.js';
import { EspAutoReset, type ResetEdge } from '../../../electron/node/vboard/serial/EspAutoReset.js';

type Callback = (error: Error | null) => void;

/**
 * Stands in for serialport's SerialPort: records every line change and lets a
 * test hold writes in flight, fail the ioctls like a pty does, or pull the cable.
 */
class FakePort extends EventEmitter implements SerialPortLike {
  isOpen = false;
  readonly setCalls: Array<{ dtr: boolean; rts: boolean }> = [];
  readonly written: number[] = [];
  openError: Error | undefined;
  setError: Error | undefined;
  holdWrites = false;
  private readonly heldWrites: Array<() => void> = [];
  closeCalls = 0;

  constructor(readonly options: SerialPortFactoryOptions) {
    super();
  }

  open(callback: Callback): void {
    queueMicrotask(() => {
      if (this.openError) return callback(this.openError);
      this.isOpen = true;
      callback(null);
    });
  }

  set(options: { dtr: boolean; rts: boolean }, callback: Callback): void {
    this.setCalls.push({ ...options });
    queueMicrotask(() => callback(this.setError ?? null));
  }

  write(data: Uint8Array, callback: (error: Error | null | undefined) => void): boolean {
    const finish = () => {
      if (!this.isOpen) return callback(new Error('Port is not open'));
      this.written.push(...data);
      callback(null);
    };
    if (this.holdWrites) this.heldWrites.push(finish);
    else queueMicrotask(finish);
    return true;
  }

  releaseWrites(): void {
    for (const finish of this.heldWrites.splice(0)) finish();
  }

  drain(callback: Callback): void {
    queueMicrotask(() => callback(null));
  }

  close(callback: Callback): void {
    this.closeCalls++;
    queueMicrotask(() => {
      this.isOpen = false;
      this.emit('close', null);
      callback(null);
    });
  }

  /** What serialport does when the device vanishes: close with a disconnect error. */
  unplug(): void {
    this.isOpen = false;
    const error = Object.assign(new Error('bad file descriptor'), { disconnected: true });
    this.emit('close', error);
  }
}

const ENOTTY_SET = new Error('Error: Inappropriate ioctl for device, cannot set');

/**
 * Wires a fake port's DTR/RTS to the virtual board's model of an ESP dev
 * board's auto-reset circuit, so a test sees the lines as the chip does:
 * each time EN is pulled low (held in reset) or released (boot).
 */
function autoResetBoard(): { board: (port: FakePort) => void; edges: ResetEdge[] } {
  const circuit = new EspAutoReset();
  const edges: ResetEdge[] = [];
  const board = (port: FakePort) => {
    const set = port.set.bind(port);
    port.set = (lines, callback) => {
      const edge = circuit.setLines(lines);
      if (edge) edges.push(edge);
      set(lines, callback);
    };
  };
  return { board, edges };
}

async function openFake(
  setup: (port: FakePort) => void = () => {},
  options: Parameters<typeof SerialLink.open>[1] = {},
): Promise<{ link: SerialLink; port: FakePort }> {
  let port: FakePort | undefined;
  const link = await SerialLink.open('/dev/ttyUSB0', {
    lineMode: 'esp-auto-reset',
    ...options,
    createPort: (opts) => {
      port = new FakePort(opts);
      setup(port);
      return port;
    },
  });
  if (!port) throw new Error('no port created');
  return { link, port };
}

describe('SerialLink line policy', () => {
  it('opens without hang-up-on-close and with an exclusive lock', async () => {
    const { link, port } = await openFake();
    expect(port.options).toEqual({ path: '/dev/ttyUSB0', baudRate: 115200, hupcl: false, lock: true });
    expect(link.description).toBe('/dev/ttyUSB0 at 115200 baud');
    await link.close();
  });

  it('keeps both lines released on an ESP auto-reset bridge', async () => {
    const { link, port } = await openFake();
    expect(port.setCalls).toEqual([{ dtr: false, rts: false }]);
    expect(link.supportsSignals).toBe(true);
    await link.close();
  });

  it('asserts DTR with RTS released on a USB-CDC board', async () => {
    const { link, port } = await openFake(undefined, { lineMode: 'usb-cdc' });
    expect(port.setCalls).toEqual([{ dtr: true, rts: false }]);
    await link.close();
  });

  it('in auto mode looks the USB ids up to pick the policy', async () => {
    const cp210x = await openFake(undefined, {
      lineMode: 'auto',
      listPorts: async () => [{ path: '/dev/ttyUSB0', vendorId: '10c4', productId: 'ea60' }],
    });
    expect(cp210x.link.lineMode).toBe('esp-auto-reset');
    expect(cp210x.link.flowControlled).toBe(false);
    expect(cp210x.port.setCalls).toEqual([{ dtr: false, rts: false }]);
    await cp210x.link.close();

    const pico = await openFake(undefined, {
      lineMode: 'auto',
      listPorts: async () => [{ path: '/dev/ttyUSB0', vendorId: '2e8a', productId: '0005' }],
    });
    expect(pico.link.lineMode).toBe('usb-cdc');
    // Native USB: the transport pushes back, so uploads need not be paced to a UART buffer.
    expect(pico.link.flowControlled).toBe(true);
    await pico.link.close();

    const unlisted = await openFake(undefined, { lineMode: 'auto', listPorts: async () => [] });
    expect(unlisted.link.lineMode).toBe('usb-cdc');
    // Unknown (a pty, an unlisted adapter): assume a UART that drops what overflows.
    expect(unlisted.link.flowControlled).toBe(false);
    await unlisted.link.close();

    const listingFails = await openFake(undefined, {
      lineMode: 'auto',
      listPorts: async () => {
        throw new Error('spawn udevadm ENOENT');
      },
    });
    expect(listingFails.link.lineMode).toBe('usb-cdc');
    await listingFails.link.close();
  });

  it('in auto mode does not list the ports for a pseudo-terminal, which no listing holds', async () => {
    let listed = 0;
    const listPorts = async () => {
      listed++;
      return [];
    };
    for (const path of ['/dev/pts/7', '/dev/ttys003']) {
      let port: FakePort | undefined;
      const link = await SerialLink.open(path, { lineMode: 'auto', listPorts, createPort: (opts) => (port = new FakePort(opts)) });
      expect(link.lineMode, path).toBe('usb-cdc');
      expect(link.flowControlled, path).toBe(false);
      expect(port?.options.path).toBe(path);
      await link.close();
    }
    expect(listed).toBe(0);
    expect(isPseudoTerminal('/dev/ttyUSB0')).toBe(false);
    expect(isPseudoTerminal('/dev/ttyS0')).toBe(false);
    expect(isPseudoTerminal('/dev/tty.usbserial-0001')).toBe(false);
  });

  it('always sends both lines, keeping the one the caller left out', async () => {
    const { link, port } = await openFake(undefined, { lineMode: 'usb-cdc' });
    await link.setSignals({ rts: true });
    await link.setSignals({ dtr: false });
    await link.setSignals({});
    expect(port.setCalls).toEqual([
      { dtr: true, rts: false },
      { dtr: true, rts: true },
      { dtr: false, rts: true },
      { dtr: false, rts: true },
    ]);
    await link.close();
  });

  it('drops RTS, then DTR, on close', async () => {
    const { link, port } = await openFake(undefined, { lineMode: 'usb-cdc' });
    port.setCalls.length = 0;
    await link.close();
    expect(port.setCalls).toEqual([
      { dtr: true, rts: false },
      { dtr: false, rts: false },
    ]);
    expect(port.isOpen).toBe(false);
  });

  it('never resets an ESP auto-reset board by opening or closing, in either line mode', async () => {
    for (const lineMode of ['esp-auto-reset', 'usb-cdc'] as const) {
      const { board, edges } = autoResetBoard();
      const { link } = await openFake((p) => board(p), { lineMode });
      await link.close();
      expect(edges, lineMode).toEqual([]);
    }
  });

  it('keeps DTR while RTS moves, and drops RTS before DTR on close, so EN never goes low', async () => {
    const { board, edges } = autoResetBoard();
    const { link } = await openFake((p) => board(p), { lineMode: 'usb-cdc' });
    await link.setSignals({ rts: true }); // both lines asserted: EN stays high
    await link.close();
    expect(edges).toEqual([]);
  });

  it("carries the engine's reset pulse to the board: RTS asserted with DTR released, then released", async () => {
    const { board, edges } = autoResetBoard();
    const { link } = await openFake((p) => board(p));
    await link.setSignals({ dtr: false, rts: true });
    expect(edges).toEqual(['enter-reset']);
    await link.setSignals({ dtr: false, rts: false });
    expect(edges).toEqual(['enter-reset', 'leave-reset']);
    await link.close();
    expect(edges).toHaveLength(2);
  });

  it('treats ENOTTY from set() as "no modem lines" (pseudo-terminals)', async () => {
    const { link, port } = await openFake((p) => {
      p.setError = ENOTTY_SET;
    });
    expect(link.isOpen).toBe(true);
    expect(link.supportsSignals).toBe(false);
    await expect(link.setSignals({ dtr: true })).resolves.toBeUndefined();
    await expect(link.setSignals({ dtr: false, rts: true })).resolves.toBeUndefined();
    expect(port.setCalls).toHaveLength(1); // no more ioctls once known unsupported
    await link.close();
    expect(port.setCalls).toHaveLength(1);
  });

  it('fails the open on any other set() error, and closes the port', async () => {
    let created: FakePort | undefined;
    const opening = SerialLink.open('/dev/ttyUSB0', {
      lineMode: 'usb-cdc',
      createPort: (opts) => {
        created = new FakePort(opts);
        created.setError = new Error('Error: Input/output error, cannot set');
        return created;
      },
    });
    await expect(opening).rejects.toMatchObject({ name: 'LinkError', code: 'IO' });
    expect(created?.isOpen).toBe(false);
  });
});

describe('SerialLink open errors', () => {
  it.each([
    ['Error: No such file or directory, cannot open /dev/ttyUSB9', 'NOT_FOUND'],
    ['Error: Permission denied, cannot open /dev/ttyUSB9', 'PERMISSION'],
    ['Error Resource temporarily unavailable Cannot lock port', 'BUSY'],
    ['Error: Device or resource busy, cannot open /dev/ttyUSB9', 'BUSY'],
    ['Error: Input/output error, cannot open /dev/ttyUSB9', 'IO'],
  ] as const)('"%s" becomes %s', async (message, code) => {
    const opening = SerialLink.open('/dev/ttyUSB9', {
      lineMode: 'usb-cdc',
      platform: 'linux',
      createPort: (opts) => {
        const port = new FakePort(opts);
        port.openError = new Error(message);
        return port;
      },
    });
    await expect(opening).rejects.toBeInstanceOf(LinkError);
    await expect(opening).rejects.toMatchObject({ code });
  });

  it('gives the advice a person can act on', () => {
    expect(linkErrorFromOpenFailure('/dev/ttyUSB9', new Error('Error: No such file or directory, cannot open /dev/ttyUSB9'), 'linux').message).toBe(
      'No port /dev/ttyUSB9. Is the board plugged in? Pick it again from the port list.',
    );
    expect(linkErrorFromOpenFailure('/dev/ttyUSB0', new Error('Error: Permission denied, cannot open /dev/ttyUSB0'), 'linux').message).toBe(
      'Permission denied on /dev/ttyUSB0. On Linux add yourself to the dialout group: sudo usermod -aG dialout $USER, then log out and in.',
    );
    expect(linkErrorFromOpenFailure('/dev/ttyUSB0', new Error('Error Resource temporarily unavailable Cannot lock port'), 'linux').message).toBe(
      'Another program holds /dev/ttyUSB0 (a serial monitor, Thonny, ...). Close it and try again.',
    );
    const io = linkErrorFromOpenFailure('/dev/ttyUSB0', new Error('Error: Input/output error, cannot open /dev/ttyUSB0'), 'linux');
    expect(io.message).toBe('Could not open /dev/ttyUSB0: Error: Input/output error, cannot open /dev/ttyUSB0');
    expect(io.cause).toBeInstanceOf(Error);
  });

  it('reads error codes as well as messages, and knows Windows says "Access denied" for a held port', () => {
    expect(linkErrorFromOpenFailure('/dev/x', Object.assign(new Error('open failed'), { code: 'EACCES' }), 'linux').code).toBe('PERMISSION');
    expect(linkErrorFromOpenFailure('COM3', new Error('Opening COM3: Access denied'), 'win32').code).toBe('BUSY');
    expect(linkErrorFromOpenFailure('COM3', new Error('Opening COM3: File not found'), 'win32').code).toBe('NOT_FOUND');
    expect(linkErrorFromOpenFailure('/dev/cu.x', new Error('Error: Permission denied'), 'darwin').message).toBe(
      'Permission denied on /dev/cu.x. Check that your user account may use serial ports.',
    );
  });

  it('rejects an empty path without touching the OS', async () => {
    const createPort = vi.fn();
    await expect(SerialLink.open('  ', { createPort })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(createPort).not.toHaveBeenCalled();
  });

  it('honours an abort signal and a timeout while opening', async () => {
    const hanging = (opts: SerialPortFactoryOptions) => {
      const port = new FakePort(opts);
      port.open = () => {};
      return port;
    };
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const opening = SerialLink.open('/dev/ttyUSB0', { lineMode: 'usb-cdc', createPort: hanging, signal: controller.signal });
    controller.abort(reason);
    await expect(opening).rejects.toBe(reason);

    await expect(
      SerialLink.open('/dev/ttyUSB0', { lineMode: 'usb-cdc', createPort: hanging, timeoutMs: 20 }),
    ).rejects.toMatchObject({ code: 'IO', message: expect.stringMatching(/took too long/) });
  });

  it('closes a port whose open completes after the timeout', async () => {
    let port: FakePort | undefined;
    let finishOpen: (() => void) | undefined;
    const opening = SerialLink.open('/dev/ttyUSB0', {
      lineMode: 'usb-cdc',
      timeoutMs: 10,
      createPort: (opts) => {
        port = new FakePort(opts);
        port.open = (callback) => {
          finishOpen = () => {
            port!.isOpen = true;
            callback(null);
          };
        };
        return port;
      },
    });
    await expect(opening).rejects.toMatchObject({ code: 'IO' });
    finishOpen?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(port?.closeCalls).toBe(1);
  });
});

describe('SerialLink data, writes and loss', () => {
  it('keeps bytes that arrive before anyone listens', async () => {
    const { link, port } = await openFake();
    port.emit('data', Buffer.from('MPY: soft reboot\r\n'));
    port.emit('data', Buffer.from('>>> '));
    const received: string[] = [];
    link.onData((chunk) => received.push(Buffer.from(chunk).toString()));
    port.emit('data', Buffer.from('after'));
    await Promise.resolve();
    expect(received.join('')).toBe('MPY: soft reboot\r\n>>> after');
    await link.close();
  });

  it('resolves a write after the port accepted and drained it', async () => {
    const { link, port } = await openFake((p) => {
      p.holdWrites = true;
    });
    let done = false;
    const writing = link.write(new Uint8Array([1, 2, 3])).then(() => {
      done = true;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(done).toBe(false);
    port.releaseWrites();
    await writing;
    expect(port.written).toEqual([1, 2, 3]);
    await link.close();
  });

  it('an unplugged cable closes once with DISCONNECTED and rejects pending and later writes', async () => {
    const { link, port } = await openFake((p) => {
      p.holdWrites = true;
    });
    const closes: Array<LinkError | undefined> = [];
    link.onClose((error) => closes.push(error));
    const pending = link.write(new Uint8Array([1]));
    port.unplug();
    port.emit('error', new Error('late error after the cable went')); // must not close twice or crash
    await expect(pending).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(closes).toHaveLength(1);
    expect(closes[0]).toBeInstanceOf(LinkError);
    expect(closes[0]?.code).toBe('DISCONNECTED');
    expect(link.isOpen).toBe(false);
    await expect(link.write(new Uint8Array([2]))).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(link.setSignals({ dtr: true })).rejects.toMatchObject({ code: 'CLOSED' });
    await link.close(); // harmless after a loss
    expect(closes).toHaveLength(1);
    // Someone who subscribes only now still learns how it ended.
    await expect(new Promise((resolve) => link.onClose(resolve))).resolves.toMatchObject({ code: 'DISCONNECTED' });
  });

  it('a write error ends the link as DISCONNECTED', async () => {
    const { link, port } = await openFake();
    const closes: Array<LinkError | undefined> = [];
    link.onClose((error) => closes.push(error));
    port.write = (_data, callback) => {
      queueMicrotask(() => callback(Object.assign(new Error('ENXIO: no such device or address, write'), { disconnect: true })));
      return true;
    };
    await expect(link.write(new Uint8Array([1]))).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(closes.map((e) => e?.code)).toEqual(['DISCONNECTED']);
    expect(port.closeCalls).toBe(1); // the fd and the lock are released for a later reopen
  });

  it('an error event ends the link as DISCONNECTED', async () => {
    const { link, port } = await openFake();
    const closed = new Promise<LinkError | undefined>((resolve) => link.onClose(resolve));
    port.emit('error', new Error('EIO: i/o error, read'));
    const error = await closed;
    expect(error?.code).toBe('DISCONNECTED');
    expect(error?.message).toMatch(/EIO/);
  });

  it('close() fires onClose without an error, once, and lets queued writes finish first', async () => {
    const { link, port } = await openFake((p) => {
      p.holdWrites = true;
    });
    const closes: Array<LinkError | undefined> = [];
    link.onClose((error) => closes.push(error));
    const writing = link.write(new Uint8Array([7]));
    const closing = link.close();
    await expect(link.write(new Uint8Array([8]))).rejects.toMatchObject({ code: 'CLOSED' });
    setTimeout(() => port.releaseWrites(), 10);
    await writing;
    await Promise.all([closing, link.close()]);
    expect(port.written).toEqual([7]);
    expect(closes).toEqual([undefined]);
    await expect(new Promise((resolve) => link.onClose(resolve))).resolves.toBeUndefined();
  });
});
