/**
 * `pinwheel flash`: MicroPython onto an ESP chip over its serial port, from a
 * local .bin or a catalog board id (downloaded once, then cached). The image
 * is checked against the chip the board reports before anything is erased;
 * a refused image exits non-zero with the flash untouched.
 * `pinwheel flash --info` only reports the chip.
 */
import { readFile } from 'node:fs/promises';
import { CHIPS, formatOffset, isChipId, type ChipId } from '../../common/flash/chips.js';
import { findBoard, latestRelease } from '../../common/flash/catalog.js';
import { isUf2 } from '../../common/flash/uf2.js';
import { fetchCatalogFirmware } from '../../node/flash/catalogFirmware.js';
import { checkForNewer } from '../../node/flash/catalogUpdate.js';
import { copyUf2ToDrive, findUf2Drives, uf2DriveMismatch, waitForDriveGone, waitForSerialPort, DEFAULT_PORT_RETURN_TIMEOUT_MS } from '../../node/flash/Uf2Drive.js';
import { validateImage } from '../../common/flash/espImage.js';
import type { ImageProblem } from '../../common/flash/ImageProblem.js';
import { isFlashError } from '../../common/flash/FlashError.js';
import { BANNER_TIMEOUT_MS, EspFlasher, EspFlasherError, type EspChipInfo } from '../../node/flash/EspFlasher.js';
import { checkImageForChip } from '../../node/flash/imageCheck.js';
import { FirmwareCache } from '../../node/flash/FirmwareCache.js';
import { loadCatalog } from '../../node/flash/shippedCatalog.js';
import { WebSerialPort } from '../../node/flash/WebSerialPort.js';
import type { CommandBody, CommandContext } from '../commandTable.js';
import { CommandError, EXIT_USAGE } from '../CommandError.js';
import { autoDetectPort, listSerialPorts } from '../portChoice.js';
import { formatBytes, formatRate, print, printJson, ProgressLine } from './output.js';

/** The speed tried first when --baud is not given; slower ones are tried when it fails. */
export const DEFAULT_FLASH_BAUD = 921_600;
/** Exit code of a firmware refused before anything was erased. */
export const EXIT_REFUSED = 3;

/** The flashing layers' errors are written for the person at the board: shown as they are. */
export const flash: CommandBody = async (ctx) => {
  try {
    return await flashCommand(ctx);
  } catch (err) {
    if (err instanceof EspFlasherError || isFlashError(err)) throw new CommandError(err.message);
    throw err;
  }
};

async function flashCommand(ctx: CommandContext): Promise<number | void> {
  const baud = ctx.flags['baud'] === undefined ? DEFAULT_FLASH_BAUD : ctx.baudRate;
  const chipFlag = (ctx.flags['chip'] as string | undefined) ?? 'auto';
  const offsetFlag = parseOffset(ctx.flags['offset'] as string | undefined);
  if (ctx.flags['info']) {
    if (ctx.args.length > 0) throw new CommandError('flash --info takes no firmware.', EXIT_USAGE);
    const flasher = await connect(ctx, baud);
    try {
      if (ctx.json) printJson(ctx, flasher.info);
      else printInfo(ctx, flasher.info);
    } finally {
      await flasher.resetAndClose();
    }
    return;
  }
  const source = ctx.args[0];
  if (!source) throw new CommandError('Name a firmware: a .bin file or a board id such as ESP32_GENERIC (see `pinwheel flash --help`).', EXIT_USAGE);
  if (ctx.flags['check-newer']) return checkNewer(ctx, source);
  const { image, path: imagePath } = await loadFirmware(ctx, source);
  if (isUf2(image)) return flashUf2(ctx, image, imagePath);
  // A chip given on the command line is checked before the port is even opened.
  if (chipFlag !== 'auto' && isChipId(chipFlag)) {
    const problems = validateImage({ image, chip: chipFlag, offset: offsetFlag ?? CHIPS[chipFlag].flashOffset ?? 0 });
    if (refuse(ctx, problems)) return EXIT_REFUSED;
  }

  const started = Date.now();
  const flasher = await connect(ctx, baud);
  let closed = false;
  try {
    if (!ctx.json) printInfo(ctx, flasher.info);
    const check = checkImageForChip(flasher.info, image, offsetFlag);
    if (check.chip && chipFlag !== 'auto' && chipFlag !== check.chip) {
      throw new CommandError(`The board is an ${CHIPS[check.chip].name}, not an ${CHIPS[chipFlag as ChipId]?.name ?? chipFlag}. Nothing was written.`, EXIT_REFUSED);
    }
    if (refuseCheck(ctx, check.errors, check.warnings)) return EXIT_REFUSED;
    const offset = check.offset;

    const progress = new ProgressLine(ctx.stderr);
    const writeStarted = Date.now();
    if (ctx.flags['erase'] && !ctx.json) print(ctx, 'Erasing the whole flash first...');
    await flasher.write(image, offset, {
      eraseAll: ctx.flags['erase'] === true,
      signal: ctx.signal,
      onProgress: ({ written, total }) => progress.update(`Writing at ${formatOffset(offset)}`, written, total),
    });
    progress.clear();
    const writeMs = Date.now() - writeStarted;
    let banner: string | undefined;
    if (ctx.flags['no-reset']) await flasher.close();
    else banner = await flasher.resetAndReadBanner({ signal: ctx.signal });
    closed = true;
    const result = {
      chip: flasher.info.description,
      offset,
      bytes: image.length,
      baud: flasher.info.baud,
      writeMs,
      totalMs: Date.now() - started,
      verified: 'md5',
      ...(banner !== undefined ? { banner } : {}),
    };
    if (ctx.json) printJson(ctx, result);
    else {
      print(ctx, `Wrote ${formatBytes(image.length)} at ${formatOffset(offset)} in ${(writeMs / 1000).toFixed(1)} s (${formatRate(image.length, writeMs)}, ${flasher.info.baud} baud); verified by MD5.`);
      const done = `Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`;
      if (ctx.flags['no-reset']) print(ctx, 'The chip stays in its bootloader (--no-reset).');
      else print(ctx, banner ? `Restarted into ${banner}. ${done}` : `Reset into the new firmware (it printed no MicroPython banner within ${BANNER_TIMEOUT_MS / 1000} s). ${done}`);
    }
  } catch (err) {
    if (ctx.signal.aborted) throw new CommandError('Flashing was cancelled: the board needs flashing again.', 130);
    throw err;
  } finally {
    if (!closed) await flasher.close();
  }
}

