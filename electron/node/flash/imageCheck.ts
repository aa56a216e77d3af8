/** The check before anything is erased, as the CLI and the flasher process both make it. */
import { CHIPS, isChipId, type ChipId } from '../../common/flash/chips.js';
import { validateImage } from '../../common/flash/espImage.js';
import type { ImageProblem } from '../../common/flash/ImageProblem.js';
import type { EspChipInfo } from './EspFlasher.js';

/** The chip table's id for what esptool-js detected ("ESP32-S3" -> esp32s3); undefined for a chip the table lacks. */
export function chipIdOf(info: Pick<EspChipInfo, 'family'>): ChipId | undefined {
  const id = info.family.toLowerCase().replace(/-/g, '');
  return isChipId(id) ? id : undefined;
}

export interface ImageCheck {
  chip: ChipId | undefined;
  /** Where the image goes: the one asked for, else the chip's own. */
  offset: number;
  errors: string[];
  warnings: string[];
}

/** Checks `image` for the detected chip at `offset` (default: the chip's MicroPython offset). */
export function checkImageForChip(info: EspChipInfo, image: Uint8Array, offset?: number): ImageCheck {
  const chip = chipIdOf(info);
  if (!chip) return { chip, offset: offset ?? 0, errors: [`The board is an ${info.family}, which Pinwheel cannot flash yet.`], warnings: [] };
  const at = offset ?? CHIPS[chip].flashOffset ?? 0;
  const problems: ImageProblem[] = validateImage({ image, chip, offset: at, ...(info.flashSizeBytes !== undefined ? { flashSizeBytes: info.flashSizeBytes } : {}) });
  return {
    chip,
    offset: at,
    errors: problems.filter((p) => p.severity === 'error').map((p) => p.message),
    warnings: problems.filter((p) => p.severity === 'warning').map((p) => p.message),
  };
}
