/**
 * UF2 files (Microsoft's USB Flashing Format): 512-byte blocks, each carrying
 * up to 476 bytes for one flash address, framed by magic numbers. Parsed here
 * to refuse a file meant for another chip family before it is copied to a
 * bootloader drive, where a wrong file is silently ignored and the board
 * just stays in its bootloader.
 */
import { CHIPS, chipByUf2Family, type ChipId } from './chips.js';
import { FlashError } from './FlashError.js';
import type { ImageProblem } from './ImageProblem.js';
import { errorMessage } from '../util/format.js';

export const UF2_BLOCK_BYTES = 512;
export const UF2_MAX_PAYLOAD_BYTES = 476;
export const UF2_MAGIC_START0 = 0x0a324655; // "UF2\n"
export const UF2_MAGIC_START1 = 0x9e5d5157;
export const UF2_MAGIC_END = 0x0ab16f30;

export const UF2_FLAG = {
  /** The block is a comment or metadata, not for the main flash. */
  NOT_MAIN_FLASH: 0x00000001,
  FILE_CONTAINER: 0x00001000,
  /** The fileSize field holds a family id. */
  FAMILY_ID_PRESENT: 0x00002000,
  MD5_PRESENT: 0x00004000,
  EXTENSION_TAGS: 0x00008000,
} as const;

const OFFSET = { magic0: 0, magic1: 4, flags: 8, targetAddr: 12, payloadSize: 16, blockNo: 20, numBlocks: 24, familyOrSize: 28, data: 32, magicEnd: 508 } as const;

export interface Uf2Block {
  flags: number;
  targetAddr: number;
  payloadSize: number;
  blockNo: number;
  numBlocks: number;
  /** Present when the block carries the family id flag. */
  familyId?: number;
}

/** The blocks of one family (or of no family) in a file. */
export interface Uf2FamilySummary {
  familyId?: number;
  blocks: number;
  /** What the blocks say the family's total is. */
  numBlocks: number;
  lowAddress: number;
  /** One past the last byte written. */
  highAddress: number;
  payloadBytes: number;
}

export interface Uf2Summary {
  blockCount: number;
  families: Uf2FamilySummary[];
}

function u32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0, true);
}

/** Whether the file starts with a UF2 block's two magic numbers. */
export function isUf2(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && u32(bytes, OFFSET.magic0) === UF2_MAGIC_START0 && u32(bytes, OFFSET.magic1) === UF2_MAGIC_START1;
}

export function parseUf2Block(bytes: Uint8Array, index: number): Uf2Block {
  const at = index * UF2_BLOCK_BYTES;
  const block = bytes.subarray(at, at + UF2_BLOCK_BYTES);
  if (block.length !== UF2_BLOCK_BYTES) throw new FlashError('INVALID_IMAGE', `This UF2 file is cut short: block ${index} has ${block.length} of ${UF2_BLOCK_BYTES} bytes.`);
  if (u32(block, OFFSET.magic0) !== UF2_MAGIC_START0 || u32(block, OFFSET.magic1) !== UF2_MAGIC_START1 || u32(block, OFFSET.magicEnd) !== UF2_MAGIC_END) {
    throw new FlashError('INVALID_IMAGE', `This UF2 file is damaged: block ${index} lacks the UF2 magic numbers.`);
  }
  const flags = u32(block, OFFSET.flags);
  const parsed: Uf2Block = {
    flags,
    targetAddr: u32(block, OFFSET.targetAddr),
    payloadSize: u32(block, OFFSET.payloadSize),
    blockNo: u32(block, OFFSET.blockNo),
    numBlocks: u32(block, OFFSET.numBlocks),
  };
  if (flags & UF2_FLAG.FAMILY_ID_PRESENT) parsed.familyId = u32(block, OFFSET.familyOrSize);
  if (parsed.payloadSize > UF2_MAX_PAYLOAD_BYTES) throw new FlashError('INVALID_IMAGE', `This UF2 file is damaged: block ${index} claims ${parsed.payloadSize} bytes of data (at most ${UF2_MAX_PAYLOAD_BYTES}).`);
  if (parsed.numBlocks === 0 || parsed.blockNo >= parsed.numBlocks) throw new FlashError('INVALID_IMAGE', `This UF2 file is damaged: block ${index} is numbered ${parsed.blockNo} of ${parsed.numBlocks}.`);
  return parsed;
}

