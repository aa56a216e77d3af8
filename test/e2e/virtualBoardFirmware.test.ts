/**
 * Choosing the built-in virtual board's firmware in the Boards view: the
 * 1.9-minimal board is a MicroPython 1.9.3 board to the whole IDE, and going
 * back to the ESP32 brings back the ESP32 and its files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from '../helpers/browser.js';
import { CONNECT_TIMEOUT_MS, editorText, setEditorText, showFilesView, startWorkbench, terminalText, typeInTerminal, waitForTerminal, type WorkbenchSession } from './pinwheelPage.js';

describe('the virtual board firmware picker', () => {
  let session: WorkbenchSession;
  let page: Page;
  let errors: string[];

  const firmware = () => page.getByLabel('Virtual board firmware');
  const virtualRow = () => page.locator('[data-testid=port-row][data-port-path="virtual:board"]');
  const status = () => page.getByTestId('board-status');

  beforeAll(async () => {
    session = await startWorkbench();
    ({ page, errors } = session);
    await showFilesView(page);
  });

  afterAll(async () => {
    await session?.stop();
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

  it('on the 1.9 board the editor saves main.py, the file tree lists it, opens it again and deletes it', async () => {
    const activeTab = () => page.locator('[data-testid=editor-tab][aria-selected=true]');
    const boardFile = (path: string) => page.locator(`[data-testid=board-file][data-path="${path}"]`);
    const program = 'print("saved on a 1.9 board")\n';
    await setEditorText(page, program);
    await page.keyboard.press('Control+S');
    const dialog = page.getByTestId('dialog-prompt');
    await dialog.waitFor();
    await expect(dialog.getByTestId('dialog-input').inputValue()).resolves.toBe('/main.py');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => activeTab().getAttribute('data-path'), { timeout: 15_000 }).toBe('/main.py');
    await expect(activeTab().getAttribute('data-dirty')).resolves.toBe('false');
    await boardFile('/main.py').waitFor({ timeout: 10_000 });
    // A flat filesystem: no "New folder" to press and fail.
    await expect(page.getByRole('button', { name: 'New folder' }).isDisabled()).resolves.toBe(true);
    await expect(boardFile('/main.py').locator('.tree-size').innerText()).resolves.toBe(`${program.length} B`);
    // The board itself has it under its flat name.
    const before = (await terminalText(page)).length;
    await typeInTerminal(page, 'import os; print(os.listdir(), os.size("main.py"))\r');
    await waitForTerminal(page, `['main.py'] ${program.length}`, { after: before });
    await screenshot(page, 'vboard-1.9-saved');

    await page.getByTestId('editor-tab').filter({ hasText: 'main.py' }).getByRole('button', { name: /Close/ }).click();
    await boardFile('/main.py').click();
    await expect.poll(() => activeTab().getAttribute('data-path'), { timeout: 10_000 }).toBe('/main.py');
    await expect(editorText(page)).resolves.toBe(program);

    await boardFile('/main.py').hover();
    await boardFile('/main.py').getByTestId('delete-file').click();
    await page.getByTestId('dialog-choice').getByRole('button', { name: 'Delete' }).click();
    await boardFile('/main.py').waitFor({ state: 'detached', timeout: 10_000 });
    await expect(page.locator('[data-testid=toast][data-kind=error]').count()).resolves.toBe(0);
  });

  it('switches back while connected: the board restarts as the ESP32 and is connected again', async () => {
    await firmware().selectOption('esp32');
    await page.waitForFunction(() => document.querySelector('[data-testid=vboard-firmware]:not([disabled])') !== null, undefined, { timeout: CONNECT_TIMEOUT_MS });
    await page.locator('[data-testid=board-status][data-state=connected]').waitFor({ timeout: CONNECT_TIMEOUT_MS });
    const before = (await terminalText(page)).length;
    await typeInTerminal(page, 'import os; os.uname().release\r');
    await waitForTerminal(page, /'1\.2\d\.\d+'/, { after: before });
    await expect(page.getByRole('button', { name: 'New folder' }).isDisabled()).resolves.toBe(false);
    expect(errors).toEqual([]);
  });
});
