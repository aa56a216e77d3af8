/**
 * Port discovery: which serial ports exist, what a person should call them,
 * and which ones are probably a MicroPython board. Polls, because plug and
 * unplug notifications need native hooks per OS while a one-second listing
 * is cheap and works everywhere.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PortInfo } from '../../common/api/contract.js';
import { LinkError } from '../../common/link/Link.js';
import type { Disposable } from '../../common/util/disposable.js';
import { Emitter } from '../../common/util/disposable.js';
import { errorMessage } from '../../common/util/format.js';
import {
  cleanListedText,
  findListedPort,
  identifyListedPort,
  listSerialPorts,
  realpathOr,
  type ListedPort,
} from '../links/serial/ListedPort.js';
import { promiseWithDeadline } from '../links/serial/waitWithDeadline.js';

export type { ListedPort } from '../links/serial/ListedPort.js';

/** Plugging a board in should show up while the user still looks at the list. */
export const POLL_INTERVAL_MS = 1000;
/** `udevadm` can hang on a busy system; past this the /dev scan answers instead. */
export const LIST_TIMEOUT_MS = 3000;
/** sysfs levels between /sys/class/tty/X/device and the USB device holding idVendor. */
const SYSFS_USB_SEARCH_DEPTH = 4;

export type PortLister = () => Promise<ListedPort[]>;

export interface PortDiscoveryOptions {
  /** The OS listing; default `SerialPort.list()`. Tests script plug and unplug through it. */
  lister?: PortLister;
  /** Used when the lister fails (no udev, sandbox); default scanDevForSerialPorts(). */
  fallbackScanner?: PortLister;
  /** Default POLL_INTERVAL_MS. */
  intervalMs?: number;
  /** Default LIST_TIMEOUT_MS. */
  listTimeoutMs?: number;
  /** Default process.platform. */
  platform?: NodeJS.Platform;
  /** Namespaced debug output; discovery never prints. */
  debug?: (message: string) => void;
}

export class PortDiscovery implements Disposable {
  private readonly changeEmitter = new Emitter<PortInfo[]>();
  private snapshot: PortInfo[] = [];
  private snapshotKey = '[]';
  private rawByPath = new Map<string, ListedPort>();
  private inFlight: Promise<PortInfo[]> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private lastFailure: string | undefined;
  private readonly lister: PortLister;
  private readonly fallbackScanner: PortLister;
  private readonly intervalMs: number;
  private readonly listTimeoutMs: number;
  private readonly platform: NodeJS.Platform;
  private readonly debug: (message: string) => void;

  /**
   * Fires with the full, sorted port list whenever it differs from the last
   * list fired or returned (the first listing fires when any port exists).
   */
  readonly onDidChange: (listener: (ports: PortInfo[]) => void) => Disposable = this.changeEmitter.event;

  constructor(options: PortDiscoveryOptions = {}) {
    this.lister = options.lister ?? listSerialPorts;
    this.platform = options.platform ?? process.platform;
    this.fallbackScanner = options.fallbackScanner ?? (() => scanDevForSerialPorts({ platform: this.platform }));
    this.intervalMs = options.intervalMs ?? POLL_INTERVAL_MS;
    this.listTimeoutMs = options.listTimeoutMs ?? LIST_TIMEOUT_MS;
    this.debug = options.debug ?? (() => {});
  }

  /** The last list seen, without listing again. */
  get ports(): readonly PortInfo[] {
    return this.snapshot;
  }

  /** Lists now (sharing a listing already under way) and fires onDidChange if the list changed. */
  list(): Promise<PortInfo[]> {
    this.inFlight ??= this.refresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Starts polling every intervalMs; the first listing runs at once. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.pollOnce();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stop();
    this.changeEmitter.dispose();
  }

