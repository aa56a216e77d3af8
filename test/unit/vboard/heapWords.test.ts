import { describe, expect, it } from 'vitest';
import { findAllocatedBlocksWord, findCallDepthWord, type HeapWordSnapshots } from '../../../electron/node/vboard/worker/heapWords.js';

const words = (...w: number[]): Int32Array => Int32Array.from(w);

// Word 0: noise; word 1: the call depth; word 2: allocated blocks; word 3: a counter that moves by 2.
const snapshots: HeapWordSnapshots = {
  top: words(7, 0, 0, 0),
  nested: [words(3, 1, 4, 2), words(9, 2, 9, 4), words(1, 3, 15, 6)],
  allocations: [
    [10, words(0, 1, 20, 8), words(0, 1, 32, 10)],
    [100, words(0, 1, 40, 12), words(0, 1, 142, 14)],
    [50, words(0, 1, 150, 16), words(0, 1, 202, 18)],
  ],
};

describe('heap word search', () => {
  it('finds the call depth: 0 at the top, 1, 2, 3 when nested', () => {
    expect(findCallDepthWord(snapshots)).toBe(1);
  });

  it('finds the allocation counter: it grows by the blocks allocated, plus the same overhead each time', () => {
    expect(findAllocatedBlocksWord(snapshots)).toBe(2);
  });

  it('answers -1 when two words fit, rather than guess', () => {
    const twice: HeapWordSnapshots = { ...snapshots, top: words(0, 0, 0, 0), nested: [words(1, 1, 0, 0), words(2, 2, 0, 0), words(3, 3, 0, 0)] };
    expect(findCallDepthWord(twice)).toBe(-1);
  });

  it('answers -1 without at least two allocations to compare', () => {
    expect(findAllocatedBlocksWord({ ...snapshots, allocations: snapshots.allocations.slice(0, 1) })).toBe(-1);
  });
});
