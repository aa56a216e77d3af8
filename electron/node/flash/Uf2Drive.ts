/**
 * UF2 bootloader drives: an RP2040/RP2350 in BOOTSEL mode (or any UF2
 * bootloader) mounts as a small FAT drive holding INFO_UF2.TXT. Flashing is
 * copying a .uf2 onto it; the board then reboots and the drive goes away.
 */
import { constants as fsConstants } from 'node:fs';
import { access, open, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chipByUf2Family, CHIPS, type ChipId } from '../../common/flash/chips.js';
import { parseUf2 } from '../../common/flash/uf2.js';
import { FlashError } from '../../common/flash/FlashError.js';
import { errorMessage } from '../../common/util/format.js';
import { sleep } from '../../common/util/sleep.js';

export const INFO_FILE = 'INFO_UF2.TXT';
/** How long a board takes to take the file, reboot and unmount; RP2 boards take about a second. */
export const DEFAULT_DRIVE_GONE_TIMEOUT_MS = 15_000;
export const DRIVE_POLL_MS = 200;
/** Written in chunks so progress can be shown and a cancel is noticed between them. */
const COPY_CHUNK_BYTES = 64 * 1024;

export interface Uf2DriveInfo {
  /** The whole INFO_UF2.TXT, e.g. "UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\nBoard-ID: RPI-RP2\n". */
  raw: string;
  bootloader?: string;
  model?: string;
  boardId?: string;
  /** The chip, when the Board-ID names one Pinwheel knows. */
  chip?: ChipId;
}

export interface Uf2Drive {
  /** The mount point (or drive root, "E:\\" on Windows). */
  path: string;
  /** The volume's name as the file manager shows it (RPI-RP2, RP2350). */
  label: string;
  info: Uf2DriveInfo;
}

/** Board-IDs of the Raspberry Pi boot ROMs. */
const CHIP_BY_BOARD_ID: Readonly<Record<string, ChipId>> = { 'RPI-RP2': 'rp2040', RP2350: 'rp2350' };

export function parseInfoUf2(raw: string): Uf2DriveInfo {
  const info: Uf2DriveInfo = { raw };
  for (const line of raw.split(/\r?\n/)) {
    const m = /^\s*([^:]+?)\s*:\s*(.*?)\s*$/.exec(line);
    if (!m) {
      if (/^\s*UF2 Bootloader/i.test(line)) info.bootloader = line.trim();
      continue;
    }
    const key = m[1]!.toLowerCase();
    if (key === 'model') info.model = m[2]!;
    else if (key === 'board-id') info.boardId = m[2]!;
  }
  if (info.bootloader === undefined) {
    const first = raw.split(/\r?\n/)[0]?.trim();
    if (first && /bootloader/i.test(first)) info.bootloader = first;
  }
  const chip = info.boardId === undefined ? undefined : CHIP_BY_BOARD_ID[info.boardId];
  if (chip) info.chip = chip;
  return info;
}

/**
 * Where removable drives are mounted: the folders whose children are
 * searched (Linux, macOS), or the drive roots themselves (Windows).
 */
export function defaultMountRoots(platform: NodeJS.Platform = process.platform, user = safeUserName()): string[] {
  if (platform === 'win32') return [...'DEFGHIJKLMNOPQRSTUVWXYZ'].map((letter) => `${letter}:\\`);
  if (platform === 'darwin') return ['/Volumes'];
  return user ? [`/media/${user}`, `/run/media/${user}`, '/media'] : ['/media'];
}

function safeUserName(): string | undefined {
  try {
    return os.userInfo().username;
  } catch {
    // No passwd entry (some containers): fall back to the shared mount folder.
    return process.env.USER;
  }
}

async function readDrive(dir: string): Promise<Uf2Drive | undefined> {
  try {
    const raw = await readFile(path.join(dir, INFO_FILE), 'utf8');
    return { path: dir, label: path.basename(dir) || dir, info: parseInfoUf2(raw) };
  } catch {
    return undefined;
  }
}

/** Mounted UF2 bootloader drives: each root itself and each folder directly under it that holds INFO_UF2.TXT. */
export async function findUf2Drives(roots: readonly string[] = defaultMountRoots()): Promise<Uf2Drive[]> {
  const found = new Map<string, Uf2Drive>();
  for (const root of roots) {
    const self = await readDrive(root);
    if (self) found.set(path.resolve(root), self);
    let entries;
    try {
      entries = await readdir(root, { withFileTypes: true });
    } catch {
      // A root that does not exist on this machine (or an empty drive letter).
      continue;
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const dir = path.join(root, entry.name);
      const drive = await readDrive(dir);
      if (drive) found.set(path.resolve(dir), drive);
    }
  }
  return [...found.values()];
}

