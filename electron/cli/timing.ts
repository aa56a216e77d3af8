/**
 * PINWHEEL_TIMING=1: where a `pinwheel` call spends its time, on stderr, one
 * `pinwheel timing: <phase> <ms> ms` line per phase. Used by the benchmarks
 * (test/bench/cliPut.ts) and for finding what is slow; silent otherwise.
 *
 * Phases: `start` (Node's start and loading the CLI, up to main()), `load`
 * (the bodies of the commands that run), `open` (the serial port), `probe`
 * (what the board can do, for file commands), `step N (name)` (each command;
 * a `put` adds its files' phases), `close`, `engine` (open to close: the
 * board's part) and `total` (up to the exit).
 */
export const TIMING_ENV = 'PINWHEEL_TIMING';

export class PhaseTimer {
  readonly enabled: boolean;

  constructor(
    private readonly out: NodeJS.WritableStream,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.enabled = env[TIMING_ENV] === '1';
  }

  /** Milliseconds since the process started. */
  now(): number {
    return performance.now();
  }

  report(phase: string, ms: number): void {
    if (this.enabled) this.out.write(`pinwheel timing: ${phase} ${ms.toFixed(1)} ms\n`);
  }

  /** Times `fn` as `phase`. */
  async time<T>(phase: string, fn: () => Promise<T>): Promise<T> {
    if (!this.enabled) return fn();
    const t0 = this.now();
    try {
      return await fn();
    } finally {
      this.report(phase, this.now() - t0);
    }
  }
}
