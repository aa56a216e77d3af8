/**
 * The editing loop as a newcomer lives it (issue 14), driven by real key
 * presses at a person's pace, not pasted text. One window and one virtual
 * board whose main.py blinks and prints in a loop, as the seeds' boards do;
 * the tests run in order, each leaving the board as the next expects it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { dataDirWithBoardFiles, startWebHost, type RunningHost } from '../helpers/webHost.js';
import { connectVirtualBoard, editorText, openWorkbench, terminalText, waitForTerminal } from './pinwheelPage.js';

/** About a newcomer's typing speed; the swallowed Enter showed at 150 ms a key. */
const KEY_DELAY_MS = 120;

/** The board's main.py: line 10 is the sleep a Ctrl-C usually lands in. */
const BLINK_MAIN = ['import time', 'from machine import Pin', '', 'led = Pin(2, Pin.OUT)', 'n = 0', '', 'while True:', '    led.value(not led.value())', '    n += 1', '    time.sleep(0.2)', '    print("blink", n)'].join('\n');

describe('the editing loop', () => {
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    host = await startWebHost({ env: { PINWHEEL_DATA_DIR: dataDirWithBoardFiles({ 'main.py': BLINK_MAIN }) } });
    browser = await launchBrowser();
    ({ page, errors } = await openWorkbench(browser, host));
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  const stopButton = () => page.getByTestId('stop-button');
  const runningBadge = () => page.getByTestId('running-indicator');

  it('Enter starts a new line after a word the suggestions offer, and Tab accepts a suggestion', async () => {
    await page.getByTestId('editor').locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    for (const line of ['from machine import Pin', 'import time', 'led = Pin(2, Pin.OUT)']) {
      await page.keyboard.type(line, { delay: KEY_DELAY_MS });
      // The suggest widget is usually open here, offering the word just typed.
      await page.keyboard.press('Enter');
    }
    await page.keyboard.type('time.sle', { delay: KEY_DELAY_MS });
    await page.locator('.suggest-widget.visible').getByText('sleep', { exact: true }).waitFor({ timeout: 5000 });
    await screenshot(page, 'editor-typing-suggestion');
    await page.keyboard.press('Tab');
    await expect.poll(() => editorText(page)).toBe('from machine import Pin\nimport time\nled = Pin(2, Pin.OUT)\ntime.sleep');
  });

  it('a main.py started by a reset shows as running, and Shift+F5 stops it', async () => {
    await connectVirtualBoard(page);
    await waitForTerminal(page, '>>> ');
    await expect.poll(() => stopButton().getAttribute('aria-disabled')).toBe('true');
    // Ctrl-D in the REPL soft-resets the board: main.py starts as at power-up.
    const before = (await terminalText(page)).length;
    await page.getByTestId('terminal').locator('.xterm').click();
    await page.keyboard.press('Control+D');
    await waitForTerminal(page, 'blink 2', { after: before });
    await runningBadge().waitFor({ timeout: 5000 });
    expect(await stopButton().getAttribute('aria-disabled')).toBe('false');
    await screenshot(page, 'reset-main-running');
    // Stop from the editor, by its shortcut.
    await page.getByTestId('editor').locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Shift+F5');
    const stopped = await waitForTerminal(page, /KeyboardInterrupt: \n[\s\S]*>>> $/, { after: before });
    await runningBadge().waitFor({ state: 'detached', timeout: 5000 });
    // The traceback shows the interrupted program's frame and nothing of the board's own boot files.
    expect(stopped).toMatch(/Traceback \(most recent call last\):\n {2}File "main\.py", line 10, in <module>\nKeyboardInterrupt: /);
    expect(stopped).not.toContain('_pw_');
  });

  it('later Ctrl-Cs in the REPL print no traceback left over from the stopped program', async () => {
    const before = (await terminalText(page)).length;
    await page.getByTestId('terminal').locator('.xterm').click();
    for (let i = 0; i < 3; i++) await page.keyboard.press('Control+C', { delay: 50 });
    await page.keyboard.type('import time; time.sleep(3)', { delay: 20 });
    await page.keyboard.press('Enter');
    await runningBadge().waitFor({ timeout: 5000 });
    await page.keyboard.press('Control+C');
    const after = await waitForTerminal(page, /KeyboardInterrupt: \n>>> $/, { after: before });
    await runningBadge().waitFor({ state: 'detached', timeout: 5000 });
    // One frame, the statement's own: nothing from main.py or the board's files.
    expect(after.match(/ {2}File /g)).toHaveLength(1);
    expect(after).toContain('File "<stdin>", line 1, in <module>');
    expect(after).not.toMatch(/main\.py|_pw_|\/tmp\/pinwheel/);
    expect(errors).toEqual([]);
  });
});
