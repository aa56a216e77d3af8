/**
 * Finds two words of the interpreter's static memory by comparing snapshots
 * (the binary has no symbols): the count of nested calls from JavaScript into
 * the interpreter (`external_call_depth` in ports/webassembly/main.c, whose
 * return to 0 is where the port collects garbage) and the GC's count of blocks
 * allocated since the last collection (`gc_alloc_amount`). See HeapCollector.
 */

/** Snapshots of the same memory range, taken by the probe (prelude/heapProbe.ts). */
export interface HeapWordSnapshots {
  /** After the probe returned: no call active, the heap just collected. */
  top: Int32Array;
  /** Inside bridge calls made 1, 2 and 3 calls deep. */
  nested: readonly [Int32Array, Int32Array, Int32Array];
  /** Around the allocation of `blocks` GC blocks (plus the same fixed overhead each time): [blocks, before, after]. */
  allocations: ReadonlyArray<readonly [number, Int32Array, Int32Array]>;
}

/** Index of the word holding the call depth, or -1 unless exactly one word fits. */
export function findCallDepthWord(s: HeapWordSnapshots): number {
  return only(s.top, (i) => s.top[i] === 0 && s.nested.every((snap, depth) => snap[i] === depth + 1));
}

/** Index of the word counting allocated blocks, or -1 unless exactly one word fits. */
export function findAllocatedBlocksWord(s: HeapWordSnapshots): number {
  const [first, ...rest] = s.allocations;
  if (!first || rest.length === 0) return -1;
  const grew = (i: number, [, before, after]: readonly [number, Int32Array, Int32Array]): number => after[i]! - before[i]!;
  return only(s.top, (i) => s.top[i] === 0 && rest.every((a) => grew(i, a) - grew(i, first) === a[0] - first[0]));
}

function only(range: Int32Array, fits: (i: number) => boolean): number {
  let found = -1;
  for (let i = 0; i < range.length; i++) {
    if (!fits(i)) continue;
    if (found >= 0) return -1;
    found = i;
  }
  return found;
}
