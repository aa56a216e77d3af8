/**
 * Seeded pseudo-random numbers for tests and benchmarks: the same sequence on
 * every run and machine for a given seed, so a failure can be replayed.
 */

/** xorshift32: returns the next unsigned 32-bit value on each call. */
export function xorshift32(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** Helpers over one seeded stream: integers in a range, picks from a list, shuffles. */
export class SeededRandom {
  private readonly next: () => number;

  constructor(readonly seed: number) {
    this.next = xorshift32(seed);
  }

  /** An unsigned 32-bit value. */
  u32(): number {
    return this.next();
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + (this.next() % (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.next() % items.length]!;
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffled<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.next() % (i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}
