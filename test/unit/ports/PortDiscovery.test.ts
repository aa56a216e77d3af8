import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PortInfo } from '../../../electron/common/api/contract.js';
import { LinkError } from '../../../electron/common/link/Link.js';
import type { ListedPort } from '../../../electron/node/ports/PortDiscovery.js';
import {
  LIST_TIMEOUT_MS,
  POLL_INTERVAL_MS,
  PortDiscovery,
  scanDevForSerialPorts,
  toPortInfo,
} from '../../../electron/node/ports/PortDiscovery.js';

const CH340: ListedPort = { path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523', manufacturer: '1a86' };
const PICO: ListedPort = {
  path: '/dev/ttyACM0',
  vendorId: '2e8a',
  productId: '0005',
  manufacturer: 'MicroPython',
  serialNumber: 'e6614103e7',
};

/** A lister whose answer the test changes, as if cables were plugged and pulled. */
function scriptedLister(initial: ListedPort[] | Error = []) {
  let current: ListedPort[] | Error = initial;
  const lister = vi.fn(async (): Promise<ListedPort[]> => {
    if (current instanceof Error) throw current;
    return current.map((p) => ({ ...p }));
  });
  return {
    lister,
    set(next: ListedPort[] | Error) {
      current = next;
    },
  };
}

function recordChanges(discovery: PortDiscovery) {
  const events: PortInfo[][] = [];
  discovery.onDidChange((ports) => events.push(ports));
  return events;
}

describe('PortDiscovery polling', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports a plugged board within one interval and an unplugged one likewise', async () => {
    vi.useFakeTimers();
    const usb = scriptedLister([]);
    const discovery = new PortDiscovery({ lister: usb.lister, platform: 'linux' });
    const events = recordChanges(discovery);
    discovery.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(usb.lister).toHaveBeenCalledTimes(1);
    expect(events).toEqual([]); // nothing plugged: nothing changed from the empty start

    usb.set([CH340]);
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual([
      {
        path: '/dev/ttyUSB0',
        kind: 'serial',
        friendlyName: 'CH340 USB-UART (ESP32/ESP8266 dev board) on /dev/ttyUSB0',
        vendorId: '1A86',
        productId: '7523',
        manufacturer: '1a86',
        likelyMicroPython: true,
      },
    ]);
    expect(discovery.ports).toEqual(events[0]);

    usb.set([]);
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
    expect(events).toHaveLength(2);
    expect(events[1]).toEqual([]);
    discovery.dispose();
  });

  it('fires nothing while the ports stay the same', async () => {
    vi.useFakeTimers();
    const usb = scriptedLister([CH340, PICO]);
    const discovery = new PortDiscovery({ lister: usb.lister, platform: 'linux' });
    const events = recordChanges(discovery);
    discovery.start();
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 5);
    expect(usb.lister.mock.calls.length).toBeGreaterThanOrEqual(5);
    expect(events).toHaveLength(1);
    // Same ports listed in another order are the same list.
    usb.set([PICO, CH340]);
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 2);
    expect(events).toHaveLength(1);
    discovery.dispose();
  });

  it('stops polling on stop()', async () => {
    vi.useFakeTimers();
    const usb = scriptedLister([CH340]);
    const discovery = new PortDiscovery({ lister: usb.lister, platform: 'linux' });
    discovery.start();
    discovery.start(); // a second start does not double the polling
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 3);
    const calls = usb.lister.mock.calls.length;
    expect(calls).toBe(4);
    discovery.stop();
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 5);
    expect(usb.lister.mock.calls.length).toBe(calls);
  });

  it('falls back to the /dev scan when the OS listing fails, and logs the failure once', async () => {
    vi.useFakeTimers();
    const usb = scriptedLister(new Error('spawn udevadm ENOENT'));
    const fallbackScanner = vi.fn(async (): Promise<ListedPort[]> => [{ path: '/dev/ttyACM0' }]);
    const debug = vi.fn();
    const discovery = new PortDiscovery({ lister: usb.lister, fallbackScanner, platform: 'linux', debug });
    const events = recordChanges(discovery);
    discovery.start();
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 3);
    expect(fallbackScanner).toHaveBeenCalledTimes(4);
    expect(events).toEqual([
      [{ path: '/dev/ttyACM0', kind: 'serial', friendlyName: 'Serial port /dev/ttyACM0', likelyMicroPython: false }],
    ]);
    const failureLogs = debug.mock.calls.filter(([m]) => String(m).includes('udevadm ENOENT'));
    expect(failureLogs).toHaveLength(1);

    // The OS listing comes back (udev installed, or a transient failure over): it wins again.
    usb.set([PICO]);
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
    expect(events).toHaveLength(2);
    expect(events[1]?.[0]?.friendlyName).toBe('RP2040/RP2350 USB (MicroPython) (Raspberry Pi Pico) on /dev/ttyACM0');
    discovery.dispose();
  });

  it('falls back when the OS listing hangs', async () => {
    vi.useFakeTimers();
    const lister = vi.fn(() => new Promise<ListedPort[]>(() => {}));
    const fallbackScanner = vi.fn(async (): Promise<ListedPort[]> => [CH340]);
    const discovery = new PortDiscovery({ lister, fallbackScanner, platform: 'linux' });
    const pending = discovery.list();
    await vi.advanceTimersByTimeAsync(LIST_TIMEOUT_MS);
    const ports = await pending;
    expect(ports.map((p) => p.path)).toEqual(['/dev/ttyUSB0']);
    expect(fallbackScanner).toHaveBeenCalledTimes(1);
  });

  it('keeps the last list and never throws when the listing and the scan both fail', async () => {
    vi.useFakeTimers();
    const usb = scriptedLister([CH340]);
    const fallbackScanner = vi.fn(async (): Promise<ListedPort[]> => {
      throw new Error('EACCES: permission denied, scandir /dev');
    });
    const discovery = new PortDiscovery({ lister: usb.lister, fallbackScanner, platform: 'linux' });
    const events = recordChanges(discovery);
    discovery.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toHaveLength(1);
    usb.set(new Error('spawn udevadm ENOENT'));
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 2);
    expect(fallbackScanner).toHaveBeenCalledTimes(2);
    expect(events).toHaveLength(1);
    await expect(discovery.list()).resolves.toEqual(events[0]);
    discovery.dispose();
  });

  it('shares one listing between concurrent list() calls', async () => {
    const usb = scriptedLister([CH340]);
    const discovery = new PortDiscovery({ lister: usb.lister, platform: 'linux' });
    const [a, b] = await Promise.all([discovery.list(), discovery.list()]);
    expect(a).toBe(b);
    expect(usb.lister).toHaveBeenCalledTimes(1);
  });
});

