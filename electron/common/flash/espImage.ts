/**
 * ESP app image headers (Espressif's "Firmware Image Format"), read to refuse
 * a wrong firmware before anything is erased. Every image starts with the
 * 8-byte common header; ESP32-family images follow it with a 16-byte extended
 * header whose bytes 12-13 name the chip. ESP8266 images have no extended
 * header: their first segment header follows directly.
 */
import { CHIPS, chipByImageChipId, formatOffset, type ChipId, type ChipInfo } from './chips.js';
import { FlashError } from './FlashError.js';
import type { ImageProblem } from './ImageProblem.js';
import { isUf2 } from './uf2.js';
import { errorMessage, formatBytes } from '../util/format.js';

export const ESP_IMAGE_MAGIC = 0xe9;
const COMMON_HEADER_BYTES = 8;
const EXTENDED_HEADER_BYTES = 16;
/** Offsets from the start of the image. */
const AT = { magic: 0, segmentCount: 1, flashMode: 2, sizeAndFreq: 3, entryPoint: 4, chipId: 12, minChipRevFull: 15 } as const;

const MIB = 1024 * 1024;
const KIB = 1024;

export type EspFlashMode = 'qio' | 'qout' | 'dio' | 'dout';
const FLASH_MODES: readonly EspFlashMode[] = ['qio', 'qout', 'dio', 'dout'];

/** The size nibble (high half of byte 3): ESP32-family images. */
const ESP32_FLASH_SIZES: Readonly<Record<number, number>> = { 0: 1 * MIB, 1: 2 * MIB, 2: 4 * MIB, 3: 8 * MIB, 4: 16 * MIB, 5: 32 * MIB, 6: 64 * MIB, 7: 128 * MIB };
/** ESP8266 images number sizes differently (2 and 5 are both 2 MB, with different map layouts). */
const ESP8266_FLASH_SIZES: Readonly<Record<number, number>> = { 0: 512 * KIB, 1: 256 * KIB, 2: 1 * MIB, 3: 2 * MIB, 4: 4 * MIB, 5: 2 * MIB, 6: 4 * MIB, 8: 8 * MIB, 9: 16 * MIB };
/** The frequency nibble (low half of byte 3) of the ESP8266, ESP32, S2, S3 and C3. */
const FLASH_FREQUENCIES_MHZ: Readonly<Record<number, number>> = { 0x0: 40, 0x1: 26, 0x2: 20, 0xf: 80 };
/** The chips whose images use that table; C2, C5, C6, H2 and P4 number their frequencies otherwise. */
const CLASSIC_FREQUENCY_CHIPS: ReadonlySet<ChipId> = new Set(['esp8266', 'esp32', 'esp32s2', 'esp32s3', 'esp32c3']);

/**
 * Where ESP8266 code and data live: a first segment loaded here means the
 * bytes after the common header are a segment header, not an extended header
 * (whose first byte, the WP pin, is 0xEE or a pin number).
 */
const ESP8266_SEGMENT_RANGES: readonly (readonly [number, number])[] = [
  [0x3ffe8000, 0x40000000], // DRAM
  [0x40100000, 0x40140000], // IRAM
  [0x40200000, 0x40300000], // flash-mapped IROM
];

export interface EspImageHeader {
  /** 'esp8266': no extended header; 'esp32': the extended header names the chip. */
  layout: 'esp8266' | 'esp32';
  segmentCount: number;
  flashMode: EspFlashMode | undefined;
  flashModeByte: number;
  /** What the header says the flash is; undefined for a code no table has. */
  flashSizeBytes: number | undefined;
  /** Undefined for a chip or code whose table is not known here. */
  flashFrequencyMHz: number | undefined;
  entryPoint: number;
  /** The extended header's chip id (ESP32-family layout only). */
  imageChipId?: number;
  /** The chip the image is for, when known (ESP8266 for that layout). */
  chip?: ChipInfo;
  /** Minimum chip revision as major*100+minor (ESP32-family layout only). */
  minChipRevision?: number;
}

function u16(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8);
}

function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

function looksLikeEsp8266(image: Uint8Array): boolean {
  if (image.length < COMMON_HEADER_BYTES + 8) return false;
  const firstLoadAddress = u32(image, COMMON_HEADER_BYTES);
  return ESP8266_SEGMENT_RANGES.some(([lo, hi]) => firstLoadAddress >= lo && firstLoadAddress < hi);
}

/** Whether the bytes start like an ESP image (the 0xE9 magic). */
export function isEspImage(image: Uint8Array): boolean {
  return image.length >= COMMON_HEADER_BYTES && image[AT.magic] === ESP_IMAGE_MAGIC;
}

