// A program that prints without end, through the app's Run (board.run) on the
// built-in virtual board: every byte reaches the terminal while the host's
// memory stays flat, because the engine keeps only a tail of streamed output.
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { VIRTUAL_BOARD_PATH } from '../../../electron/common/api/contract.js';
import { startTestBackend, type TestBackend } from './harness.js';

/** Characters per printed line, without its \r\n. */
const LINE_CHARS = 1000;
/**
 * The USB model delivers about 0.7 MB/s here (its pacing allows 1 MB/s; the
 * interpreter printing is the limit), so 28 MB take ~40 s. Set
 * PINWHEEL_LONG_OUTPUT_MB=100 for the full-size run (~150 s).
 */
const OUTPUT_MB = Number(process.env.PINWHEEL_LONG_OUTPUT_MB ?? 28);
const LINES = Math.round((OUTPUT_MB * 1e6) / (LINE_CHARS + 2));
/** What the host may grow by while the program prints, however long it prints. */
const MAX_GROWTH_BYTES = 50 * 1024 * 1024;
/** How often memory is sampled (each sample collects garbage first). */
const SAMPLE_EVERY_MS = 1000;
/** Slower than this, the run is stuck rather than slow: it fails once the time it allows is up. */
const MIN_BYTES_PER_S = 300_000;
const RUN_TIMEOUT_MS = Math.max(120_000, ((OUTPUT_MB * 1e6) / MIN_BYTES_PER_S) * 1000);

/** V8's collector, whether or not node ran with --expose-gc. */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

interface Memory {
  heap: number;
  rss: number;
}

/** Live memory after a collection: JS heap plus the buffers outside it (Uint8Arrays), and the resident set. */
function measure(gc: () => void): Memory {
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.external, rss: m.rss };
}

let t: TestBackend;

beforeAll(async () => {
  t = await startTestBackend({}, { recordTerminal: false });
  await t.client.call('board.connect', { path: VIRTUAL_BOARD_PATH });
});

afterAll(async () => {
  await t?.close();
});

it(`streams ${OUTPUT_MB} MB from a running program with flat host memory`, async () => {
  const gc = collector();
  let xs = 0;
  let chars = 0;
  let tail = '';
  const counting = t.backend.events.subscribe((event) => {
    if (event.name !== 'terminal.data') return;
    const data = (event.payload as { data: string }).data;
    chars += data.length;
    for (const run of data.matchAll(/x+/g)) xs += run[0].length;
    tail = (tail + data).slice(-200);
  });
  const baseline = measure(gc);
  let peak: Memory = { ...baseline };
  const sampler = setInterval(() => {
    const now = measure(gc);
    peak = { heap: Math.max(peak.heap, now.heap), rss: Math.max(peak.rss, now.rss) };
  }, SAMPLE_EVERY_MS);

  const started = performance.now();
  const code = `line = "x" * ${LINE_CHARS}\nfor i in range(${LINES}):\n    print(line)\nprint("done", ${LINES})\n`;
  try {
    const result = await t.client.call('board.run', { code, name: 'flood.py' }, { timeoutMs: RUN_TIMEOUT_MS });
    expect(result).toEqual({ ok: true, interrupted: false });
  } finally {
    clearInterval(sampler);
    counting.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  const end = measure(gc);
  peak = { heap: Math.max(peak.heap, end.heap), rss: Math.max(peak.rss, end.rss) };
  const growth = { heap: peak.heap - baseline.heap, rss: peak.rss - baseline.rss };
  const mb = (n: number) => (n / 1e6).toFixed(1);
  process.stderr.write(
    `long output: ${mb(chars)} MB in ${seconds.toFixed(1)} s (${mb(chars / seconds)} MB/s); peak growth: heap ${mb(growth.heap)} MB, rss ${mb(growth.rss)} MB\n`,
  );

  expect(xs).toBe(LINES * LINE_CHARS);
  expect(chars).toBeGreaterThanOrEqual(LINES * (LINE_CHARS + 2));
  expect(tail).toMatch(new RegExp(`x\\r?\\ndone ${LINES}\\r?\\n`));
  expect(growth.heap).toBeLessThan(MAX_GROWTH_BYTES);
  expect(growth.rss).toBeLessThan(MAX_GROWTH_BYTES);
}, RUN_TIMEOUT_MS + 30_000);