describe('port naming and order', () => {
  it('names known, unknown-vendor and id-less ports', () => {
    expect(toPortInfo({ path: 'COM3', vendorId: '10C4', productId: 'EA60', manufacturer: 'Silicon Labs' }).friendlyName).toBe(
      'CP210x USB-UART (ESP32/ESP8266 dev board) on COM3',
    );
    expect(toPortInfo({ path: '/dev/ttyACM1', vendorId: '2341', productId: '0043', manufacturer: 'Arduino (www.arduino.cc)' })).toEqual({
      path: '/dev/ttyACM1',
      kind: 'serial',
      friendlyName: 'Arduino (www.arduino.cc) (2341:0043) on /dev/ttyACM1',
      vendorId: '2341',
      productId: '0043',
      manufacturer: 'Arduino (www.arduino.cc)',
      likelyMicroPython: false,
    });
    expect(toPortInfo({ path: '/dev/ttyACM2', vendorId: 'abcd' }).friendlyName).toBe('USB serial device (ABCD:????) on /dev/ttyACM2');
    expect(toPortInfo({ path: '/dev/rfcomm0' }).friendlyName).toBe('Bluetooth serial port /dev/rfcomm0');
    expect(toPortInfo({ path: '/dev/ttyS4' }).friendlyName).toBe('Built-in serial port /dev/ttyS4');
    expect(toPortInfo({ path: '/dev/cu.usbserial', manufacturer: 'Prolific ' }).friendlyName).toBe(
      'Prolific serial port /dev/cu.usbserial',
    );
  });

  it('leaves out empty strings from the listing', () => {
    const info = toPortInfo({ path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523', manufacturer: ' ', serialNumber: '' });
    expect(info).not.toHaveProperty('manufacturer');
    expect(info).not.toHaveProperty('serialNumber');
  });

  it('lists likely boards first, numbers in numeric order, and hides Linux ttyS placeholders', async () => {
    const lister = async (): Promise<ListedPort[]> => [
      { path: '/dev/ttyS0' },
      { path: '/dev/ttyS1' },
      { path: '/dev/ttyUSB10', vendorId: '0403', productId: '6001' },
      { path: '/dev/ttyUSB2', vendorId: '0403', productId: '6001' },
      { path: '/dev/ttyACM0', vendorId: '2e8a', productId: '0005' },
      { path: '/dev/ttyACM0', vendorId: '2e8a', productId: '0005' }, // a duplicate entry
    ];
    const linux = new PortDiscovery({ lister, platform: 'linux' });
    expect((await linux.list()).map((p) => p.path)).toEqual(['/dev/ttyACM0', '/dev/ttyUSB2', '/dev/ttyUSB10']);
    // Elsewhere ttyS is not a Linux placeholder name; keep what the OS lists.
    const other = new PortDiscovery({ lister, platform: 'freebsd' });
    expect((await other.list()).map((p) => p.path)).toContain('/dev/ttyS0');
  });
});

describe('describePath (a typed-in port)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pinwheel-ports-'));
    await writeFile(join(dir, 'notes.txt'), 'not a port');
    await symlink('/dev/null', join(dir, 'board-link'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const noPorts = async (): Promise<ListedPort[]> => [];

  it('accepts a character device that no listing shows', async () => {
    const discovery = new PortDiscovery({ lister: noPorts, platform: 'linux' });
    await expect(discovery.describePath(' /dev/null ')).resolves.toEqual({
      path: '/dev/null',
      kind: 'serial',
      friendlyName: 'Serial port /dev/null',
      likelyMicroPython: false,
    });
    expect((await discovery.describePath(join(dir, 'board-link'))).friendlyName).toBe(
      `Serial port ${join(dir, 'board-link')} (/dev/null)`,
    );
  });

  it('names a typed link to a listed port after the listed device', async () => {
    const discovery = new PortDiscovery({
      lister: async () => [{ path: '/dev/null', vendorId: '2e8a', productId: '0005' }],
      platform: 'linux',
    });
    const typed = join(dir, 'board-link');
    const info = await discovery.describePath(typed);
    expect(info.path).toBe(typed);
    expect(info.likelyMicroPython).toBe(true);
    expect(info.friendlyName).toBe(`RP2040/RP2350 USB (MicroPython) (Raspberry Pi Pico) on ${typed}`);
  });

  it('says what is wrong with a path that is not a port', async () => {
    const discovery = new PortDiscovery({ lister: noPorts, platform: 'linux' });
    const rejection = (path: string) =>
      discovery.describePath(path).then(
        () => undefined,
        (error: unknown) => error,
      );
    const missing = await rejection('/dev/ttyUSB9');
    expect(missing).toBeInstanceOf(LinkError);
    expect(missing).toMatchObject({ code: 'NOT_FOUND' });
    expect((missing as Error).message).toBe('No port /dev/ttyUSB9. Is the board plugged in? Pick it again from the port list.');
    await expect(rejection(join(dir, 'notes.txt'))).resolves.toMatchObject({
      code: 'IO',
      message: `${join(dir, 'notes.txt')} is a regular file, not a serial port.`,
    });
    await expect(rejection(dir)).resolves.toMatchObject({ code: 'IO', message: `${dir} is a folder, not a serial port.` });
    await expect(rejection('ttyUSB0')).resolves.toMatchObject({ code: 'NOT_FOUND' });
    await expect(rejection('   ')).resolves.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('accepts COM names on Windows without touching the file system', async () => {
    const discovery = new PortDiscovery({
      lister: async () => [{ path: 'COM3', vendorId: '10C4', productId: 'EA60' }],
      platform: 'win32',
    });
    expect((await discovery.describePath('com3')).friendlyName).toBe('CP210x USB-UART (ESP32/ESP8266 dev board) on com3');
    expect((await discovery.describePath('COM12')).friendlyName).toBe('Serial port COM12');
    await expect(discovery.describePath('/dev/ttyUSB0')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('scanDevForSerialPorts', () => {
  let root: string;
  beforeAll(async () => {
    // A miniature /dev and /sys/class/tty: a CH340 behind usb-serial (ids three
    // levels up), a CDC board (ids two levels up) and a tty with no USB parent.
    root = await mkdtemp(join(tmpdir(), 'pinwheel-devscan-'));
    const dev = join(root, 'dev');
    await mkdir(dev);
    for (const name of ['ttyUSB0', 'ttyACM0', 'ttyAMA0', 'ttyS0', 'tty1', 'null', 'cu.usbmodem1101', 'cu.Bluetooth-Incoming-Port']) {
      await writeFile(join(dev, name), '');
    }
    const usbDev = join(root, 'sys/devices/usb1/1-1');
    await mkdir(join(usbDev, '1-1:1.0/ttyUSB0'), { recursive: true });
    await writeFile(join(usbDev, 'idVendor'), '1a86\n');
    await writeFile(join(usbDev, 'idProduct'), '7523\n');
    await writeFile(join(usbDev, 'manufacturer'), 'QinHeng\n');
    const cdcDev = join(root, 'sys/devices/usb1/1-2');
    await mkdir(join(cdcDev, '1-2:1.0'), { recursive: true });
    await writeFile(join(cdcDev, 'idVendor'), '2e8a\n');
    await writeFile(join(cdcDev, 'idProduct'), '0005\n');
    await writeFile(join(cdcDev, 'serial'), 'e6614103\n');
    const ttyClass = join(root, 'sys/class/tty');
    for (const name of ['ttyUSB0', 'ttyACM0', 'ttyAMA0']) await mkdir(join(ttyClass, name), { recursive: true });
    await symlink(join(usbDev, '1-1:1.0/ttyUSB0'), join(ttyClass, 'ttyUSB0/device'));
    await symlink(join(cdcDev, '1-2:1.0'), join(ttyClass, 'ttyACM0/device'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('finds serial device names and reads USB ids from sysfs on Linux', async () => {
    const ports = await scanDevForSerialPorts({
      devDir: join(root, 'dev'),
      sysTtyDir: join(root, 'sys/class/tty'),
      platform: 'linux',
    });
    expect(ports).toEqual([
      { path: join(root, 'dev/cu.usbmodem1101') },
      { path: join(root, 'dev/ttyACM0'), vendorId: '2e8a', productId: '0005', serialNumber: 'e6614103' },
      { path: join(root, 'dev/ttyAMA0') },
      { path: join(root, 'dev/ttyUSB0'), vendorId: '1a86', productId: '7523', manufacturer: 'QinHeng' },
    ]);
    expect(toPortInfo(ports[3] ?? { path: '' }).friendlyName).toBe(
      `CH340 USB-UART (ESP32/ESP8266 dev board) on ${join(root, 'dev/ttyUSB0')}`,
    );
  });

  it('rejects when /dev cannot be read, so discovery keeps its last list', async () => {
    await expect(scanDevForSerialPorts({ devDir: join(root, 'missing'), platform: 'linux' })).rejects.toThrow(/ENOENT/);
  });
});
