/**
 * The flash domain: the firmware catalog, chip info and verified writes,
 * each run in the flasher process. While it runs the flasher holds the
 * port's lease (the board connection lends it and reconnects afterwards, so
 * the new banner appears in the terminal), and nothing else touches the port.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CallResult, CatalogBoardDto, ChipInfoDto, FirmwareSource, FlashResultDto, PortInfo } from '../../../common/api/contract.js';
import type { HandlersFor } from '../../../common/api/dispatcher.js';
import type { flashCalls } from '../../../common/api/domains/flash.js';
import { ApiError } from '../../../common/api/errors.js';
import { findBoard, latestRelease, suggestForPort, type FirmwareCatalog } from '../../../common/flash/catalog.js';
import { checkForNewer } from '../../flash/catalogUpdate.js';
import { fetchCatalogFirmware } from '../../flash/catalogFirmware.js';
import { isFlashError, type FlashError } from '../../../common/flash/FlashError.js';
import { errorMessage } from '../../../common/util/format.js';
import { FirmwareCache } from '../../flash/FirmwareCache.js';
import { copyUf2ToDrive, defaultMountRoots, findUf2Drives, uf2DriveMismatch, waitForDriveGone, waitForSerialPort, type Uf2Drive } from '../../flash/Uf2Drive.js';
import type { FlasherJob, FlasherMessage } from '../../flash/flasherProtocol.js';
import { runFlasherProcess } from '../../flash/FlasherProcess.js';
import { loadCatalog } from '../../flash/shippedCatalog.js';
import type { PortLeases } from '../../ports/PortLeases.js';
import { JobProgress, type ProgressSink } from '../JobProgress.js';

export const FLASHER_OWNER = 'the flasher';
/** The first speed tried; the flasher steps down to 460800 and 115200 when it does not work. */
export const DEFAULT_FLASH_BAUD = 921_600;
/** How long a chip that dropped off its port gets to appear on another (USB re-enumeration takes about a second). */
export const REENUMERATION_TIMEOUT_MS = 5000;

/** A failure of the flasher, as the API's error codes say it. */
const API_CODE = {
  refused: 'BAD_REQUEST',
  lost: 'DISCONNECTED',
  cancelled: 'CANCELLED',
  'no-bootloader': 'TIMEOUT',
  verify: 'INTERNAL',
  other: 'INTERNAL',
} as const;

export interface FlasherServiceOptions {
  leases: PortLeases;
  progress: ProgressSink;
  /** Default: firmware/catalog.json. */
  catalog?: () => Promise<FirmwareCatalog>;
  /** Default: the data folder's firmware cache, from micropython.org. */
  cache?: FirmwareCache;
  /** Runs a job; tests may replace it. Default: the flasher process. */
  run?: typeof runFlasherProcess;
  /** What port discovery knows of a port (its USB ids pick the reset a native-USB chip needs). */
  describePort?: (path: string) => Promise<PortInfo | undefined>;
  /** The serial ports listed now (a UF2 board's port coming back after its restart). */
  listPorts?: () => Promise<PortInfo[]>;
  /** Where removable drives are mounted; default the OS's usual folders (Uf2Drive.defaultMountRoots). */
  uf2MountRoots?: readonly string[];
  debug?: (message: string) => void;
}

export class FlasherService {
  private readonly cache: FirmwareCache;

  constructor(private readonly options: FlasherServiceOptions) {
    this.cache = options.cache ?? new FirmwareCache();
  }