export interface CopyOptions {
  signal?: AbortSignal;
  onProgress?: (writtenBytes: number, totalBytes: number) => void;
  /** The name on the drive; default the source's base name. */
  targetName?: string;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file, fsConstants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Copies a .uf2 onto the drive: written in chunks, then fsync, so the board
 * has every block before we report success. A board may reboot on its last
 * block, before the sync or close returns: an error once every byte was
 * written counts as done when the drive has gone.
 */
export async function copyUf2ToDrive(uf2File: string, drive: Pick<Uf2Drive, 'path'>, options: CopyOptions = {}): Promise<void> {
  if (!(await exists(path.join(drive.path, INFO_FILE)))) {
    throw new FlashError('NOT_FOUND', `${drive.path} is not a UF2 bootloader drive any more. Put the board in bootloader mode (hold BOOTSEL while plugging it in) and try again.`);
  }
  const bytes = await readFile(uf2File).catch((err: unknown) => {
    throw new FlashError('NOT_FOUND', `Cannot read ${uf2File}: ${errorMessage(err)}.`, { cause: err });
  });
  const target = path.join(drive.path, options.targetName ?? path.basename(uf2File));
  let written = 0;
  let handle;
  try {
    handle = await open(target, 'w');
    while (written < bytes.length) {
      if (options.signal?.aborted) throw new FlashError('CANCELLED', 'Copying the firmware was cancelled; the board is still in its bootloader.');
      const chunk = bytes.subarray(written, written + COPY_CHUNK_BYTES);
      const { bytesWritten } = await handle.write(chunk, 0, chunk.length);
      written += bytesWritten;
      options.onProgress?.(written, bytes.length);
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
  } catch (err) {
    await handle?.close().catch(() => undefined);
    if (written === bytes.length && !(await exists(path.join(drive.path, INFO_FILE)))) return;
    if (err instanceof FlashError) throw err;
    throw new FlashError('IO', `Copying the firmware to ${drive.path} failed after ${written} of ${bytes.length} bytes: ${errorMessage(err)}. Put the board in bootloader mode again and retry.`, { cause: err });
  }
}

/** Resolves once the drive has gone (the board rebooted into the new firmware); FlashError on timeout or cancel. */
export async function waitForDriveGone(drive: Pick<Uf2Drive, 'path'>, options: { timeoutMs?: number; pollMs?: number; signal?: AbortSignal } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_DRIVE_GONE_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const info = path.join(drive.path, INFO_FILE);
  for (;;) {
    if (!(await exists(info))) return;
    if (Date.now() >= deadline) {
      throw new FlashError('TIMEOUT', `The board's drive (${drive.path}) is still there after ${Math.round(timeoutMs / 1000)} s: the board did not take the firmware. Check that the .uf2 is for this board.`);
    }
    try {
      await sleep(Math.min(options.pollMs ?? DRIVE_POLL_MS, Math.max(0, deadline - Date.now())), options.signal);
    } catch (err) {
      throw new FlashError('CANCELLED', 'Waiting for the board to restart was cancelled.', { cause: err });
    }
  }
}

/**
 * Why `image` must not go onto `drive`, or undefined when it may: a drive
 * whose INFO_UF2.TXT names its chip takes only firmware with a block family
 * for that chip (an RP2350 image also carries the "absolute" family, which
 * is why any matching family is enough).
 */
export function uf2DriveMismatch(image: Uint8Array, drive: Pick<Uf2Drive, 'info'>): string | undefined {
  const driveChip = drive.info.chip;
  if (!driveChip) return undefined;
  const chips = parseUf2(image).families.map((f) => (f.familyId === undefined ? undefined : chipByUf2Family(f.familyId)));
  if (chips.some((c) => c === undefined || c.id === driveChip)) return undefined;
  const named = chips.find((c) => c !== undefined);
  return `This firmware is for ${named?.name ?? 'another chip'}, but the drive is an ${CHIPS[driveChip].name} bootloader. Pick the ${CHIPS[driveChip].name} build (${CHIPS[driveChip].genericBoard ?? 'its board'}).`;
}

/** A serial port as the port list gives it. */
export interface ListedSerialPort {
  path: string;
  likelyMicroPython?: boolean;
}

export const DEFAULT_PORT_RETURN_TIMEOUT_MS = 15_000;
const PORT_POLL_MS = 300;

/**
 * After a UF2 copy the board restarts into MicroPython and its USB serial
 * port appears: the first port not in `before` (one that looks like
 * MicroPython first), or `returnPath` (the path it had) existing again.
 * Undefined when none came in time.
 */
export async function waitForSerialPort(
  listPorts: () => Promise<readonly ListedSerialPort[]>,
  before: readonly ListedSerialPort[],
  options: { returnPath?: string | undefined; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ListedSerialPort | undefined> {
  const { returnPath } = options;
  const known = new Set(before.map((p) => p.path).filter((p) => p !== returnPath));
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_PORT_RETURN_TIMEOUT_MS);
  for (;;) {
    const fresh = (await listPorts().catch(() => [])).filter((p) => !known.has(p.path));
    const port = fresh.find((p) => p.likelyMicroPython) ?? fresh[0] ?? (returnPath !== undefined && (await exists(returnPath)) ? { path: returnPath } : undefined);
    if (port) return port;
    if (Date.now() >= deadline) return undefined;
    try {
      await sleep(Math.min(PORT_POLL_MS, Math.max(0, deadline - Date.now())), options.signal);
    } catch (err) {
      throw new FlashError('CANCELLED', 'Waiting for the board\'s serial port was cancelled; the firmware is on the board.', { cause: err });
    }
  }
}
