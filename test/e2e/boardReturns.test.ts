/**
 * A USB board's life outside the IDE loop, with virtual boards served on a
 * pseudo-terminal at one fixed path (as /dev/ttyUSB0 stays the same name):
 * a port that is not there fails with a message saying what to do; a board
 * that is unplugged and plugged back in is reconnected by itself; and after
 * Pinwheel restarts, the last board is remembered and one click away.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { VirtualBoard } from '../../electron/node/vboard/VirtualBoard.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { startWebHost, type RunningHost } from '../helpers/webHost.js';
import { CONNECT_TIMEOUT_MS, showFilesView, terminalText, typeInTerminal, waitForTerminal, openWorkbench } from './pinwheelPage.js';

describe('a board that goes away and comes back', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-e2e-data-'));
  const ptyDir = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-e2e-dev-'));
  /** Where every board of this file is plugged in. */
  const portPath = path.join(ptyDir, 'ttyUSB0');
  const boards: VirtualBoard[] = [];
  let host: RunningHost | undefined;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];

  const status = () => page.getByTestId('board-status');
  const portRow = () => page.locator(`[data-testid=port-row][data-port-path="${portPath}"]`);

  const openPage = async (): Promise<Page> => {
    ({ page, errors } = await openWorkbench(browser, host!));
    await showFilesView(page);
    return page;
  };

  /** Boots a fresh virtual board and plugs it in at `portPath`. */
  const plugInBoard = async (): Promise<VirtualBoard> => {
    const board = await VirtualBoard.start({ model: 'usb' });
    boards.push(board);
    await board.exposeOnPty({ path: portPath });
    return board;
  };

  const connectTyped = async (typed: string): Promise<void> => {
    const other = page.locator('.port-other');
    if (!(await other.evaluate((el) => (el as HTMLDetailsElement).open))) await other.locator('summary').click();
    await page.getByTestId('other-port-input').fill(typed);
    await page.getByTestId('other-port-connect').click();
  };

  const dismissToasts = async (): Promise<void> => {
    const close = page.getByTestId('toast').getByRole('button', { name: 'Dismiss' });
    while ((await close.count()) > 0) await close.first().click();
  };

  beforeAll(async () => {
    [host, browser] = await Promise.all([startWebHost({ env: { PINWHEEL_DATA_DIR: dataDir } }), launchBrowser()]);
    await openPage();
  });

  afterAll(async () => {
    await Promise.all(boards.map((b) => b.kill()));
    await browser?.close();
    await host?.stop();
    rmSync(ptyDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('connecting to a port that is not there says what failed and what to do, and nothing spins', async () => {
    const started = Date.now();
    await connectTyped(portPath);
    const toast = page.locator('[data-testid=toast][data-kind=error]');
    await toast.waitFor({ timeout: 5000 });
    expect(Date.now() - started).toBeLessThan(3000);
    await expect(toast.locator('.toast-title').innerText()).resolves.toBe(`Could not connect to ${portPath}`);
    await expect(toast.locator('.toast-detail').innerText()).resolves.toBe(`No port ${portPath}. Is the board plugged in? Pick it again from the port list.`);
    // No advice that belongs to another failure (such as refreshing the file list) under it.
    await expect(toast.locator('.toast-hint').count()).resolves.toBe(0);
    // The failure is settled: no progress card, no spinner, no "connecting" state, and Connect works again.
    await expect(status().getAttribute('data-state')).resolves.toBe('disconnected');
    await expect(page.getByTestId('job').count()).resolves.toBe(0);
    await expect(page.locator('.spinner, .progress.indeterminate').count()).resolves.toBe(0);
    await expect(page.getByTestId('connect-button').getAttribute('aria-disabled')).resolves.toBe('false');
    await expect(page.getByTestId('connection-note').innerText()).resolves.toMatch(/Is the board plugged in\?/);
    await expect(status().getAttribute('title')).resolves.toMatch(/Is the board plugged in\?/);
    // A port that failed is not offered as a board to pick.
    await expect(portRow().count()).resolves.toBe(0);
    await screenshot(page, 'ide-connect-missing-port');
    await dismissToasts();
  });

  it('reconnects by itself when a board is plugged back in at the same port', async () => {
    const first = await plugInBoard();
    await connectTyped(portPath);
    await page.locator('[data-testid=board-status][data-state=connected]').waitFor({ timeout: CONNECT_TIMEOUT_MS });
    await expect(status().innerText()).resolves.toContain(portPath);
    await waitForTerminal(page, '>>> ');
    let before = (await terminalText(page)).length;
    await typeInTerminal(page, 'marker = "first board"; print(marker)\r');
    await waitForTerminal(page, /first board\n>>> $/, { after: before });

    await first.kill();
    await page.locator('[data-testid=board-status][data-state=lost]').waitFor({ timeout: 5000 });
    await expect(page.getByTestId('connection-note').innerText()).resolves.toMatch(/reconnects when it comes back/);
    // The lost board stays in the list, selected, though discovery never listed the pty.
    await expect(portRow().getAttribute('aria-selected')).resolves.toBe('true');
    await screenshot(page, 'ide-board-waiting');

    before = (await terminalText(page)).length;
    const pluggedIn = Date.now();
    await plugInBoard();
    await page.locator('[data-testid=board-status][data-state=connected]').waitFor({ timeout: 15_000 });
    const reconnectedAfterMs = Date.now() - pluggedIn;
    // The host checks the path once a second, then probes the board.
    expect(reconnectedAfterMs).toBeLessThan(8000);
    await page.getByTestId('connection-note').waitFor({ state: 'detached' });
    // The file list and storage are read on reconnect, holding the board (Run waits) for a moment.
    await expect.poll(() => page.getByTestId('run-button').getAttribute('aria-disabled'), { timeout: 5000 }).toBe('false');
    await expect(page.getByTestId('board-version').innerText()).resolves.toMatch(/MicroPython \d+\.\d+/);

    // The terminal talks to the new board: it answers, and knows nothing of the old one's variables.
    await waitForTerminal(page, />>> $/, { after: before });
    before = (await terminalText(page)).length;
    await typeInTerminal(page, 'print("second board", "marker" in globals())\r');
    await waitForTerminal(page, /second board False\n>>> $/, { after: before });
    await screenshot(page, 'ide-board-back');
    expect(errors).toEqual([]);
  });

  it('remembers the last board after Pinwheel restarts and reconnects to it with one click', async () => {
    await page.close({ runBeforeUnload: false });
    await host!.stop();
    host = await startWebHost({ env: { PINWHEEL_DATA_DIR: dataDir } });
    await openPage();

    // Discovery does not list a pty: the remembered board is offered anyway, preselected.
    await portRow().waitFor({ timeout: 5000 });
    await expect(portRow().getAttribute('aria-selected')).resolves.toBe('true');
    await expect(portRow().innerText()).resolves.toMatch(/last used/);
    await expect(portRow().innerText()).resolves.toContain(portPath);
    await expect(page.locator('[data-testid=port-row][data-port-path="virtual:board"]').getAttribute('aria-selected')).resolves.toBe('false');
    await screenshot(page, 'ide-last-board');

    await page.getByTestId('connect-button').click();
    await page.locator('[data-testid=board-status][data-state=connected]').waitFor({ timeout: CONNECT_TIMEOUT_MS });
    await expect(status().innerText()).resolves.toContain(portPath);
    await waitForTerminal(page, '>>> ');
    const before = (await terminalText(page)).length;
    await typeInTerminal(page, 'print("back after a restart")\r');
    await waitForTerminal(page, /back after a restart\n>>> $/, { after: before });
    expect(errors).toEqual([]);
  });
});
