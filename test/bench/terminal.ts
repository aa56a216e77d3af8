/**
 * Terminal benchmark, through the web host in headless Chromium against the
 * built-in virtual board (USB model, ~1 MB/s like MicroPython's USB-CDC):
 *  (a) echo latency: from the Enter key of `print("hi")` reaching the page to
 *      `hi` being in the xterm buffer, median and p95 over RUNS typed lines;
 *  (b) 1 MiB of board output: from the Run key (F5) to the last line parsed by
 *      xterm, the longest main-thread stall meanwhile, and a byte-exact check
 *      of every line in the buffer.
 * Run: npx tsx test/bench/terminal.ts  (needs `npm run build` first)
 */
import os from 'node:os';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { startWebHost } from '../helpers/webHost.js';
import { connectVirtualBoard, setEditorText, terminalText, typeInTerminal, waitForTerminal, waitUntil } from '../e2e/pinwheelPage.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
/** 4096 lines of 256 bytes: exactly 1 MiB. */
const LINES = 4096;
const LINE_BYTES = 256;
const PAYLOAD = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(10);
/** Wide enough that a 255-character line does not wrap, so 4096 lines fit the 5000-line scrollback whole. */
const VIEWPORT = { width: 2560, height: 1440 };

const GENERATOR = [
  'import sys',
  `P = ${JSON.stringify(PAYLOAD)}`,
  `for i in range(${LINES}):`,
  `    sys.stdout.write('%06d:' % i + P[i % 50:i % 50 + ${LINE_BYTES - 8}] + '\\n')`,
  'print("END-OF-MEGABYTE")',
].join('\n');

function expectedLine(i: number): string {
  return `${String(i).padStart(6, '0')}:${PAYLOAD.slice(i % 50, (i % 50) + LINE_BYTES - 8)}`;
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

type DebugWindow = Window & { pinwheelDebug: { terminalText(): string; terminalCharsWritten(): number; terminalIdle(): Promise<void> }; benchT0?: number };

async function echoLatency(page: Page): Promise<number[]> {
  const samples: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    await page.getByTestId('terminal-clear').click();
    await typeInTerminal(page, 'print("hi")');
    await waitForTerminal(page, /print\("hi"\)$/);
    await page.evaluate(() => {
      const w = window as unknown as DebugWindow;
      w.benchT0 = undefined;
      window.addEventListener(
        'keydown',
        (e) => {
          if (e.key === 'Enter') w.benchT0 = performance.now();
        },
        { capture: true, once: true },
      );
    });
    const measured = page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const w = window as unknown as DebugWindow;
          const deadline = performance.now() + 5000;
          const channel = new MessageChannel();
          // A message-channel loop yields to the page between checks without the 4 ms timer clamp.
          channel.port1.onmessage = () => {
            const text = w.pinwheelDebug.terminalText();
            if (w.benchT0 !== undefined && /print\("hi"\)\n(.*\n)*hi(\n|$)/.test(text)) resolve(performance.now() - w.benchT0);
            else if (performance.now() > deadline) reject(new Error(`no "hi" within 5 s; terminal: ${text.slice(-300)}`));
            else channel.port2.postMessage(0);
          };
          channel.port2.postMessage(0);
        }),
    );
    await page.keyboard.press('Enter');
    const ms = await measured;
    // The first line warms up the page and the board; it is not counted.
    if (run > 0) samples.push(ms);
  }
  return samples;
}

