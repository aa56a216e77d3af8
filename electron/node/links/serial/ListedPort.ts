/**
 * Serial ports as the OS lists them (serialport's SerialPort.list(), or
 * PortDiscovery's /dev scan), and what a listing entry's USB ids say the
 * device is. The one place both the port list (friendly names, likely
 * MicroPython boards) and SerialLink ('auto' line mode) identify a device.
 */
import { realpath } from 'node:fs/promises';
// The class alone: the package's index also loads its ten stream parsers and a mock port (~12 ms at every start).
import { SerialPort } from 'serialport/dist/serialport.js';
import { lookupUsbId, normalizeUsbId, type UsbIdentity } from '../../../common/board/usbIds.js';

/** One port as an OS listing reports it (the shape of serialport's PortInfo). */
export interface ListedPort {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
  pnpId?: string | undefined;
}

/** What a listing entry says about its device, cleaned up. */
export interface ListedPortIdentity {
  /** Four upper-case hex digits (normalizeUsbId), when the listing has a usable id. */
  vendorId?: string;
  productId?: string;
  /** What the ids are, when the table knows them. */
  usb?: UsbIdentity;
  /** Listing texts, trimmed; absent when empty. */
  manufacturer?: string;
  serialNumber?: string;
}

/** The OS listing through `serialport`. */
export function listSerialPorts(): Promise<ListedPort[]> {
  return SerialPort.list();
}

export function identifyListedPort(port: ListedPort): ListedPortIdentity {
  const identity: ListedPortIdentity = {};
  const vendorId = normalizeUsbId(port.vendorId);
  const productId = normalizeUsbId(port.productId);
  const usb = lookupUsbId(vendorId, productId);
  const manufacturer = cleanListedText(port.manufacturer);
  const serialNumber = cleanListedText(port.serialNumber);
  if (vendorId !== undefined) identity.vendorId = vendorId;
  if (productId !== undefined) identity.productId = productId;
  if (usb !== undefined) identity.usb = usb;
  if (manufacturer !== undefined) identity.manufacturer = manufacturer;
  if (serialNumber !== undefined) identity.serialNumber = serialNumber;
  return identity;
}

/**
 * The entry for `path` in a listing: listed under that name, or under the
 * device it resolves to (a /dev/serial/by-id link, a symlink someone typed).
 * `real`: what `path` resolves to; default its realpath. (On Windows the
 * caller passes the upper-case COM name, which has no realpath.)
 */
export async function findListedPort<T extends ListedPort>(listed: Iterable<T>, path: string, real?: string): Promise<T | undefined> {
  const wanted = real ?? (await realpathOr(path));
  for (const entry of listed) {
    if (entry.path === path || entry.path === wanted || (await realpathOr(entry.path)) === wanted) return entry;
  }
  return undefined;
}

/** A listing text trimmed, or undefined when there is none (listings report blanks as '' or ' '). */
export function cleanListedText(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}

/** The path's realpath, or the path itself when it cannot be resolved. */
export async function realpathOr(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}
