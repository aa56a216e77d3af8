import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findListedPort, identifyListedPort } from '../../../electron/node/links/serial/ListedPort.js';

describe('identifyListedPort', () => {
  it('normalizes the ids, looks them up and trims the listing texts', () => {
    expect(identifyListedPort({ path: '/dev/ttyACM0', vendorId: '0x2e8a', productId: '5', manufacturer: ' MicroPython ', serialNumber: '' })).toEqual({
      vendorId: '2E8A',
      productId: '0005',
      usb: expect.objectContaining({ lineMode: 'usb-cdc', nativeUsb: true, likelyMicroPython: true }),
      manufacturer: 'MicroPython',
    });
  });

  it('keeps unknown ids without an identity, and says nothing for a port without ids', () => {
    expect(identifyListedPort({ path: '/dev/ttyACM2', vendorId: 'abcd' })).toEqual({ vendorId: 'ABCD' });
    expect(identifyListedPort({ path: '/dev/rfcomm0', vendorId: 'not hex' })).toEqual({});
  });
});

describe('findListedPort', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pinwheel-listed-'));
    await symlink('/dev/null', join(dir, 'by-id-link'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds an entry by its name or by the device a typed link resolves to', async () => {
    const listed = [{ path: '/dev/ttyUSB0' }, { path: '/dev/null', vendorId: '10c4' }];
    await expect(findListedPort(listed, '/dev/ttyUSB0')).resolves.toBe(listed[0]);
    await expect(findListedPort(listed, join(dir, 'by-id-link'))).resolves.toBe(listed[1]);
    await expect(findListedPort(listed, '/dev/ttyUSB7')).resolves.toBeUndefined();
  });

  it('matches a name the caller resolved itself (Windows COM names have no realpath)', async () => {
    const listed = [{ path: 'COM3' }];
    await expect(findListedPort(listed, 'com3', 'COM3')).resolves.toBe(listed[0]);
  });
});
