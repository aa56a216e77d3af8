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

/** How mutateBytes edits: up to `maxEdits` edits, runs of up to `maxRun` bytes, `tokens` to splice in. */
export interface MutationOptions {
  maxEdits: number;
  maxRun: number;
  tokens: readonly Uint8Array[];
  /** Also repeat a stretch of what came before (a re-sent frame, a doubled banner). */
  repeats?: boolean;
}

/** A fuzz input: `bytes` with a few random edits (bytes replaced, cut, inserted, tokens spliced in, stretches repeated, the end dropped). */
export function mutateBytes(r: SeededRandom, bytes: Uint8Array, options: MutationOptions): Uint8Array {
  const out = [...bytes];
  const kinds = options.repeats ? 6 : 5;
  for (let n = r.int(1, options.maxEdits); n > 0; n--) {
    const at = r.int(0, Math.max(0, out.length - 1));
    switch (r.int(0, kinds - 1)) {
      case 0:
        out[at] = r.int(0, 255);
        break;
      case 1:
        out.splice(at, r.int(1, options.maxRun));
        break;
      case 2:
        out.splice(at, 0, ...Array.from({ length: r.int(1, options.maxRun) }, () => r.int(0, 255)));
        break;
      case 3:
        out.splice(at, 0, ...r.pick(options.tokens));
        break;
      case 4:
        out.length = at;
        break;
      default:
        out.splice(at, 0, ...out.slice(r.int(0, at), at));
    }
  }
  return Uint8Array.from(out);
}