async function megabyte(page: Page): Promise<{ ms: number; maxStallMs: number; chars: number; linesOk: number; firstBad: string | null }> {
  await page.getByTestId('terminal-clear').click();
  await setEditorText(page, GENERATOR);
  const before = await page.evaluate(() => (window as unknown as DebugWindow).pinwheelDebug.terminalCharsWritten());
  // The F5 listener is in place before the key is pressed (installing it inside the watcher raced the key press).
  await page.evaluate(() => {
    const w = window as unknown as DebugWindow & { benchF5?: number };
    w.benchF5 = undefined;
    window.addEventListener('keydown', (e) => e.key === 'F5' && (w.benchF5 = performance.now()), { capture: true, once: true });
  });
  const timing = page.evaluate(
    ({ before, bytes }) =>
      new Promise<{ ms: number; maxStallMs: number; chars: number }>((resolve, reject) => {
        const w = window as unknown as DebugWindow & { benchF5?: number };
        let last = performance.now();
        let maxStall = 0;
        const deadline = performance.now() + 60_000;
        const frame = () => {
          const now = performance.now();
          const t0 = w.benchF5;
          if (t0 !== undefined) maxStall = Math.max(maxStall, now - last);
          last = now;
          const written = w.pinwheelDebug.terminalCharsWritten() - before;
          if (t0 !== undefined && written >= bytes && w.pinwheelDebug.terminalText().includes('END-OF-MEGABYTE')) {
            resolve({ ms: now - t0, maxStallMs: maxStall, chars: written });
            return;
          }
          if (now > deadline) reject(new Error(`${t0 === undefined ? 'F5 was never seen; ' : ''}only ${written} characters parsed after 60 s; the terminal ends with ${JSON.stringify(w.pinwheelDebug.terminalText().slice(-300))}`));
          else requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
    { before, bytes: LINES * LINE_BYTES },
  );
  await page.keyboard.press('F5');
  const result = await timing;
  await waitUntil('the program to finish', async () => (await page.getByTestId('running-indicator').count()) === 0, { timeout: 30_000 });
  const lines = (await terminalText(page)).split('\n').filter((l) => /^\d{6}:/.test(l));
  let linesOk = 0;
  let firstBad: string | null = null;
  for (let i = 0; i < LINES; i++) {
    if (lines[i] === expectedLine(i)) linesOk++;
    else if (firstBad === null) firstBad = `line ${i}: ${JSON.stringify(lines[i]?.slice(0, 40))}`;
  }
  if (lines.length !== LINES && firstBad === null) firstBad = `${lines.length} numbered lines in the buffer, expected ${LINES}`;
  return { ...result, linesOk, firstBad };
}

const host = await startWebHost();
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: VIEWPORT });
  // tsx (esbuild keepNames) wraps named inner functions in __name(); the page has no such helper.
  await page.addInitScript('globalThis.__name = (fn) => fn;');
  await page.goto(host.url);
  await page.getByTestId('editor').locator('.monaco-editor').waitFor();
  await connectVirtualBoard(page);
  await waitForTerminal(page, '>>> ');

  const conditions = `web host + headless Chromium (${os.cpus().length} cores, ${os.cpus()[0]?.model.trim() ?? 'cpu'}), virtual board USB model, viewport ${VIEWPORT.width}x${VIEWPORT.height}`;
  console.log(`Terminal benchmark: ${conditions}`);

  const samples = (await echoLatency(page)).sort((a, b) => a - b);
  const median = percentile(samples, 50);
  console.log(
    `(a) print("hi") + Enter -> "hi" in the xterm buffer, ${samples.length} runs: median ${median.toFixed(1)} ms, p95 ${percentile(samples, 95).toFixed(1)} ms, min ${samples[0]!.toFixed(1)} ms, max ${samples.at(-1)!.toFixed(1)} ms`,
  );

  const mb = await megabyte(page);
  const mib = (LINES * LINE_BYTES) / (1024 * 1024);
  console.log(
    `(b) ${mib} MiB of board output (${LINES} lines x ${LINE_BYTES} B, run with F5): ${mb.ms.toFixed(0)} ms from F5 to the last line parsed by xterm ` +
      `(${((LINES * LINE_BYTES) / 1024 / (mb.ms / 1000)).toFixed(0)} KiB/s); longest main-thread stall ${mb.maxStallMs.toFixed(0)} ms; ` +
      `${mb.chars} characters parsed; ${mb.linesOk}/${LINES} lines byte-exact in the buffer${mb.firstBad ? ` (first difference: ${mb.firstBad})` : ''}`,
  );
  if (mb.linesOk !== LINES) process.exitCode = 1;
} finally {
  await browser.close();
  await host.stop();
}