async function connect(ctx: CommandContext, baud: number): Promise<EspFlasher> {
  const path = ctx.port ?? (await autoDetectPort());
  const device = new WebSerialPort({ path });
  return EspFlasher.connect(device, { baud, signal: ctx.signal, ...(ctx.debug ? { log: ctx.debug } : {}) });
}

/** A local file, else a board id from the catalog (downloaded once into the app's data folder). */
async function loadFirmware(ctx: CommandContext, source: string): Promise<{ image: Uint8Array; path: string }> {
  if (/\.(bin|uf2)$/i.test(source) || source.includes('/')) {
    try {
      return { image: new Uint8Array(await readFile(source)), path: source };
    } catch (err) {
      throw new CommandError(`Cannot read ${source}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`);
    }
  }
  const { catalog, board, variant } = await catalogBoard(source);
  const progress = new ProgressLine(ctx.stderr);
  const file = await fetchCatalogFirmware(new FirmwareCache(firmwareBase()), catalog, {
    board: board.id,
    variant,
    signal: ctx.signal,
    onProgress: ({ receivedBytes, totalBytes }) => progress.update('Downloading', receivedBytes, totalBytes ?? 0),
  });
  progress.clear();
  if (!ctx.json) print(ctx, `Firmware ${file.fileName}${file.fromCache ? ' (cached)' : ''}, sha256 ${file.sha256.slice(0, 12)}...`);
  return { image: new Uint8Array(await readFile(file.path)), path: file.path };
}

/** Where firmware comes from: micropython.org, or a mirror named by PINWHEEL_FIRMWARE_BASE_URL. */
function firmwareBase(): { baseUrl?: string } {
  const base = process.env['PINWHEEL_FIRMWARE_BASE_URL'];
  return base ? { baseUrl: base } : {};
}

/** `BOARD` or `BOARD-VARIANT` from the shipped catalog. */
async function catalogBoard(source: string) {
  const catalog = await loadCatalog();
  const dash = source.indexOf('-');
  const boardId = dash < 0 ? source : source.slice(0, dash);
  const variant = dash < 0 ? undefined : source.slice(dash + 1);
  const board = findBoard(catalog, boardId);
  if (!board) throw new CommandError(`${source} is neither a file nor a board of the firmware catalog (for example ESP32_GENERIC, ESP8266_GENERIC, RPI_PICO).`, EXIT_USAGE);
  return { catalog, board, variant };
}

