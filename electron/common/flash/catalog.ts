/**
 * The firmware catalog: which MicroPython builds exist for which boards,
 * where each goes, and how its download URL is spelled. micropython.org has
 * no JSON index (micropython issue #8821), so the catalog ships with the app
 * (firmware/catalog.json) and "check for newer" reads a board's download
 * page, whose links this module parses.
 */
import { z } from 'zod';
import { CHIP_IDS, CHIPS, formatOffset, type ChipId } from './chips.js';
import { FlashError } from './FlashError.js';
import { normalizeUsbId } from '../board/usbIds.js';

export const MICROPYTHON_BASE_URL = 'https://micropython.org';
const FIRMWARE_PATH = '/resources/firmware/';
const DOWNLOAD_PAGE_PATH = '/download/';

const BoardIdSchema = z.string().regex(/^[A-Z0-9_]+$/, 'board ids are upper-case letters, digits and _ (MicroPython board names)');
const VersionSchema = z.string().regex(/^\d+\.\d+\.\d+$/, 'a version is X.Y.Z');
const DateStampSchema = z.string().regex(/^\d{8}$/, 'a release date is YYYYMMDD');
const UsbHexIdSchema = z.string().regex(/^[0-9A-F]{4}$/, 'USB ids are four upper-case hex digits');

/** Offsets as esptool writes them ("0x1000"), or a number. */
const OffsetSchema = z.union([z.number().int().nonnegative(), z.string().regex(/^0x[0-9a-fA-F]+$/, 'an offset is 0x followed by hex digits').transform((s) => parseInt(s, 16))]);

const SIZE_UNIT_BYTES: Readonly<Record<string, number>> = { KB: 1024, MB: 1024 * 1024 };
/** Flash sizes as people write them ("4MB", "512KB"), or bytes. */
const FlashSizeSchema = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^\d+(KB|MB)$/, 'a flash size is like 4MB or 512KB')
    .transform((s) => parseInt(s, 10) * SIZE_UNIT_BYTES[s.slice(-2)]!),
]);

export const FLASH_MODES = ['qio', 'qout', 'dio', 'dout', 'keep'] as const;

export const CatalogVariantSchema = z.object({
  /** As in the file name: ESP32_GENERIC-<id>-<date>-v<version>.bin, e.g. SPIRAM, FLASH_1M. */
  id: BoardIdSchema,
  name: z.string().min(1),
  description: z.string().optional(),
  /** Flash sizes (bytes) this build is for, when not the board's. */
  flashSizes: z.array(FlashSizeSchema).optional(),
});

export const CatalogUsbIdSchema = z.object({
  vendorId: UsbHexIdSchema,
  productId: UsbHexIdSchema,
  /** Why these ids suggest the board (they are often shared by several boards). */
  note: z.string().optional(),
});

export const ReleaseRefSchema = z.object({ version: VersionSchema, date: DateStampSchema, note: z.string().optional() });

export const CatalogBoardSchema = z.object({
  id: BoardIdSchema,
  name: z.string().min(1),
  vendor: z.string().optional(),
  chip: z.enum(CHIP_IDS),
  /** Where the image goes (ESP boards); must be the chip's MicroPython offset. */
  offset: OffsetSchema.optional(),
  flashMode: z.enum(FLASH_MODES).optional(),
  /** Flash sizes (bytes) the default build is for. */
  flashSizes: z.array(FlashSizeSchema).min(1),
  ext: z.enum(['bin', 'uf2']),
  /** The board to preselect for its chip when nothing more specific is known. */
  default: z.boolean().optional(),
  variants: z.array(CatalogVariantSchema).default([]),
  usbIds: z.array(CatalogUsbIdSchema).default([]),
  /** A release newer or older than the catalog's, for boards released on their own schedule. */
  latest: ReleaseRefSchema.optional(),
});