  handlers(): HandlersFor<typeof flashCalls> {
    return {
      'flash.catalog': async () => {
        const catalog = await this.catalog();
        return { boards: catalog.boards.map((board) => boardDto(catalog, board)) };
      },
      'flash.suggest': async (p) => {
        const port = p.port === undefined ? undefined : await this.options.describePort?.(p.port).catch(() => undefined);
        return (
          suggestForPort(await this.catalog(), {
            ...(p.machine !== undefined ? { machine: p.machine } : {}),
            ...(port?.vendorId !== undefined ? { vendorId: port.vendorId } : {}),
            ...(port?.productId !== undefined ? { productId: port.productId } : {}),
          }) ?? null
        );
      },
      'flash.newer': (p, ctx) => this.newer(p.board, ctx.signal),
      'flash.info': (p, ctx) => this.info(p.port, p.baud ?? DEFAULT_FLASH_BAUD, ctx.signal),
      'flash.write': (p, ctx) => this.write(p, ctx.signal),
      'flash.drives': async () => (await this.drives()).map((d) => ({ path: d.path, label: d.label, ...pick(d.info, 'model', 'boardId', 'chip') })),
      'flash.copyUf2': (p, ctx) => this.copyUf2(p, ctx.signal),
    };
  }

  private catalog(): Promise<FirmwareCatalog> {
    return (this.options.catalog ?? loadCatalog)();
  }

  private async newer(boardId: string, signal: AbortSignal): Promise<CallResult<'flash.newer'>> {
    const catalog = await this.catalog();
    const board = findBoard(catalog, boardId);
    if (!board) throw new ApiError('NOT_FOUND', `${boardId} is not a board of the firmware catalog.`);
    try {
      const newer = await checkForNewer(catalog, board, { signal, baseUrl: this.cache.baseUrl });
      const known = latestRelease(catalog, board);
      return { known: { version: known.version, date: known.date }, newer: newer.map((r) => ({ version: r.version, date: r.date })) };
    } catch (err) {
      if (isFlashError(err)) throw apiErrorOf(err, 'INTERNAL');
      throw err;
    }
  }

  private async info(port: string, baud: number, signal: AbortSignal): Promise<ChipInfoDto> {
    let chip: ChipInfoDto | undefined;
    await this.runJob({ type: 'info', port, baud }, signal, (m) => {
      if (m.type === 'chip') chip = m.info;
    });
    if (!chip) throw new ApiError('INTERNAL', 'The flasher ended without reporting the chip.');
    return chip;
  }

  private async write(
    p: { port: string; source: FirmwareSource; eraseAll: boolean; baud?: number | undefined; jobId?: string | undefined },
    signal: AbortSignal,
  ): Promise<CallResult<'flash.write'>> {
    const started = Date.now();
    const progress = new JobProgress(this.options.progress, p.jobId, 'Preparing the firmware');
    try {
      const firmware = await this.resolve(p.source, progress, signal);
      if (firmware.kind === 'uf2') {
        throw new ApiError('BAD_REQUEST', `${firmware.fileName} is a .uf2 firmware, for boards that show up as a USB drive: it is copied onto the board's bootloader drive, not written over a serial port.`);
      }
      let chip: ChipInfoDto | undefined;
      let result: Omit<FlashResultDto, 'chip' | 'firmware' | 'totalMs' | 'port'> | undefined;
      const flashedPort = await this.runJob({ type: 'write', port: p.port, baud: p.baud ?? DEFAULT_FLASH_BAUD, imagePath: firmware.path, eraseAll: p.eraseAll }, signal, (m) => {
        if (m.type === 'step') progress.setLabel(m.label);
        else if (m.type === 'progress') progress.report(m.written, m.total);
        else if (m.type === 'chip') chip = m.info;
        else if (m.type === 'written') {
          const { type: _type, ...written } = m;
          result = written;
        }
      });
      if (!chip || !result) throw new ApiError('INTERNAL', 'The flasher ended without reporting the write.');
      progress.finish(result.bytes, result.bytes);
      return { chip, firmware: firmware.fileName, totalMs: Date.now() - started, ...result, port: flashedPort };
    } finally {
      progress.finish();
    }
  }

  private drives(): Promise<Uf2Drive[]> {
    return findUf2Drives(this.options.uf2MountRoots ?? defaultMountRoots());
  }

