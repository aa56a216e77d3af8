/**
 * The editing loop as a newcomer lives it (issue 14), driven by real key
 * presses at a person's pace, not pasted text: Enter at the end of a line ends
 * the line even while a suggestion is open, and Tab takes a suggestion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { startWebHost, type RunningHost } from '../helpers/webHost.js';
import { editorText, openWorkbench } from './pinwheelPage.js';

/** About a newcomer's typing speed; the swallowed Enter showed at 150 ms a key. */
const KEY_DELAY_MS = 120;

describe('typing in the editor', () => {
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    host = await startWebHost();
    browser = await launchBrowser();
    ({ page, errors } = await openWorkbench(browser, host));
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

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
    expect(errors).toEqual([]);
  });
});