  /**
   * Checks a path the user typed (a pty such as /dev/pts/3, a /dev/serial/by-id
   * link, COM7) and describes it. Rejects with a LinkError saying what is wrong
   * (NOT_FOUND, PERMISSION, or IO for something that is not a device). Never
   * opens the port: opening toggles the lines and can reset a board.
   */
  async describePath(typed: string): Promise<PortInfo> {
    const path = typed.trim();
    if (path === '' || path.includes('\0')) {
      throw new LinkError('NOT_FOUND', 'Type a port path such as /dev/ttyUSB0 or COM3.');
    }
    if (this.platform === 'win32') {
      if (!/^(\\\\\.\\)?COM\d+$/i.test(path)) {
        throw new LinkError('NOT_FOUND', `"${path}" is not a port name. Windows ports are named like COM3.`);
      }
      const listed = await this.findListed(path, path.replace(/^\\\\\.\\/, '').toUpperCase());
      return listed ?? { path, kind: 'serial', friendlyName: `Serial port ${path}`, likelyMicroPython: false };
    }
    if (!path.startsWith('/')) {
      throw new LinkError('NOT_FOUND', `"${path}" is not a device path. Type the full path, such as /dev/ttyUSB0.`);
    }
    let kind: string;
    try {
      const info = await stat(path);
      kind = info.isCharacterDevice() ? 'device' : info.isDirectory() ? 'a folder' : 'a regular file';
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'EACCES' || code === 'EPERM') {
        throw new LinkError('PERMISSION', `Permission denied on ${path}.`, { cause: error });
      }
      throw new LinkError('NOT_FOUND', `No port ${path}. Is the board plugged in? Pick it again from the port list.`, {
        cause: error,
      });
    }
    if (kind !== 'device') {
      throw new LinkError('IO', `${path} is ${kind}, not a serial port.`);
    }
    const real = await realpathOr(path);
    const listed = await this.findListed(path, real);
    if (listed) return listed;
    const pty = /^\/dev\/(pts\/\d+|ttys\d+|tty[p-za-e][0-9a-f])$/.test(real);
    const shown = real === path ? path : `${path} (${real})`;
    return {
      path,
      kind: 'serial',
      friendlyName: pty ? `Pseudo-terminal ${shown}` : `Serial port ${shown}`,
      likelyMicroPython: false,
    };
  }

  private async findListed(path: string, real: string): Promise<PortInfo | undefined> {
    if (this.rawByPath.size === 0) await this.list();
    const raw = await findListedPort(this.rawByPath.values(), path, real);
    return raw ? toPortInfo({ ...raw, path }) : undefined;
  }

  private async pollOnce(): Promise<void> {
    try {
      await this.list();
    } catch (error) {
      // refresh() does not throw; this guards a listener that does.
      this.debug(`poll failed: ${errorMessage(error)}`);
    }
    if (!this.running) return;
    // Chained timeouts, not setInterval: a slow listing never overlaps the next.
    this.timer = setTimeout(() => void this.pollOnce(), this.intervalMs);
    // A CLI or test that forgets stop() should still be able to exit.
    (this.timer as { unref?: () => void }).unref?.();
  }

  private async refresh(): Promise<PortInfo[]> {
    const raw = await this.listRaw();
    if (raw === undefined) return this.snapshot;
    const byPath = new Map<string, ListedPort>();
    for (const port of raw) {
      if (!port.path || byPath.has(port.path)) continue;
      if (!this.isUseful(port)) continue;
      byPath.set(port.path, port);
    }
    const ports = [...byPath.values()].map((p) => toPortInfo(p)).sort(comparePorts);
    this.rawByPath = byPath;
    const key = JSON.stringify(ports);
    if (key !== this.snapshotKey) {
      this.snapshot = ports;
      this.snapshotKey = key;
      this.changeEmitter.fire(ports);
    }
    return ports;
  }

  /** The OS listing, else the /dev scan; undefined when both fail (keep the last list, fire nothing). */
  private async listRaw(): Promise<ListedPort[] | undefined> {
    try {
      const listed = await promiseWithDeadline(this.lister(), this.listTimeoutMs, 'the port listing timed out');
      this.lastFailure = undefined;
      return listed;
    } catch (error) {
      const message = errorMessage(error);
      // Logged once per distinct failure: with udev missing it fails every second.
      if (message !== this.lastFailure) this.debug(`port listing failed (${message}); scanning /dev instead`);
      this.lastFailure = message;
    }
    try {
      return await promiseWithDeadline(this.fallbackScanner(), this.listTimeoutMs, 'the /dev scan timed out');
    } catch (error) {
      this.debug(`/dev scan failed: ${errorMessage(error)}`);
      return undefined;
    }
  }

  /**
   * Drops Linux's /dev/ttyS* placeholders: udev lists up to 32 legacy UARTs
   * whether or not hardware exists, burying the one real board. A real onboard
   * UART can still be typed in (describePath).
   */
  private isUseful(port: ListedPort): boolean {
    if (this.platform === 'linux' && /^\/dev\/ttyS\d+$/.test(port.path) && identifyListedPort(port).vendorId === undefined) {
      return false;
    }
    return true;
  }
}