/** `--check-newer BOARD`: releases on the board's download page newer than the catalog knows. */
async function checkNewer(ctx: CommandContext, source: string): Promise<number | void> {
  const { catalog, board } = await catalogBoard(source);
  const newer = await checkForNewer(catalog, board, { signal: ctx.signal, ...firmwareBase() });
  const known = latestRelease(catalog, board);
  if (ctx.json) return printJson(ctx, { board: board.id, known, newer });
  if (newer.length === 0) return print(ctx, `${board.id}: ${known.version} (${known.date}) is the newest release.`);
  print(ctx, `${board.id}: newer than ${known.version}:`);
  for (const r of newer) print(ctx, `  ${r.version} (${r.date})  ${r.files.map((f) => f.url).join('  ')}`);
}

/**
 * A .uf2 goes onto the board's bootloader drive (a Pico held in BOOTSEL): the
 * one drive found, checked against the file's family, then copied; the board
 * takes it and reboots, and its drive goes away.
 */
async function flashUf2(ctx: CommandContext, image: Uint8Array, file: string): Promise<number | void> {
  const chosen = ctx.flags['drive'] as string | undefined;
  const drives = await findUf2Drives(chosen === undefined ? undefined : [chosen]);
  if (chosen !== undefined && drives.length === 0) throw new CommandError(`${chosen} is not a UF2 bootloader drive (it has no INFO_UF2.TXT).`);
  if (drives.length === 0) {
    throw new CommandError('No UF2 bootloader drive is mounted. Hold BOOTSEL while plugging the board in (or run machine.bootloader() on it), then try again.');
  }
  if (drives.length > 1) throw new CommandError(`Several UF2 drives are mounted (${drives.map((d) => d.path).join(', ')}); leave only the board to flash plugged in.`);
  const drive = drives[0]!;
  const mismatch = uf2DriveMismatch(image, drive);
  if (mismatch) {
    ctx.stderr.write(`pinwheel: refused, nothing was copied: ${mismatch}\n`);
    return EXIT_REFUSED;
  }
  const progress = new ProgressLine(ctx.stderr);
  await copyUf2ToDrive(file, drive, { signal: ctx.signal, onProgress: (done, total) => progress.update(`Copying to ${drive.label}`, done, total) });
  progress.clear();
  // The serial ports there are now, so the one the restarted board brings is the new one.
  const before = ctx.port === undefined ? await listSerialPorts() : [];
  await waitForDriveGone(drive, { signal: ctx.signal });
  if (!ctx.json) print(ctx, `Copied ${formatBytes(image.length)} to ${drive.path}; the board took it and restarted.`);
  // With --port, that path coming back is the board; without, any newly listed port.
  const returned = await waitForSerialPort(ctx.port === undefined ? listSerialPorts : async () => [], before, { returnPath: ctx.port, signal: ctx.signal });
  if (ctx.json) return printJson(ctx, { drive: drive.path, bytes: image.length, ...(returned ? { port: returned.path } : {}) });
  print(
    ctx,
    returned
      ? `Its serial port is back: ${returned.path}.`
      : `No serial port came back within ${DEFAULT_PORT_RETURN_TIMEOUT_MS / 1000} s: if the board does not show up, unplug it and plug it in again.`,
  );
}

function refuse(ctx: CommandContext, problems: readonly ImageProblem[]): boolean {
  return refuseCheck(
    ctx,
    problems.filter((p) => p.severity === 'error').map((p) => p.message),
    problems.filter((p) => p.severity === 'warning').map((p) => p.message),
  );
}

/** Prints the warnings; with errors, prints them and says the flash was refused (true). */
function refuseCheck(ctx: CommandContext, errors: readonly string[], warnings: readonly string[]): boolean {
  for (const w of warnings) ctx.stderr.write(`Warning: ${w}\n`);
  if (errors.length === 0) return false;
  if (ctx.json) printJson(ctx, { refused: errors });
  ctx.stderr.write(`pinwheel: refused, nothing was erased: ${errors.join(' ')}\n`);
  return true;
}

function parseOffset(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text, 16) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw new CommandError(`--offset takes an address such as 0x1000, not "${text}".`, EXIT_USAGE);
  return value;
}

function printInfo(ctx: CommandContext, info: EspChipInfo): void {
  print(ctx, `Chip: ${info.description}`);
  print(ctx, `Features: ${info.features.join(', ')}`);
  print(ctx, `Crystal: ${info.crystalMhz} MHz`);
  print(ctx, `MAC: ${info.mac}`);
  print(ctx, `Flash: ${info.flashSizeBytes !== undefined ? formatBytes(info.flashSizeBytes) : 'size unknown'} (id 0x${info.flashId.toString(16)})`);
}
