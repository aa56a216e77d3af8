/**
 * The session nearly every virtual-board user has: the board's main.py is
 * the usual IoT loop (work, then sleep), connecting interrupts it in the
 * middle of a sleep, and the next program (F5) also sleeps in its loop. Its
 * lines must keep coming until Stop. (Issue: after the connect's Ctrl-C
 * ended a sleep, every later sleep hung; the program printed one line and
 * the toolbar said Running forever.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from '../helpers/browser.js';
import { dataDirWithBoardFiles } from '../helpers/webHost.js';
import { connectVirtualBoard, setEditorText, startWorkbench, terminalText, waitForTerminal, type WorkbenchSession } from './pinwheelPage.js';

const SENSOR_MAIN = ['import time', 'n = 0', 'while True:', '    n += 1', '    print("reading", n)', '    time.sleep(0.2)'].join('\n');

const COUNTER = ['import time', 'i = 0', 'while True:', '    print("count", i)', '    i += 1', '    time.sleep_ms(100)'].join('\n');

/** Numbers printed after `label` in the terminal text. */
function counts(text: string, label: string): number[] {
  return [...text.matchAll(new RegExp(`${label} (\\d+)`, 'g'))].map((m) => Number(m[1]));
}

describe('a board whose main.py sleeps in its loop', () => {
  let session: WorkbenchSession;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    const dataDir = dataDirWithBoardFiles({ 'main.py': SENSOR_MAIN });
    session = await startWorkbench({ env: { PINWHEEL_DATA_DIR: dataDir } });
    ({ page, errors } = session);
  });

  afterAll(async () => {
    await session?.stop();
  });

  it('connecting interrupts main.py inside its sleep and leaves a working prompt', async () => {
    await connectVirtualBoard(page);
    await waitForTerminal(page, '>>> ');
  });

  it('F5 runs a second sleeping loop whose lines keep coming, and Stop ends it', async () => {
    await setEditorText(page, COUNTER);
    const before = (await terminalText(page)).length;
    await page.getByTestId('editor').locator('.view-lines').click();
    await page.keyboard.press('F5');
    await page.getByTestId('running-indicator').waitFor();
    await waitForTerminal(page, 'count 0', { after: before });
    // Ten sleeps of 100 ms later the count has moved on, in order and without gaps.
    const t0 = Date.now();
    await waitForTerminal(page, 'count 10', { after: before, timeout: 5000 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    const seen = counts((await terminalText(page)).slice(before), 'count');
    expect(seen.slice(0, 11)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await screenshot(page, 'sleeping-loop-running');

    await page.getByTestId('stop-button').click();
    await page.getByTestId('running-indicator').waitFor({ state: 'detached', timeout: 10_000 });
    await waitForTerminal(page, /KeyboardInterrupt|was stopped/, { after: before });
    const stoppedAt = (await terminalText(page)).length;
    await page.waitForTimeout(500);
    expect(counts((await terminalText(page)).slice(stoppedAt), 'count')).toEqual([]);
  });

  it('after Stop, a sleep in the REPL takes its time and the prompt answers', async () => {
    const before = (await terminalText(page)).length;
    await page.getByTestId('terminal').locator('.xterm').click();
    await page.keyboard.type('import time; t = time.ticks_ms(); time.sleep(0.3); print("slept", time.ticks_diff(time.ticks_ms(), t))\r');
    const text = await waitForTerminal(page, /slept (\d+)/, { after: before });
    const slept = Number(/slept (\d+)/.exec(text)![1]);
    expect(slept).toBeGreaterThanOrEqual(295);
    expect(slept).toBeLessThan(400);
    expect(errors).toEqual([]);
  });
});