  private async copyUf2(
    p: { drive: string; source: FirmwareSource; returnPort?: string | undefined; jobId?: string | undefined },
    signal: AbortSignal,
  ): Promise<CallResult<'flash.copyUf2'>> {
    const started = Date.now();
    const progress = new JobProgress(this.options.progress, p.jobId, 'Preparing the firmware');
    try {
      const firmware = await this.resolve(p.source, progress, signal);
      if (firmware.kind !== 'uf2') {
        throw new ApiError('BAD_REQUEST', `${firmware.fileName} is not a .uf2 firmware: an ESP32 or ESP8266 image is written over the serial port (pick the board's port instead of a drive).`);
      }
      const drive = (await this.drives()).find((d) => path.resolve(d.path) === path.resolve(p.drive));
      if (!drive) throw new ApiError('NOT_FOUND', `${p.drive} is not a UF2 bootloader drive any more. Put the board in its bootloader again (hold BOOTSEL while plugging it in).`);
      const image = new Uint8Array(await readFile(firmware.path));
      const mismatch = uf2DriveMismatch(image, drive);
      if (mismatch) throw new ApiError('BAD_REQUEST', `${mismatch} Nothing was copied.`);
      const listPorts = this.options.listPorts ?? (async () => []);
      const before = await listPorts().catch(() => []);
      progress.setLabel(`Copying to ${drive.label}`);
      const copyStarted = Date.now();
      await copyUf2ToDrive(firmware.path, drive, { signal, onProgress: (done, total) => progress.report(done, total) });
      const copyMs = Date.now() - copyStarted;
      progress.setLabel('Waiting for the board to restart');
      await waitForDriveGone(drive, { signal });
      progress.setLabel("Waiting for the board's serial port");
      const port = await waitForSerialPort(listPorts, before, { returnPath: p.returnPort, signal });
      progress.finish(image.length, image.length);
      return { firmware: firmware.fileName, drive: drive.path, bytes: image.length, copyMs, totalMs: Date.now() - started, ...(port ? { port: port.path } : {}) };
    } catch (err) {
      if (err instanceof ApiError) throw err;
      if (isFlashError(err)) throw apiErrorOf(err, 'INTERNAL');
      throw new ApiError('INTERNAL', errorMessage(err));
    } finally {
      progress.finish();
    }
  }

  /** The firmware file to write: a catalog board's newest release (downloaded once), or a file the person picked. */
  private async resolve(source: FirmwareSource, progress: JobProgress, signal: AbortSignal) {
    try {
      if (source.kind === 'file') return await this.cache.importLocal(source.path);
      return await fetchCatalogFirmware(this.cache, await this.catalog(), {
        board: source.board,
        variant: source.variant,
        release: source.release,
        signal,
        onStart: (board, version) => progress.setLabel(`Downloading ${board.name} ${version}`),
        onProgress: ({ receivedBytes, totalBytes }) => progress.report(receivedBytes, totalBytes ?? 0),
      });
    } catch (err) {
      if (err instanceof ApiError) throw err;
      // A firmware that cannot be had (a bad file, a download that failed) is the request's problem.
      if (isFlashError(err)) throw apiErrorOf(err, 'BAD_REQUEST');
      throw new ApiError('INTERNAL', errorMessage(err));
    }
  }

  /**
   * Runs the job on its port and returns the port it ended on. A chip that
   * re-enumerates when reset into its bootloader (native USB: the ESP32-S2/S3
   * ROM is a different USB device than MicroPython's) loses the port before
   * anything is written and appears on another: that one is followed, once.
   */
  private async runJob(job: FlasherJob, signal: AbortSignal, onMessage: (m: FlasherMessage) => void): Promise<string> {
    const before = await this.listPorts();
    const first = await this.runOnPort(job, signal, onMessage);
    if (!first.failure) return job.port;
    const { failure, wrote } = first;
    if (!wrote && (failure.failure === 'lost' || failure.failure === 'no-bootloader') && !signal.aborted) {
      const moved = await this.followReenumeration(job.port, before, signal);
      if (moved) {
        onMessage({ type: 'step', label: `The board came back as ${moved}: following it` });
        const second = await this.runOnPort({ ...job, port: moved }, signal, onMessage);
        if (!second.failure) return moved;
        throw new ApiError(API_CODE[second.failure.failure], second.failure.message);
      }
    }
    throw new ApiError(API_CODE[failure.failure], failure.message);
  }

