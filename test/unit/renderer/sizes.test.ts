import { describe, expect, it } from 'vitest';
import { clampSize, SASH_KEY_STEP_LARGE_PX, SASH_KEY_STEP_PX, sizeAfterKey } from '../../../renderer/shared/layout/sizes.js';

const limits = { min: 200, max: 600 };

describe('clampSize', () => {
  it('keeps sizes inside the limits and rounds to whole pixels', () => {
    expect(clampSize(350.4, limits)).toBe(350);
    expect(clampSize(50, limits)).toBe(200);
    expect(clampSize(900, limits)).toBe(600);
  });

  it('lets the minimum win when the window is too small for it', () => {
    expect(clampSize(300, { min: 200, max: 120 })).toBe(200);
  });

  it('falls back to the minimum for a size that is not a number (e.g. corrupt saved layout)', () => {
    expect(clampSize(Number.NaN, limits)).toBe(200);
  });
});

describe('sizeAfterKey', () => {
  it('grows with the grow arrow, shrinks with the opposite one, Shift for larger steps', () => {
    expect(sizeAfterKey(300, 'ArrowRight', false, 'ArrowRight', limits)).toBe(300 + SASH_KEY_STEP_PX);
    expect(sizeAfterKey(300, 'ArrowLeft', false, 'ArrowRight', limits)).toBe(300 - SASH_KEY_STEP_PX);
    expect(sizeAfterKey(300, 'ArrowUp', true, 'ArrowUp', limits)).toBe(300 + SASH_KEY_STEP_LARGE_PX);
    expect(sizeAfterKey(300, 'ArrowDown', false, 'ArrowUp', limits)).toBe(300 - SASH_KEY_STEP_PX);
  });

  it('jumps to the limits with Home and End and stays inside them', () => {
    expect(sizeAfterKey(300, 'Home', false, 'ArrowRight', limits)).toBe(200);
    expect(sizeAfterKey(300, 'End', false, 'ArrowRight', limits)).toBe(600);
    expect(sizeAfterKey(595, 'ArrowRight', true, 'ArrowRight', limits)).toBe(600);
  });

  it('ignores keys that do not resize, including arrows across the sash', () => {
    expect(sizeAfterKey(300, 'a', false, 'ArrowRight', limits)).toBeNull();
    expect(sizeAfterKey(300, 'ArrowUp', false, 'ArrowRight', limits)).toBeNull();
  });
});