/** The API's PortInfo for one listed port, named from its USB ids. */
export function toPortInfo(port: ListedPort): PortInfo {
  const { vendorId, productId, usb: identity, manufacturer, serialNumber } = identifyListedPort(port);
  let friendlyName: string;
  if (identity) {
    friendlyName = `${identity.chip}${identity.board ? ` (${identity.board})` : ''} on ${port.path}`;
  } else if (vendorId !== undefined) {
    friendlyName = `${manufacturer ?? 'USB serial device'} (${vendorId}:${productId ?? '????'}) on ${port.path}`;
  } else if (/^\/dev\/ttyS\d+$/.test(port.path)) {
    friendlyName = `Built-in serial port ${port.path}`;
  } else if (/rfcomm|Bluetooth/i.test(port.path)) {
    friendlyName = `Bluetooth serial port ${port.path}`;
  } else {
    friendlyName = `${manufacturer ? `${manufacturer} serial port` : 'Serial port'} ${port.path}`;
  }
  const info: PortInfo = {
    path: port.path,
    kind: 'serial',
    friendlyName,
    likelyMicroPython: identity?.likelyMicroPython ?? false,
  };
  if (vendorId !== undefined) info.vendorId = vendorId;
  if (productId !== undefined) info.productId = productId;
  if (manufacturer !== undefined) info.manufacturer = manufacturer;
  if (serialNumber !== undefined) info.serialNumber = serialNumber;
  return info;
}

/** Likely boards first, then by path with numbers compared as numbers (ttyUSB2 before ttyUSB10). */
function comparePorts(a: PortInfo, b: PortInfo): number {
  if (a.likelyMicroPython !== b.likelyMicroPython) return a.likelyMicroPython ? -1 : 1;
  return a.path.localeCompare(b.path, 'en', { numeric: true });
}

/**
 * Device names worth offering, for the /dev scan: USB-UART bridges (ttyUSB),
 * USB CDC (ttyACM), Pi UARTs (ttyAMA), Bluetooth (rfcomm), Exar/WCH vendor
 * drivers, macOS call-out devices (cu.*) and FreeBSD USB serial (cuaU).
 */
const DEV_SERIAL_NAME = /^(ttyUSB\d+|ttyACM\d+|ttyAMA\d+|rfcomm\d+|ttyXRUSB\d+|ttyWCH\d+|cu\..+|cuaU\d+)$/;
/** macOS call-out devices that are never a board. */
const DEV_NOT_A_BOARD = /^cu\.(Bluetooth-Incoming-Port|debug-console)$/;

export interface DevScanOptions {
  /** Default /dev. */
  devDir?: string;
  /** Linux sysfs tty class, for USB ids; default /sys/class/tty. */
  sysTtyDir?: string;
  platform?: NodeJS.Platform;
}

/**
 * Lists serial devices by their names in /dev, for when the OS listing fails
 * (serialport's Linux listing needs `udevadm`: "spawn udevadm ENOENT" in
 * containers and minimal installs). On Linux the USB ids come from sysfs, so
 * friendly names still work.
 */
export async function scanDevForSerialPorts(options: DevScanOptions = {}): Promise<ListedPort[]> {
  const devDir = options.devDir ?? '/dev';
  const sysTtyDir = options.sysTtyDir ?? '/sys/class/tty';
  const platform = options.platform ?? process.platform;
  const names = (await readdir(devDir)).filter((n) => DEV_SERIAL_NAME.test(n) && !DEV_NOT_A_BOARD.test(n)).sort();
  const ports: ListedPort[] = [];
  for (const name of names) {
    const port: ListedPort = { path: join(devDir, name) };
    if (platform === 'linux') Object.assign(port, await readSysfsUsbIds(sysTtyDir, name));
    ports.push(port);
  }
  return ports;
}

/** Walks up from /sys/class/tty/<name>/device to the USB device directory holding idVendor. */
async function readSysfsUsbIds(sysTtyDir: string, name: string): Promise<Partial<ListedPort>> {
  let dir: string;
  try {
    dir = await realpath(join(sysTtyDir, name, 'device'));
  } catch {
    return {};
  }
  for (let level = 0; level <= SYSFS_USB_SEARCH_DEPTH; level++) {
    const vendorId = await readTrimmed(join(dir, 'idVendor'));
    if (vendorId !== undefined) {
      const ids: Partial<ListedPort> = { vendorId };
      const productId = await readTrimmed(join(dir, 'idProduct'));
      const manufacturer = await readTrimmed(join(dir, 'manufacturer'));
      const serialNumber = await readTrimmed(join(dir, 'serial'));
      if (productId !== undefined) ids.productId = productId;
      if (manufacturer !== undefined) ids.manufacturer = manufacturer;
      if (serialNumber !== undefined) ids.serialNumber = serialNumber;
      return ids;
    }
    const parent = join(dir, '..');
    if (parent === dir) break;
    dir = parent;
  }
  return {};
}

async function readTrimmed(file: string): Promise<string | undefined> {
  try {
    return cleanListedText(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}