/**
 * Reads every block and sums them up per family. Throws FlashError when the
 * file is not whole UF2 blocks, or a family's block count disagrees with its
 * blocks' numBlocks (a truncated or spliced download).
 */
export function parseUf2(bytes: Uint8Array): Uf2Summary {
  if (!isUf2(bytes)) throw new FlashError('INVALID_IMAGE', 'This file is not a UF2 firmware file (it does not start with the UF2 magic numbers).');
  if (bytes.length % UF2_BLOCK_BYTES !== 0) {
    throw new FlashError('INVALID_IMAGE', `This UF2 file is cut short: ${bytes.length} bytes is not a whole number of ${UF2_BLOCK_BYTES}-byte blocks.`);
  }
  const blockCount = bytes.length / UF2_BLOCK_BYTES;
  // Keyed by family id; -1 for blocks without one (a 32-bit id is never negative).
  const byFamily = new Map<number, Uf2FamilySummary>();
  for (let i = 0; i < blockCount; i++) {
    const block = parseUf2Block(bytes, i);
    if (block.flags & UF2_FLAG.NOT_MAIN_FLASH) continue;
    const key = block.familyId ?? -1;
    let summary = byFamily.get(key);
    if (!summary) {
      summary = { blocks: 0, numBlocks: block.numBlocks, lowAddress: block.targetAddr, highAddress: block.targetAddr, payloadBytes: 0 };
      if (block.familyId !== undefined) summary.familyId = block.familyId;
      byFamily.set(key, summary);
    }
    if (block.numBlocks !== summary.numBlocks) {
      throw new FlashError('INVALID_IMAGE', `This UF2 file is damaged: its blocks disagree on how many there are (${summary.numBlocks} and ${block.numBlocks}).`);
    }
    summary.blocks++;
    summary.payloadBytes += block.payloadSize;
    summary.lowAddress = Math.min(summary.lowAddress, block.targetAddr);
    summary.highAddress = Math.max(summary.highAddress, block.targetAddr + block.payloadSize);
  }
  const families = [...byFamily.values()];
  for (const f of families) {
    if (f.blocks !== f.numBlocks) throw new FlashError('INVALID_IMAGE', `This UF2 file is incomplete: it holds ${f.blocks} of its ${f.numBlocks} blocks. Download it again.`);
  }
  return { blockCount, families };
}

function familyName(familyId: number | undefined): string {
  if (familyId === undefined) return 'no particular chip';
  return chipByUf2Family(familyId)?.name ?? `family 0x${familyId.toString(16)}`;
}

/**
 * The problems of putting `file` on a board with `chip` through its UF2
 * drive: not UF2 at all (an ESP .bin, say), damaged, or for another family.
 */
export function validateUf2(args: { file: Uint8Array; chip: ChipId }): ImageProblem[] {
  const chip = CHIPS[args.chip];
  const pick = chip.genericBoard ? ` Pick an ${chip.name} firmware (${chip.genericBoard}).` : ` Pick a firmware built for ${chip.name}.`;
  if (chip.method !== 'uf2-drive') {
    return [{ code: 'UF2_FOR_ESP', severity: 'error', message: `${chip.name} boards are flashed over serial with a .bin file, not a UF2 drive.${pick}` }];
  }
  if (args.file.length === 0) return [{ code: 'EMPTY', severity: 'error', message: `This file is empty.${pick}` }];
  if (args.file[0] === 0xe9) {
    return [{ code: 'BIN_FOR_UF2', severity: 'error', message: `This is an ESP .bin image, but the board is an ${chip.name}, which takes a .uf2 file.${pick}` }];
  }
  let summary: Uf2Summary;
  try {
    summary = parseUf2(args.file);
  } catch (err) {
    return [{ code: 'NOT_UF2', severity: 'error', message: `${errorMessage(err)}${pick}` }];
  }
  const accepted = new Set(chip.uf2FamilyIds ?? []);
  const foreign = summary.families.filter((f) => f.familyId !== undefined && !accepted.has(f.familyId));
  if (foreign.length > 0) {
    return [
      {
        code: 'WRONG_FAMILY',
        severity: 'error',
        message: `This firmware is for ${foreign.map((f) => familyName(f.familyId)).join(' and ')}, but the board is an ${chip.name}.${pick}`,
      },
    ];
  }
  if (summary.families.every((f) => f.familyId === undefined)) {
    return [{ code: 'WRONG_FAMILY', severity: 'warning', message: `This UF2 file does not say which chip it is for; the ${chip.name} bootloader may ignore it.` }];
  }
  return [];
}