export const FirmwareCatalogSchema = z
  .object({
    schemaVersion: z.literal(1),
    latest: ReleaseRefSchema,
    boards: z.array(CatalogBoardSchema).min(1),
  })
  .superRefine((catalog, ctx) => {
    const seen = new Set<string>();
    const defaults = new Set<ChipId>();
    catalog.boards.forEach((board, i) => {
      const path = ['boards', i];
      if (seen.has(board.id)) ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `board ${board.id} is listed twice` });
      seen.add(board.id);
      const chip = CHIPS[board.chip];
      if (chip.method === 'esp-serial') {
        if (board.ext !== 'bin') ctx.addIssue({ code: 'custom', path: [...path, 'ext'], message: `${board.id}: ${chip.name} firmware is a .bin` });
        if (board.offset !== chip.flashOffset) {
          ctx.addIssue({ code: 'custom', path: [...path, 'offset'], message: `${board.id}: ${chip.name} firmware goes at ${formatOffset(chip.flashOffset ?? 0)}` });
        }
        if (board.flashMode === undefined) ctx.addIssue({ code: 'custom', path: [...path, 'flashMode'], message: `${board.id}: an ESP board needs a flash mode` });
      } else {
        if (board.ext !== 'uf2') ctx.addIssue({ code: 'custom', path: [...path, 'ext'], message: `${board.id}: ${chip.name} firmware is a .uf2` });
        if (board.offset !== undefined) ctx.addIssue({ code: 'custom', path: [...path, 'offset'], message: `${board.id}: UF2 blocks carry their own addresses` });
      }
      if (board.default) {
        if (defaults.has(board.chip)) ctx.addIssue({ code: 'custom', path: [...path, 'default'], message: `${board.id}: another board is already the default for ${chip.name}` });
        defaults.add(board.chip);
      }
      const variantIds = new Set<string>();
      board.variants.forEach((v, j) => {
        if (variantIds.has(v.id)) ctx.addIssue({ code: 'custom', path: [...path, 'variants', j, 'id'], message: `${board.id}: variant ${v.id} is listed twice` });
        variantIds.add(v.id);
      });
    });
  });

/** Parsed: offsets and flash sizes in bytes. */
export type CatalogVariant = z.infer<typeof CatalogVariantSchema>;
export type CatalogBoard = z.infer<typeof CatalogBoardSchema>;
export type FirmwareCatalog = z.infer<typeof FirmwareCatalogSchema>;
export type ReleaseRef = z.infer<typeof ReleaseRefSchema>;

/** Validates catalog JSON; throws FlashError naming every problem found. */
export function parseCatalog(json: unknown): FirmwareCatalog {
  const result = FirmwareCatalogSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(catalog)'}: ${issue.message}`);
    throw new FlashError('INVALID_CATALOG', `The firmware catalog is invalid: ${problems.join('; ')}`);
  }
  return result.data;
}

export function findBoard(catalog: FirmwareCatalog, boardId: string): CatalogBoard | undefined {
  return catalog.boards.find((b) => b.id === boardId);
}

/** The release a board's "latest" button gets: its own, else the catalog's. */
export function latestRelease(catalog: FirmwareCatalog, board: CatalogBoard): ReleaseRef {
  return board.latest ?? catalog.latest;
}

/** The flash sizes a build is for: the variant's when it has its own, else the board's. */
export function variantFlashSizes(board: CatalogBoard, variantId?: string): number[] {
  const variant = variantId === undefined ? undefined : board.variants.find((v) => v.id === variantId);
  return variant?.flashSizes ?? board.flashSizes;
}

export interface FirmwareFileRef {
  board: string;
  /** Undefined for the board's default build. */
  variant?: string;
  version: string;
  /** YYYYMMDD. */
  date: string;
  ext: 'bin' | 'uf2';
  /** The "-preview.N.gHASH" tail of a nightly build, without the leading dash. */
  preview?: string;
}

