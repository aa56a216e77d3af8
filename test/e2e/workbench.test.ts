/**
 * The workbench as a person first sees it: served by the web host, opened in
 * headless Chromium from the printed URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, watchPageErrors } from '../helpers/browser.js';
import { startWebHost, type RunningHost } from '../helpers/webHost.js';
import { editorText, terminalText, typeInTerminal, waitForTerminal } from './pinwheelPage.js';

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

  it('drops the token from the address bar once the page keeps it', () => {
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
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(lightBg);
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
    await expect.poll(() => page.getByTestId('editor').locator('.monaco-editor').getAttribute('class')).toMatch(/\bvs-dark\b/);
    await screenshot(page, 'workbench-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(lightBg);
  });

  it('hides and shows the side bar with Ctrl+B and the terminal panel with Ctrl+`, as their buttons do', async () => {
    const sidebar = page.getByTestId('sidebar');
    const panel = page.getByTestId('panel');
    await page.getByTestId('editor').locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+B');
    await expect.poll(() => sidebar.count()).toBe(0);
    await page.keyboard.press('Control+B');
    await sidebar.waitFor();
    await expect(sidebar.getAttribute('data-view')).resolves.toBe('files');

    await page.keyboard.press('Control+Backquote');
    await expect.poll(() => panel.isVisible()).toBe(false);
    const terminalToggle = page.getByTestId('status-bar').getByRole('button', { name: 'Show terminal' });
    await expect(terminalToggle.getAttribute('title')).resolves.toBe('Show terminal (Ctrl+`)');
    await terminalToggle.click();
    await expect.poll(() => panel.isVisible()).toBe(true);
    const hidePanel = page.getByRole('button', { name: 'Hide panel' });
    await expect(hidePanel.getAttribute('title')).resolves.toBe('Hide panel (Ctrl+`)');
    await hidePanel.click();
    await expect.poll(() => panel.isVisible()).toBe(false);
    await page.keyboard.press('Control+Backquote');
    await expect.poll(() => panel.isVisible()).toBe(true);
    // Showing the panel from the keyboard puts the cursor in the terminal.
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid=terminal]') !== null)).toBe(true);
  });

  it('shows the workbench as a person first sees it, and ran without page errors', async () => {
    const activityBar = page.getByTestId('activity-bar');
    await expect(activityBar.getByRole('tab').evaluateAll((tabs) => tabs.map((t) => t.getAttribute('aria-label')))).resolves.toEqual(['Files', 'MQTT', 'Flash']);
    await expect(activityBar.getByRole('tab', { selected: true }).getAttribute('aria-label')).resolves.toBe('Files');
    await expect(page.getByTestId('sidebar').getByRole('heading').innerText()).resolves.toMatch(/^files$/i);

    await expect(page.locator('[data-testid=editor-tab][aria-selected=true]').getAttribute('data-origin')).resolves.toBe('untitled');
    await expect(editorText(page)).resolves.toContain('print("typed in pinwheel")');
    await expect(page.getByTestId('editor').locator('.monaco-editor').getAttribute('class')).resolves.toMatch(/\bvs\b/);
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('light');

    // The terminal is live: it takes keys, and with no board connected says where to connect one.
    const before = (await terminalText(page)).length;
    await typeInTerminal(page, 'x');
    await waitForTerminal(page, 'No board is connected: connect one in the Files view to use its REPL.', { after: before });

    await screenshot(page, 'workbench-light');
    expect(errors).toEqual([]);
  });
});