  private async listPorts(): Promise<PortInfo[]> {
    return (await this.options.listPorts?.().catch(() => undefined)) ?? [];
  }

  /** The port a chip that left `gone` came back on: a newly listed one, the same USB vendor first; undefined when `gone` is still there. */
  private async followReenumeration(gone: string, before: readonly PortInfo[], signal: AbortSignal): Promise<string | undefined> {
    if (!this.options.listPorts) return undefined;
    const listed = await this.listPorts();
    if (listed.some((p) => p.path === gone)) return undefined;
    const vendor = before.find((p) => p.path === gone)?.vendorId?.toLowerCase();
    const sameVendorFirst = async () => {
      const now = await this.listPorts();
      return [...now.filter((p) => vendor !== undefined && p.vendorId?.toLowerCase() === vendor), ...now.filter((p) => vendor === undefined || p.vendorId?.toLowerCase() !== vendor)];
    };
    try {
      return (await waitForSerialPort(sameVendorFirst, before, { signal, timeoutMs: REENUMERATION_TIMEOUT_MS }))?.path;
    } catch {
      return undefined;
    }
  }

  /** Leases the port (the board connection lends it), runs the job, gives the port back. */
  private async runOnPort(
    job: FlasherJob,
    signal: AbortSignal,
    onMessage: (m: FlasherMessage) => void,
  ): Promise<{ failure?: undefined } | { failure: Extract<FlasherMessage, { type: 'failed' }>; wrote: boolean }> {
    const lease = await this.options.leases.acquire(job.port, { owner: FLASHER_OWNER }, { preempt: true, signal });
    const port = await this.options.describePort?.(job.port).catch(() => undefined);
    const vendorId = parseUsbId(port?.vendorId);
    const productId = parseUsbId(port?.productId);
    job = { ...job, ...(vendorId !== undefined ? { usbVendorId: vendorId } : {}), ...(productId !== undefined ? { usbProductId: productId } : {}) };
    let failure: Extract<FlasherMessage, { type: 'failed' }> | undefined;
    let wrote = false;
    try {
      await (this.options.run ?? runFlasherProcess)(job, {
        signal,
        onMessage: (m) => {
          this.options.debug?.(`flasher: ${m.type}${m.type === 'step' ? ` ${m.label}` : ''}`);
          if (m.type === 'progress') wrote = true;
          if (m.type === 'failed') failure = m;
          else onMessage(m);
        },
      });
    } finally {
      lease.release();
    }
    return failure ? { failure, wrote } : {};
  }
}

function pick<T extends object, K extends keyof T>(from: T, ...keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (from[key] !== undefined) out[key] = from[key];
  return out;
}

/** A FlashError as the API says it: the codes both have pass through, the rest become `otherwise`. */
function apiErrorOf(err: FlashError, otherwise: 'INTERNAL' | 'BAD_REQUEST'): ApiError {
  const code = err.code === 'NOT_FOUND' || err.code === 'TIMEOUT' || err.code === 'CANCELLED' ? err.code : otherwise;
  return new ApiError(code, err.message);
}

/** Port discovery's hex USB id ("303a", "0x303A") as a number. */
function parseUsbId(hex: string | undefined): number | undefined {
  if (hex === undefined) return undefined;
  const value = Number.parseInt(hex.replace(/^0x/i, ''), 16);
  return Number.isInteger(value) ? value : undefined;
}

function boardDto(catalog: FirmwareCatalog, board: FirmwareCatalog['boards'][number]): CatalogBoardDto {
  const latest = latestRelease(catalog, board);
  return {
    id: board.id,
    name: board.name,
    chip: board.chip,
    variants: board.variants.map((v) => ({ id: v.id, name: v.name })),
    latest: { version: latest.version, date: latest.date },
    fileType: board.ext,
    suggested: board.default === true,
  };
}