/** <BOARD>[-<VARIANT>]: the start every file of a build shares. */
export function fileStem(board: string, variant?: string): string {
  return variant ? `${board}-${variant}` : board;
}

/** ESP32_GENERIC-SPIRAM-20241129-v1.24.1.bin */
export function firmwareFileName(ref: FirmwareFileRef): string {
  return `${fileStem(ref.board, ref.variant)}-${ref.date}-v${ref.version}${ref.preview ? `-${ref.preview}` : ''}.${ref.ext}`;
}

function trimSlash(base: string): string {
  return base.replace(/\/+$/, '');
}

/** The download URL of a build; `base` is micropython.org unless a test serves its own. */
export function firmwareUrl(ref: FirmwareFileRef, base = MICROPYTHON_BASE_URL): string {
  return `${trimSlash(base)}${FIRMWARE_PATH}${firmwareFileName(ref)}`;
}

/** The URL of the catalog's latest build of a board (and variant). */
export function latestFirmwareUrl(catalog: FirmwareCatalog, board: CatalogBoard, variantId?: string, base = MICROPYTHON_BASE_URL): string {
  if (variantId !== undefined && !board.variants.some((v) => v.id === variantId)) {
    throw new FlashError('NOT_FOUND', `${board.name} has no ${variantId} build. Pick one of: default${board.variants.map((v) => ', ' + v.id).join('')}.`);
  }
  const release = latestRelease(catalog, board);
  const ref: FirmwareFileRef = { board: board.id, version: release.version, date: release.date, ext: board.ext };
  if (variantId !== undefined) ref.variant = variantId;
  return firmwareUrl(ref, base);
}

/** https://micropython.org/download/ESP32_GENERIC/ */
export function downloadPageUrl(boardId: string, base = MICROPYTHON_BASE_URL): string {
  return `${trimSlash(base)}${DOWNLOAD_PAGE_PATH}${encodeURIComponent(boardId)}/`;
}

const FILE_NAME_RE = /^([A-Z0-9_]+)(?:-([A-Z0-9_]+))?-(\d{8})-v(\d+\.\d+\.\d+)(?:-(preview\.[0-9A-Za-z.]+))?\.(bin|uf2)$/;

/** Splits a MicroPython firmware file name; undefined for anything else (.app-bin, .elf, other names). */
export function parseFirmwareFileName(name: string): FirmwareFileRef | undefined {
  const m = FILE_NAME_RE.exec(name);
  if (!m) return undefined;
  const ref: FirmwareFileRef = { board: m[1]!, version: m[4]!, date: m[3]!, ext: m[6] as 'bin' | 'uf2' };
  if (m[2] !== undefined) ref.variant = m[2];
  if (m[5] !== undefined) ref.preview = m[5];
  return ref;
}

/** Negative, zero or positive as `a` is older, the same or newer than `b` (X.Y.Z). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export interface ReleasedFile {
  /** Undefined for the board's default build. */
  variant?: string;
  fileName: string;
  url: string;
  ext: 'bin' | 'uf2';
}

export interface FirmwareRelease {
  version: string;
  /** YYYYMMDD. */
  date: string;
  /** A nightly build ("preview.N.gHASH"), not a release. */
  preview?: string;
  files: ReleasedFile[];
}

const ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&quot;': '"', '&#39;': "'", '&apos;': "'", '&lt;': '<', '&gt;': '>' };

