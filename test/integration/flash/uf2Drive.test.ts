// UF2 drives as folders in a temp dir: found by INFO_UF2.TXT under the mount
// roots, the .uf2 copied whole, and the wait for the board to take it and
// unmount (here: the test removes the drive folder, as the board would).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UF2_FAMILY } from '../../../electron/common/flash/chips.js';
import { isFlashError } from '../../../electron/common/flash/FlashError.js';
import { copyUf2ToDrive, defaultMountRoots, findUf2Drives, parseInfoUf2, waitForDriveGone } from '../../../electron/node/flash/Uf2Drive.js';
import { buildUf2 } from '../../support/firmwareImages.js';

const RP2040_INFO = 'UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\nBoard-ID: RPI-RP2\n';
const RP2350_INFO = 'UF2 Bootloader v1.0\r\nModel: Raspberry Pi RP2350\r\nBoard-ID: RP2350\r\n';

let tmp: string;
let media: string;

function makeDrive(parent: string, label: string, info: string): string {
  const drive = path.join(parent, label);
  mkdirSync(drive, { recursive: true });
  writeFileSync(path.join(drive, 'INFO_UF2.TXT'), info);
  writeFileSync(path.join(drive, 'INDEX.HTM'), '<html></html>');
  return drive;
}

async function failureCode(p: Promise<unknown>): Promise<string | undefined> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isFlashError(err), String(err)).toBe(true);
  return (err as { code?: string }).code;
}

beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-uf2-'));
  media = path.join(tmp, 'media', 'user');
  mkdirSync(media, { recursive: true });
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('finding drives', () => {
  it('finds bootloader drives under the roots and reads their chip', async () => {
    makeDrive(media, 'RPI-RP2', RP2040_INFO);
    // An ordinary USB stick: a mounted folder without INFO_UF2.TXT.
    mkdirSync(path.join(media, 'USB-STICK'));
    const other = path.join(tmp, 'Volumes');
    makeDrive(other, 'RP2350', RP2350_INFO);
    const drives = await findUf2Drives([media, other, path.join(tmp, 'not-there')]);
    expect(drives.map((d) => [d.label, d.info.chip, d.info.model])).toEqual([
      ['RPI-RP2', 'rp2040', 'Raspberry Pi RP2'],
      ['RP2350', 'rp2350', 'Raspberry Pi RP2350'],
    ]);
  });

  it('takes a root that is itself a drive (a Windows drive letter)', async () => {
    const drive = makeDrive(tmp, 'E', RP2040_INFO);
    expect((await findUf2Drives([drive])).map((d) => d.path)).toEqual([drive]);
  });

  it('reads INFO_UF2.TXT of other bootloaders and names the default roots per platform', () => {
    expect(parseInfoUf2('TinyUF2 Bootloader 0.18.2\nModel: Adafruit Feather ESP32-S3\nBoard-ID: ESP32S3-Feather-revC\n')).toMatchObject({
      bootloader: 'TinyUF2 Bootloader 0.18.2',
      model: 'Adafruit Feather ESP32-S3',
      boardId: 'ESP32S3-Feather-revC',
    });
    expect(parseInfoUf2(RP2040_INFO).chip).toBe('rp2040');
    expect(defaultMountRoots('linux', 'ana')).toEqual(['/media/ana', '/run/media/ana', '/media']);
    expect(defaultMountRoots('darwin')).toEqual(['/Volumes']);
    expect(defaultMountRoots('win32')).toContain('E:\\');
  });
});

describe('copying', () => {
  const file = buildUf2({ familyId: UF2_FAMILY.RP2040, payloadBytes: 256 * 600 });

  it('copies the file whole, reporting progress, then sees the drive go', async () => {
    const drive = makeDrive(media, 'RPI-RP2', RP2040_INFO);
    const source = path.join(tmp, 'RPI_PICO-20260824-v1.29.0.uf2');
    writeFileSync(source, file);
    const progress: number[] = [];
    await copyUf2ToDrive(source, { path: drive }, { onProgress: (done) => progress.push(done) });
    expect(readFileSync(path.join(drive, 'RPI_PICO-20260824-v1.29.0.uf2'))).toEqual(Buffer.from(file));
    expect(progress.at(-1)).toBe(file.length);
    expect(progress.length).toBeGreaterThan(1);

    // The board reboots into the new firmware: its drive disappears.
    setTimeout(() => rmSync(drive, { recursive: true, force: true }), 300);
    const started = Date.now();
    await waitForDriveGone({ path: drive }, { timeoutMs: 5000, pollMs: 50 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('times out when the board keeps its drive, and stops waiting when cancelled', async () => {
    const drive = makeDrive(media, 'RPI-RP2', RP2040_INFO);
    expect(await failureCode(waitForDriveGone({ path: drive }, { timeoutMs: 300, pollMs: 50 }))).toBe('TIMEOUT');
    expect(await failureCode(waitForDriveGone({ path: drive }, { timeoutMs: 5000, signal: AbortSignal.timeout(100) }))).toBe('CANCELLED');
  });

  it('refuses a folder that is not a bootloader drive, and a cancelled copy', async () => {
    const source = path.join(tmp, 'fw.uf2');
    writeFileSync(source, file);
    const plain = path.join(tmp, 'plain');
    mkdirSync(plain);
    expect(await failureCode(copyUf2ToDrive(source, { path: plain }))).toBe('NOT_FOUND');
    expect(existsSync(path.join(plain, 'fw.uf2'))).toBe(false);
    const drive = makeDrive(media, 'RPI-RP2', RP2040_INFO);
    expect(await failureCode(copyUf2ToDrive(source, { path: drive }, { signal: AbortSignal.abort() }))).toBe('CANCELLED');
  });
});