/** Reads the header; throws FlashError('INVALID_IMAGE') when the bytes are not an ESP image. */
export function parseEspImageHeader(image: Uint8Array): EspImageHeader {
  if (!isEspImage(image)) throw new FlashError('INVALID_IMAGE', 'This file is not an ESP firmware image (it does not start with 0xE9).');
  const layout = looksLikeEsp8266(image) ? 'esp8266' : 'esp32';
  if (layout === 'esp32' && image.length < COMMON_HEADER_BYTES + EXTENDED_HEADER_BYTES) {
    throw new FlashError('INVALID_IMAGE', 'This ESP firmware image is cut short: its header is incomplete.');
  }
  const sizeNibble = image[AT.sizeAndFreq]! >> 4;
  const freqNibble = image[AT.sizeAndFreq]! & 0x0f;
  const modeByte = image[AT.flashMode]!;
  const header: EspImageHeader = {
    layout,
    segmentCount: image[AT.segmentCount]!,
    flashMode: FLASH_MODES[modeByte],
    flashModeByte: modeByte,
    flashSizeBytes: (layout === 'esp8266' ? ESP8266_FLASH_SIZES : ESP32_FLASH_SIZES)[sizeNibble],
    flashFrequencyMHz: undefined,
    entryPoint: u32(image, AT.entryPoint),
  };
  if (layout === 'esp8266') {
    header.chip = CHIPS.esp8266;
  } else {
    header.imageChipId = u16(image, AT.chipId);
    const chip = chipByImageChipId(header.imageChipId);
    if (chip) header.chip = chip;
    header.minChipRevision = u16(image, AT.minChipRevFull);
  }
  if (header.chip && CLASSIC_FREQUENCY_CHIPS.has(header.chip.id)) header.flashFrequencyMHz = FLASH_FREQUENCIES_MHZ[freqNibble];
  return header;
}

export interface ValidateImageArgs {
  image: Uint8Array;
  /** The chip detected on the board. */
  chip: ChipId;
  /** Where the image is to be written. */
  offset: number;
  /** The detected flash size; undefined skips the size checks. */
  flashSizeBytes?: number;
}

function pickFor(chip: ChipInfo): string {
  return chip.genericBoard ? `Pick an ${chip.name} firmware (${chip.genericBoard}).` : `Pick a firmware built for ${chip.name}.`;
}

function smallerBuildHint(chip: ChipInfo, flashSizeBytes: number): string {
  if (chip.id === 'esp8266') return flashSizeBytes <= 512 * KIB ? ' (ESP8266_GENERIC-FLASH_512K)' : flashSizeBytes <= MIB ? ' (ESP8266_GENERIC-FLASH_1M)' : '';
  return '';
}

/**
 * Everything wrong with writing `image` at `offset` on a board with `chip`,
 * checked before anything is erased: a file that is not an ESP image (or is
 * a .uf2), an image for another chip, the wrong address for this chip, an
 * image that does not fit the flash. Empty when the flash may go ahead.
 */
export function validateImage(args: ValidateImageArgs): ImageProblem[] {
  const chip = CHIPS[args.chip];
  if (chip.method !== 'esp-serial') {
    return [{ code: 'NOT_ESP_IMAGE', severity: 'error', message: `${chip.name} boards take a .uf2 file on their USB drive, not a serial flash. ${pickFor(chip)}` }];
  }
  const { image } = args;
  if (image.length === 0) return [{ code: 'EMPTY', severity: 'error', message: `This file is empty. ${pickFor(chip)}` }];
  if (isUf2(image)) {
    return [{ code: 'UF2_FOR_ESP', severity: 'error', message: `This is a UF2 file, for boards that show up as a USB drive; an ${chip.name} needs a .bin image. ${pickFor(chip)}` }];
  }
  if (!isEspImage(image)) {
    return [{ code: 'NOT_ESP_IMAGE', severity: 'error', message: `This file is not an ESP firmware image (it does not start with 0xE9). ${pickFor(chip)}` }];
  }
  let header: EspImageHeader;
  try {
    header = parseEspImageHeader(image);
  } catch (err) {
    return [{ code: 'NOT_ESP_IMAGE', severity: 'error', message: `${errorMessage(err)} ${pickFor(chip)}` }];
  }
  if (!header.chip) {
    return [{ code: 'UNKNOWN_CHIP', severity: 'error', message: `This firmware is for a chip Pinwheel does not know (chip id ${header.imageChipId}), and the board is an ${chip.name}. ${pickFor(chip)}` }];
  }
  if (header.chip.id !== chip.id) {
    return [{ code: 'WRONG_CHIP', severity: 'error', message: `This firmware is for ${header.chip.name}, but the board is an ${chip.name}. ${pickFor(chip)}` }];
  }
  const problems: ImageProblem[] = [];
  if (chip.flashOffset !== undefined && args.offset !== chip.flashOffset) {
    problems.push({ code: 'WRONG_OFFSET', severity: 'error', message: `${chip.name} firmware goes at ${formatOffset(chip.flashOffset)}, not ${formatOffset(args.offset)}.` });
  }
  const flash = args.flashSizeBytes;
  if (flash !== undefined) {
    const end = args.offset + image.length;
    if (end > flash) {
      problems.push({
        code: 'TOO_BIG',
        severity: 'error',
        message: `This firmware (${formatBytes(image.length)} at ${formatOffset(args.offset)}) does not fit the board's ${formatBytes(flash)} of flash. Pick a build for ${formatBytes(flash)} of flash${smallerBuildHint(chip, flash)}.`,
      });
    } else if (header.flashSizeBytes !== undefined && header.flashSizeBytes > flash) {
      problems.push({
        code: 'FLASH_SIZE_MISMATCH',
        severity: 'warning',
        message: `This firmware is built for ${formatBytes(header.flashSizeBytes)} of flash, but the board has ${formatBytes(flash)}: it may not boot or keep its files. Pick a build for ${formatBytes(flash)} of flash${smallerBuildHint(chip, flash)}.`,
      });
    }
  }
  return problems;
}