function decodeEntities(text: string): string {
  return text.replace(/&(?:amp|quot|#39|apos|lt|gt);/g, (e) => ENTITIES[e] ?? e);
}

/**
 * The releases a board's download page links to, newest first, previews
 * after releases of the same version. Reads every href (quoted either way or
 * bare, any tag, any attribute order) that points into /resources/firmware/
 * and names this board, so a change of page layout does not lose them.
 * File URLs are rebuilt on `base`, wherever the page's links pointed.
 */
export function parseDownloadPage(html: string, boardId: string, base = MICROPYTHON_BASE_URL): FirmwareRelease[] {
  const byKey = new Map<string, FirmwareRelease>();
  const seenFiles = new Set<string>();
  const hrefRe = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
  for (const m of html.matchAll(hrefRe)) {
    const href = decodeEntities((m[1] ?? m[2] ?? m[3] ?? '').trim());
    // Absolute, root-relative or relative links alike: the file name follows the firmware folder.
    const at = href.indexOf(FIRMWARE_PATH);
    if (at < 0) continue;
    let fileName: string;
    try {
      fileName = decodeURIComponent(href.slice(at + FIRMWARE_PATH.length).split(/[?#]/)[0]!);
    } catch {
      continue;
    }
    const ref = parseFirmwareFileName(fileName);
    if (!ref || ref.board !== boardId || seenFiles.has(fileName)) continue;
    seenFiles.add(fileName);
    const key = `${ref.version}|${ref.date}|${ref.preview ?? ''}`;
    let release = byKey.get(key);
    if (!release) {
      release = { version: ref.version, date: ref.date, files: [] };
      if (ref.preview !== undefined) release.preview = ref.preview;
      byKey.set(key, release);
    }
    const file: ReleasedFile = { fileName, url: `${trimSlash(base)}${FIRMWARE_PATH}${fileName}`, ext: ref.ext };
    if (ref.variant !== undefined) file.variant = ref.variant;
    release.files.push(file);
  }
  return [...byKey.values()].sort(
    (a, b) => compareVersions(b.version, a.version) || Number(a.preview !== undefined) - Number(b.preview !== undefined) || b.date.localeCompare(a.date),
  );
}

/** Releases (not previews, unless asked) newer than `known`. */
export function newerReleases(releases: readonly FirmwareRelease[], known: string, options: { includePreviews?: boolean } = {}): FirmwareRelease[] {
  return releases.filter((r) => compareVersions(r.version, known) > 0 && (options.includePreviews || r.preview === undefined));
}

/** The board to preselect for a detected chip: the catalog's default for it, else its first board. */
export function defaultBoardForChip(catalog: FirmwareCatalog, chip: ChipId): CatalogBoard | undefined {
  const boards = catalog.boards.filter((b) => b.chip === chip);
  return boards.find((b) => b.default) ?? boards[0];
}

/** Boards whose USB ids match the port's, the chip's default first. */
export function boardsForUsbId(catalog: FirmwareCatalog, vendorId: string | number | undefined, productId: string | number | undefined): CatalogBoard[] {
  const vid = normalizeUsbId(vendorId);
  const pid = normalizeUsbId(productId);
  if (vid === undefined || pid === undefined) return [];
  const matches = catalog.boards.filter((b) => b.usbIds.some((u) => u.vendorId === vid && u.productId === pid));
  return matches.sort((a, b) => Number(b.default === true) - Number(a.default === true));
}

/**
 * The board to preselect in the Flash view: the detected chip decides the
 * family (USB ids are shared by whole families: 303A:1001 is every
 * USB-JTAG-Serial chip), the USB ids narrow it within that chip.
 */
export function suggestBoard(
  catalog: FirmwareCatalog,
  hints: { chip?: ChipId; vendorId?: string | number; productId?: string | number },
): CatalogBoard | undefined {
  const byUsb = boardsForUsbId(catalog, hints.vendorId, hints.productId);
  if (hints.chip === undefined) return byUsb[0];
  return byUsb.find((b) => b.chip === hints.chip) ?? defaultBoardForChip(catalog, hints.chip);
}

/** MicroPython's name for each chip at the end of its machine string ("... with ESP32S3"). */
const CHIP_BY_MACHINE_SUFFIX: Readonly<Record<string, ChipId>> = {
  ESP32: 'esp32',
  ESP32S2: 'esp32s2',
  ESP32S3: 'esp32s3',
  ESP32C2: 'esp32c2',
  ESP32C3: 'esp32c3',
  ESP32C5: 'esp32c5',
  ESP32C6: 'esp32c6',
  ESP32H2: 'esp32h2',
  ESP32P4: 'esp32p4',
  ESP8266: 'esp8266',
  RP2040: 'rp2040',
  RP2350: 'rp2350',
};

/**
 * What a running MicroPython's machine string (os.uname().machine, e.g.
 * "Generic ESP32 module with SPIRAM with ESP32", "Raspberry Pi Pico W with
 * RP2040", "ESP module (1M) with ESP8266") says about the build it runs:
 * the chip always, and the board and build where the name is MicroPython's own.
 */
export function buildFromMachine(catalog: FirmwareCatalog, machine: string): { board: CatalogBoard; variant?: string } | undefined {
  const suffix = /\bwith\s+([A-Z0-9]+)\s*$/i.exec(machine.trim())?.[1]?.toUpperCase();
  const chip = suffix === undefined ? undefined : CHIP_BY_MACHINE_SUFFIX[suffix];
  if (chip === undefined) return undefined;
  const named = (id: string) => catalog.boards.find((b) => b.id === id && b.chip === chip);
  const wireless = /\bPico\s*2?\s*W\b/i.test(machine);
  const board =
    (chip === 'rp2040' && /\bPico\b/i.test(machine) ? named(wireless ? 'RPI_PICO_W' : 'RPI_PICO') : undefined) ??
    (chip === 'rp2350' && /\bPico\s*2\b/i.test(machine) ? named(wireless ? 'RPI_PICO2_W' : 'RPI_PICO2') : undefined) ??
    defaultBoardForChip(catalog, chip);
  if (!board) return undefined;
  const has = (id: string) => (board.variants.some((v) => v.id === id) ? id : undefined);
  const variant = /Octal-SPIRAM/i.test(machine)
    ? has('SPIRAM_OCT')
    : /SPIRAM/i.test(machine)
      ? has('SPIRAM')
      : /\(1M\)/.test(machine)
        ? has('FLASH_1M')
        : /\(512K\)/i.test(machine)
          ? has('FLASH_512K')
          : undefined;
  return variant === undefined ? { board } : { board, variant };
}

export interface BoardSuggestion {
  board: string;
  variant?: string;
  /** Why, for people: "the board runs MicroPython on an ESP32-S3", "its USB ids are a Raspberry Pi Pico's". */
  reason: string;
  /** False when the hint is shared by several chips: Detect chip settles it. */
  certain: boolean;
}

/**
 * The board and build to preselect for a port before anything is read from
 * the chip: what the MicroPython running on it says about itself, else its
 * USB ids (certain only when they belong to a single chip).
 */
export function suggestForPort(catalog: FirmwareCatalog, hints: { machine?: string; vendorId?: string | number; productId?: string | number }): BoardSuggestion | undefined {
  if (hints.machine) {
    const build = buildFromMachine(catalog, hints.machine);
    if (build) {
      return { board: build.board.id, ...(build.variant ? { variant: build.variant } : {}), reason: `the board runs MicroPython on "${hints.machine}"`, certain: true };
    }
  }
  const byUsb = boardsForUsbId(catalog, hints.vendorId, hints.productId);
  const first = byUsb[0];
  if (!first) return undefined;
  const ids = `${normalizeUsbId(hints.vendorId)}:${normalizeUsbId(hints.productId)}`;
  const chips = new Set(byUsb.map((b) => b.chip));
  if (chips.size === 1) return { board: first.id, reason: `its USB ids (${ids}) are a ${CHIPS[first.chip].name}'s`, certain: true };
  const names = [...chips].map((c) => CHIPS[c].name).join(', ');
  return { board: first.id, reason: `its USB ids (${ids}) are shared by ${names}: Detect chip to be sure`, certain: false };
}
