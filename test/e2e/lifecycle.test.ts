/**
 * What happens around the IDE loop: unsaved work survives a restart of the
 * host (same data folder), and a board that is unplugged shows as lost at
 * once without freezing the window. The unplugged board is a virtual board
 * served on a pseudo-terminal and killed, which closes the port under the
 * host exactly as pulling a USB cable does.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { VirtualBoard } from '../../electron/node/vboard/VirtualBoard.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { startWebHost, type RunningHost } from '../helpers/webHost.js';
import { CONNECT_TIMEOUT_MS, editorText, setEditorText, showFilesView, typeInTerminal, waitForTerminal, openWorkbench } from './pinwheelPage.js';

describe('around the IDE loop', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-e2e-data-'));
  let host: RunningHost | undefined;
  let browser: Browser;
  let board: VirtualBoard | undefined;
  let errors: string[] = [];

  const openPage = async (): Promise<Page> => {
    const opened = await openWorkbench(browser, host!);
    errors = opened.errors;
    return opened.page;
  };

  beforeAll(async () => {
    [host, browser] = await Promise.all([startWebHost({ env: { PINWHEEL_DATA_DIR: dataDir } }), launchBrowser()]);
  });

  afterAll(async () => {
    await board?.kill();
    await browser?.close();
    await host?.stop();
  });

  it('restores unsaved buffers after the host restarts', async () => {
    const page = await openPage();
    await setEditorText(page, 'print("kept across a host restart")');
    await page.evaluate(() => (window as unknown as { pinwheelDebug: { flushDrafts(): Promise<void> } }).pinwheelDebug.flushDrafts());
    await page.close({ runBeforeUnload: false });
    await host!.stop();

    host = await startWebHost({ env: { PINWHEEL_DATA_DIR: dataDir } });
    const fresh = await openPage();
    await expect.poll(() => editorText(fresh), { timeout: 10_000 }).toBe('print("kept across a host restart")');
    await fresh.getByTestId('toast').filter({ hasText: /Restored 1 unsaved buffer/ }).waitFor();
    await fresh.close({ runBeforeUnload: false });
  });

  it('shows an unplugged board as lost at once and keeps the window responsive', async () => {
    board = await VirtualBoard.start({ model: 'usb' });
    const ptyPath = await board.exposeOnPty();
    const page = await openPage();
    await showFilesView(page);
    await page.locator('.port-other summary').click();
    await page.getByTestId('other-port-input').fill(ptyPath);
    await page.getByTestId('other-port-connect').click();
    await page.locator('[data-testid=board-status][data-state=connected]').waitFor({ timeout: CONNECT_TIMEOUT_MS });
    await waitForTerminal(page, '>>> ');
    await typeInTerminal(page, 'print("over the pty")\r');
    await waitForTerminal(page, 'over the pty\n');

    const unplugged = Date.now();
    await board.kill();
    await page.locator('[data-testid=board-status][data-state=lost]').waitFor({ timeout: 5000 });
    const lostAfterMs = Date.now() - unplugged;
    expect(lostAfterMs).toBeLessThan(3000);
    await expect(page.getByTestId('board-status').innerText()).resolves.toMatch(/lost/i);
    await expect(page.getByTestId('connection-note').innerText()).resolves.toMatch(/reconnects when it comes back/i);
    await expect(page.getByTestId('run-button').getAttribute('aria-disabled')).resolves.toBe('true');

    // Nothing froze: the editor still takes typing and the terminal says what happened.
    await page.getByTestId('editor').locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n# typed after the unplug');
    await expect.poll(() => editorText(page)).toMatch(/typed after the unplug$/);
    await waitForTerminal(page, /Board lost/);
    await screenshot(page, 'ide-board-lost');

    await page.getByTestId('stop-waiting-button').click();
    await page.locator('[data-testid=board-status][data-state=disconnected]').waitFor({ timeout: 5000 });
    expect(errors).toEqual([]);
    await page.close({ runBeforeUnload: false });
  });
});
