/**
 * What is wrong with a firmware file for the board it is meant for, found
 * before anything is erased. Errors refuse the flash; warnings are shown and
 * the person may go on.
 */
import { FlashError } from './FlashError.js';

export type ImageProblemCode =
  | 'EMPTY' // a zero-length file
  | 'NOT_ESP_IMAGE' // an ESP chip, a file without the 0xE9 magic
  | 'UF2_FOR_ESP' // an ESP chip, a .uf2 file
  | 'BIN_FOR_UF2' // a UF2 chip, an ESP .bin
  | 'NOT_UF2' // a UF2 chip, a file that is not UF2 blocks
  | 'UNKNOWN_CHIP' // the image names a chip id no table entry has
  | 'WRONG_CHIP' // the image is for another chip than the board's
  | 'WRONG_FAMILY' // UF2 blocks for another family than the board's
  | 'WRONG_OFFSET' // the address is not where this chip's MicroPython goes
  | 'TOO_BIG' // the image does not fit the board's flash
  | 'FLASH_SIZE_MISMATCH'; // the image was built for more flash than the board has

export interface ImageProblem {
  code: ImageProblemCode;
  severity: 'error' | 'warning';
  /** For the person at the board: what is wrong and what to pick instead. */
  message: string;
}

export function hasBlockingProblem(problems: readonly ImageProblem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** Throws a FlashError carrying every error's message when any problem blocks the flash. */
export function assertNoBlockingProblem(problems: readonly ImageProblem[]): void {
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new FlashError('INVALID_IMAGE', errors.map((p) => p.message).join(' '));
}
