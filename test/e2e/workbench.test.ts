/**
 * The workbench as a person first sees it: served by the web host, opened in
 * headless Chromium from the printed URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, watchPageErrors } from '../helpers/browser.js';
import { startWebHost, type RunningHost } from '../helpers/webHost.js';

describe('workbench in the web host', () => {
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    host = await startWebHost();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    errors = watchPageErrors(page);
    await page.goto(host.url);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('drops the token from the address bar once it is traded for a cookie', () => {
    expect(page.url()).toBe(`${host.origin}/`);
  });

  it('renders the activity bar, side bar, editor, terminal and status bar', async () => {
    for (const id of ['activity-bar', 'sidebar', 'editor', 'terminal', 'status-bar']) {
      await expect(page.getByTestId(id).isVisible()).resolves.toBe(true);
    }
    for (const view of ['Files', 'MQTT', 'Flash']) {
      await expect(page.getByTestId('activity-bar').getByRole('tab', { name: view }).count()).resolves.toBe(1);
    }
  });

  it('talks to the host over the API: the status bar shows the web host and version', async () => {
    const status = page.getByTestId('status-bar');
    await status.getByText(/web host/i).waitFor();
    await expect(status.textContent()).resolves.toMatch(/\d+\.\d+\.\d+/);
  });

  it('lets the user type into Monaco', async () => {
    const editor = page.getByTestId('editor');
    await editor.locator('.monaco-editor').waitFor();
    await editor.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nprint("typed in pinwheel")');
    // Monaco renders spaces as non-breaking spaces.
    const text = async () => (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
    await expect.poll(text, { timeout: 5000 }).toContain('print("typed in pinwheel")');
    // Python highlighting: Monaco tokenised the keyword and the string.
    await expect(editor.locator('.view-lines span[class*="mtk"]').count()).resolves.toBeGreaterThan(3);
  });

  it('has a live xterm terminal', async () => {
    const terminal = page.getByTestId('terminal');
    await terminal.locator('.xterm').waitFor();
    await expect(terminal.locator('.xterm-rows').innerText()).resolves.toMatch(/Pinwheel/);
  });

  it('switches views from the activity bar', async () => {
    await page.getByTestId('activity-bar').getByRole('tab', { name: 'MQTT' }).click();
    await expect(page.getByTestId('sidebar').innerText()).resolves.toMatch(/MQTT|broker/i);
    await page.getByTestId('activity-bar').getByRole('tab', { name: 'Files' }).click();
  });

  it('follows the OS dark theme', async () => {
    const lightBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(lightBg);
    await screenshot(page, 'workbench-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(lightBg);
  });

  it('writes a screenshot of the workbench and ran without page errors', async () => {
    const file = await screenshot(page, 'workbench-light');
    expect(file).toMatch(/workbench-light\.png$/);
    expect(errors).toEqual([]);
  });
});
