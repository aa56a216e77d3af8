/**
 * Choosing the built-in virtual board's firmware in the Boards view: the
 * 1.9-minimal board is a MicroPython 1.9.3 board to the whole IDE, and going
 * back to the ESP32 brings back the ESP32 and its files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { startWebHost, type RunningHost } from '../helpers/webHost.js';
import { CONNECT_TIMEOUT_MS, showFilesView, terminalText, typeInTerminal, waitForTerminal, openWorkbench } from './pinwheelPage.js';

describe('the virtual board firmware picker', () => {
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  const firmware = () => page.getByLabel('Virtual board firmware');
  const virtualRow = () => page.locator('[data-testid=port-row][data-port-path="virtual:board"]');
  const status = () => page.getByTestId('board-status');

  beforeAll(async () => {
    [host, browser] = await Promise.all([startWebHost(), launchBrowser()]);
    ({ page, errors } = await openWorkbench(browser, host));
    await showFilesView(page);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('shows the ESP32 firmware for the virtual board, by its label', async () => {
    await virtualRow().click();
    await expect(firmware().inputValue()).resolves.toBe('esp32');
    await expect(virtualRow().locator('.port-detail-text').innerText()).resolves.toBe('Simulated ESP32, current MicroPython');
  });

  it('switches to 1.9-minimal, connects, and the terminal shows the MicroPython 1.9.3 banner', async () => {
    await firmware().selectOption('1.9-minimal');
    await page.waitForFunction(() => document.querySelector('[data-testid=port-row][data-port-path="virtual:board"] .port-detail-text')?.textContent === 'Simulated MicroPython 1.9, minimal');
    await page.getByTestId('connect-button').click();
    await page.locator('[data-testid=board-status][data-state=connected]').waitFor({ timeout: CONNECT_TIMEOUT_MS });
    const before = (await terminalText(page)).length;
    // Ctrl-D at the prompt: a soft reset, which prints the board's banner.
    await typeInTerminal(page, '\r');
    await waitForTerminal(page, '>>> ', { after: before });
    await page.keyboard.press('Control+D');
    const shown = await waitForTerminal(page, /MicroPython v1\.9\.3 on 2017-11-01; ESP32 module with ESP32\r?\nType "help\(\)" for more information\.\r?\n>>> /, { after: before, timeout: 15_000 });
    expect(shown).toContain('PYB: soft reboot');
    await typeInTerminal(page, 'import os; os.uname().release\r');
    await waitForTerminal(page, "'1.9.3'", { after: before });
    await expect(status().getAttribute('data-state')).resolves.toBe('connected');
    await screenshot(page, 'vboard-firmware-1.9');
  });

  it('switches back while connected: the board restarts as the ESP32 and is connected again', async () => {
    await firmware().selectOption('esp32');
    await page.waitForFunction(() => document.querySelector('[data-testid=vboard-firmware]:not([disabled])') !== null, undefined, { timeout: CONNECT_TIMEOUT_MS });
    await page.locator('[data-testid=board-status][data-state=connected]').waitFor({ timeout: CONNECT_TIMEOUT_MS });
    const before = (await terminalText(page)).length;
    await typeInTerminal(page, 'import os; os.uname().release\r');
    await waitForTerminal(page, /'1\.2\d\.\d+'/, { after: before });
    expect(errors).toEqual([]);
  });
});
