/** Pure size arithmetic for the workbench's resizable parts (side bar width, panel height). */

export interface SizeLimits {
  readonly min: number;
  readonly max: number;
}

/** Keeps `size` within the limits; when the window is too small for `min`, `min` wins so parts stay usable. */
export function clampSize(size: number, { min, max }: SizeLimits): number {
  if (!Number.isFinite(size)) return min;
  return Math.round(Math.max(min, Math.min(size, Math.max(min, max))));
}

/** Pixels one arrow key press moves a sash; Shift moves further. */
export const SASH_KEY_STEP_PX = 10;
export const SASH_KEY_STEP_LARGE_PX = 50;

export type ArrowKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown';

/**
 * The new size after a key press on a sash, or null when the key does not resize.
 * `grow` is the arrow that makes the part larger (ArrowRight for a left side bar, ArrowUp for a bottom panel).
 */
export function sizeAfterKey(size: number, key: string, shiftKey: boolean, grow: ArrowKey, limits: SizeLimits): number | null {
  const step = shiftKey ? SASH_KEY_STEP_LARGE_PX : SASH_KEY_STEP_PX;
  if (key === grow) return clampSize(size + step, limits);
  if (key === OPPOSITE_ARROW[grow]) return clampSize(size - step, limits);
  if (key === 'Home') return clampSize(limits.min, limits);
  if (key === 'End') return clampSize(limits.max, limits);
  return null;
}

const OPPOSITE_ARROW: Record<ArrowKey, ArrowKey> = {
  ArrowLeft: 'ArrowRight',
  ArrowRight: 'ArrowLeft',
  ArrowUp: 'ArrowDown',
  ArrowDown: 'ArrowUp',
};
