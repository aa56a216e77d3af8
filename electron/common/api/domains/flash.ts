/**
 * Flashing MicroPython from the app: the firmware catalog, what chip sits on
 * a port, and one flash as a long call (progress as `job.progress` with the
 * step in its label; cancelling the call cancels the flash).
 */
import { z } from 'zod';
import { CHIP_IDS } from '../../flash/chips.js';
import { JobId, NoParams, call, type CallTable, type EventTable } from './schema.js';

const PortPath = z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'a port path cannot contain NUL');
const Baud = z.union([z.literal(115_200), z.literal(230_400), z.literal(460_800), z.literal(921_600)]);

export const CatalogBoardDto = z.object({
  id: z.string(),
  name: z.string(),
  chip: z.enum(CHIP_IDS),
  variants: z.array(z.object({ id: z.string(), name: z.string() })),
  latest: z.object({ version: z.string(), date: z.string() }),
  /** What the board takes: an image written over serial, or a .uf2 copied onto its drive. */
  fileType: z.enum(['bin', 'uf2']),
  /** The board to pick for its chip when nothing more specific is known. */
  suggested: z.boolean(),
});
export type CatalogBoardDto = z.infer<typeof CatalogBoardDto>;

export const ChipInfoDto = z.object({
  family: z.string(),
  description: z.string(),
  features: z.array(z.string()),
  crystalMhz: z.number(),
  mac: z.string(),
  flashId: z.number(),
  flashSizeBytes: z.number().optional(),
  baud: z.number(),
});
export type ChipInfoDto = z.infer<typeof ChipInfoDto>;

export const FirmwareSource = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('catalog'),
      board: z.string().min(1).max(100),
      variant: z.string().min(1).max(100).optional(),
      /** A release "Check for newer" found; default the catalog's newest known. */
      release: z.object({ version: z.string().regex(/^\d+\.\d+\.\d+$/), date: z.string().regex(/^\d{8}$/) }).strict().optional(),
    })
    .strict(),
  z.object({ kind: z.literal('file'), path: z.string().min(1).max(4096) }).strict(),
]);
export type FirmwareSource = z.infer<typeof FirmwareSource>;

export const FlashResultDto = z.object({
  /** The port the chip was flashed on: another than asked when it re-enumerated into its bootloader. */
  port: z.string(),
  chip: ChipInfoDto,
  firmware: z.string(),
  offset: z.number(),
  bytes: z.number(),
  compressedBytes: z.number(),
  writeMs: z.number(),
  verifyMs: z.number(),
  totalMs: z.number(),
  /** Warnings shown before the write went ahead (e.g. built for more flash than the board has). */
  warnings: z.array(z.string()),
  /**
   * What the new firmware printed first after the reset ("MicroPython v1.24.1
   * on 2024-11-29; Generic ESP32 module with ESP32"); absent when it printed
   * none in time (a native-USB chip re-enumerating, a main.py still running).
   */
  banner: z.string().optional(),
});
export type FlashResultDto = z.infer<typeof FlashResultDto>;

const ReleaseDto = z.object({ version: z.string(), date: z.string() });

export const Uf2DriveDto = z.object({
  /** Where it is mounted. */
  path: z.string(),
  /** The volume's name (RPI-RP2, RP2350). */
  label: z.string(),
  model: z.string().optional(),
  boardId: z.string().optional(),
  /** The chip, when the drive's Board-ID names one Pinwheel knows. */
  chip: z.enum(CHIP_IDS).optional(),
});
export type Uf2DriveDto = z.infer<typeof Uf2DriveDto>;

export const Uf2ResultDto = z.object({
  firmware: z.string(),
  drive: z.string(),
  bytes: z.number(),
  copyMs: z.number(),
  totalMs: z.number(),
  /** The serial port the restarted board came back on; absent when none came in time. */
  port: z.string().optional(),
});
export type Uf2ResultDto = z.infer<typeof Uf2ResultDto>;

export const flashCalls = {
  /** The boards firmware can be downloaded for (firmware/catalog.json). */
  'flash.catalog': call(NoParams, z.object({ boards: z.array(CatalogBoardDto) })),
  /**
   * The board and build to preselect for a port before its chip is read: what
   * the MicroPython running on it calls itself (`machine`, from the board
   * connection), else the port's USB ids. Null when neither says.
   */
  'flash.suggest': call(
    z.object({ port: PortPath.optional(), machine: z.string().max(200).optional() }).strict(),
    z.object({ board: z.string(), variant: z.string().optional(), reason: z.string(), certain: z.boolean() }).nullable(),
  ),
  /** Releases of a board on micropython.org newer than the catalog's newest known (read from its download page). */
  'flash.newer': call(z.object({ board: z.string().min(1).max(100) }).strict(), z.object({ known: ReleaseDto, newer: z.array(ReleaseDto) })),
  /** Resets the chip on `port` into its bootloader and reports it; the board connection lends the port meanwhile. */
  'flash.info': call(z.object({ port: PortPath, baud: Baud.optional() }).strict(), ChipInfoDto),
  /**
   * Writes MicroPython to the ESP chip on `port`: checked against the chip
   * before anything is erased (a refused image fails with BAD_REQUEST and the
   * flash untouched), written, verified by MD5, and the chip reset into it.
   */
  'flash.write': call(
    z.object({ port: PortPath, source: FirmwareSource, eraseAll: z.boolean(), baud: Baud.optional(), jobId: JobId.optional() }).strict(),
    FlashResultDto,
  ),
  /** Mounted UF2 bootloader drives (a Pico held in BOOTSEL, or put there by machine.bootloader()). */
  'flash.drives': call(NoParams, z.array(Uf2DriveDto)),
  /**
   * Copies a .uf2 onto a bootloader drive: checked against the drive's chip
   * first (a wrong family fails with BAD_REQUEST, nothing copied), copied,
   * then waits for the board to restart (the drive goes) and for its serial
   * port: a newly listed one, or `returnPort` (the path it had) existing again.
   */
  'flash.copyUf2': call(
    z.object({ drive: z.string().min(1).max(4096), source: FirmwareSource, returnPort: PortPath.optional(), jobId: JobId.optional() }).strict(),
    Uf2ResultDto,
  ),
} as const satisfies CallTable;

export const flashEvents = {} as const satisfies EventTable;
