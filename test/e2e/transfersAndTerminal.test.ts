/**
 * The rest of the file manager and terminal on the built-in virtual board:
 * cancelling a long upload leaves the board's old file as it was; an action
 * on a file that vanished from the board says so; and the terminal's clear
 * and copy buttons. One host and one page for the file.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from '../helpers/browser.js';
import { connectVirtualBoard, doubleClickTerminalText, startWorkbench, terminalText, typeInTerminal, waitForTerminal, type WorkbenchSession } from './pinwheelPage.js';

/** Big enough that the upload takes seconds on the virtual board (random bytes do not compress). */
const LARGE_UPLOAD_BYTES = 320 * 1024;
/** Cancel once this share of the upload is done: mid-way, well before the end. */
const CANCEL_AT_PERCENT = 10;

describe('transfers, file errors and the terminal on the virtual board', () => {
  let session: WorkbenchSession;
  let page: Page;
  let errors: string[];

  const boardFile = (path: string) => page.locator(`[data-testid=board-file][data-path="${path}"]`);
  const toast = (text: RegExp) => page.getByTestId('toast').filter({ hasText: text });

  /** Runs one line in the REPL and returns what it printed. */
  const repl = async (line: string): Promise<string> => {
    const before = (await terminalText(page)).length;
    await typeInTerminal(page, `${line}\r`);
    const seen = await waitForTerminal(page, /\n>>> $/, { after: before });
    return seen.slice(seen.indexOf('\n') + 1, seen.lastIndexOf('\n'));
  };

  const download = async (path: string): Promise<Buffer> => {
    await boardFile(path).hover();
    const [file] = await Promise.all([page.waitForEvent('download'), boardFile(path).getByTestId('download-file').click()]);
    return readFile(await file.path());
  };

  const dismissToasts = async (): Promise<void> => {
    const close = page.getByTestId('toast').getByRole('button', { name: 'Dismiss' });
    while ((await close.count()) > 0) await close.first().click();
  };

  beforeAll(async () => {
    session = await startWorkbench();
    ({ page, errors } = session);
    await connectVirtualBoard(page);
    await waitForTerminal(page, '>>> ');
  });

  afterAll(async () => {
    await session?.stop();
  });

  it('cancelling a long upload mid-way keeps the old file and leaves no temporary file', async () => {
    const oldContent = Buffer.from('version 1: the file as it was before the big upload\n');
    await page.getByTestId('upload-input').setInputFiles({ name: 'firmware.bin', mimeType: 'application/octet-stream', buffer: oldContent });
    await toast(/Uploaded firmware\.bin/).waitFor({ timeout: 10_000 });
    await expect(boardFile('/firmware.bin').locator('.tree-size').innerText()).resolves.toBe(`${oldContent.length} B`);
    await dismissToasts();

    await page.getByTestId('upload-input').setInputFiles({ name: 'firmware.bin', mimeType: 'application/octet-stream', buffer: randomBytes(LARGE_UPLOAD_BYTES) });
    // Replacing a file that is on the board asks first.
    await page.getByTestId('dialog-replace').getByRole('button', { name: 'Replace' }).click();
    const job = page.getByTestId('job').filter({ hasText: /Uploading firmware\.bin/ });
    await job.waitFor({ timeout: 5000 });
    const bar = job.getByRole('progressbar');
    await expect.poll(async () => Number((await bar.getAttribute('aria-valuenow')) ?? 0), { timeout: 15_000, interval: 50 }).toBeGreaterThanOrEqual(CANCEL_AT_PERCENT);
    const percentAtCancel = Number(await bar.getAttribute('aria-valuenow'));
    expect(percentAtCancel).toBeLessThan(90);
    await screenshot(page, 'ide-upload-progress');
    const cancelledAt = Date.now();
    await job.getByTestId('job-cancel').click();

    await job.waitFor({ state: 'detached', timeout: 5000 });
    expect(Date.now() - cancelledAt).toBeLessThan(3000);
    await toast(/Cancelled: upload firmware\.bin/).waitFor({ timeout: 5000 });
    await screenshot(page, 'ide-upload-cancelled');
    // The board finishes the abort (drops the temporary file) and is free again soon: no endless "busy".
    await page.getByTestId('board-busy').waitFor({ state: 'detached', timeout: 5000 });
    await page.getByTestId('terminal-busy').waitFor({ state: 'detached', timeout: 1000 });
    console.info(`upload cancelled at ${percentAtCancel}%; the board was free again ${Date.now() - cancelledAt} ms after Cancel`);
    await expect(toast(/Uploaded firmware\.bin/).count()).resolves.toBe(0);
    await expect(page.locator('[data-testid=toast][data-kind=error]').count()).resolves.toBe(0);

    // The tree is listed again from the board: the old file with its old size, and nothing half-written beside it.
    await page.getByRole('button', { name: "Refresh the board's files" }).click();
    await expect.poll(() => boardFile('/firmware.bin').locator('.tree-size').innerText()).toBe(`${oldContent.length} B`);
    const listed = await page.getByTestId('board-file').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-path')));
    expect(listed.filter((p) => p?.includes('firmware'))).toEqual(['/firmware.bin']);
    await expect(download('/firmware.bin')).resolves.toEqual(oldContent);

    // The board itself agrees, and its REPL works as before.
    await expect(repl('import os; print(sorted(n for n in os.listdir("/") if "firmware" in n))')).resolves.toBe("['firmware.bin']");
    await expect(repl('print(open("/firmware.bin").read().strip())')).resolves.toBe('version 1: the file as it was before the big upload');
    await dismissToasts();
  });

  it('an action on a file that vanished from the board says which file and what to do, and the tree catches up', async () => {
    /** Uploads a file, then deletes it from the REPL: the tree, not told, still shows it. */
    const ghost = async (name: string): Promise<void> => {
      await page.getByTestId('upload-input').setInputFiles({ name, mimeType: 'text/x-python', buffer: Buffer.from('print("boo")\n') });
      await boardFile(`/${name}`).waitFor({ timeout: 10_000 });
      await dismissToasts();
      await repl(`os.remove("/${name}")`);
      await expect(boardFile(`/${name}`).count()).resolves.toBe(1);
    };
    const errorToast = (title: string) => page.locator('[data-testid=toast][data-kind=error]').filter({ hasText: title });

    await ghost('ghost.py');
    await boardFile('/ghost.py').click();
    const openError = errorToast('Could not open /ghost.py from the board');
    await openError.waitFor({ timeout: 5000 });
    await expect(openError.locator('.toast-detail').innerText()).resolves.toBe('No such file or folder on the board: /ghost.py');
    await expect(openError.locator('.toast-hint').innerText()).resolves.toMatch(/no longer on the board.*The file list now shows what is there/);
    await boardFile('/ghost.py').waitFor({ state: 'detached', timeout: 5000 });
    await expect(page.locator('[data-testid=editor-tab][data-path="/ghost.py"]').count()).resolves.toBe(0);
    await expect(page.getByTestId('job').count()).resolves.toBe(0);
    await screenshot(page, 'ide-missing-file');
    await dismissToasts();

    await ghost('phantom.py');
    await boardFile('/phantom.py').hover();
    await boardFile('/phantom.py').getByTestId('delete-file').click();
    await page.getByTestId('dialog-choice').getByRole('button', { name: 'Delete' }).click();
    const deleteError = errorToast('Could not delete /phantom.py');
    await deleteError.waitFor({ timeout: 5000 });
    await expect(deleteError.locator('.toast-detail').innerText()).resolves.toBe('No such file or folder on the board: /phantom.py');
    await boardFile('/phantom.py').waitFor({ state: 'detached', timeout: 5000 });
    await expect(page.getByTestId('job').count()).resolves.toBe(0);
    await expect(boardFile('/firmware.bin').count()).resolves.toBe(1);
    await dismissToasts();
  });

  it('copies the terminal: everything when nothing is selected, else the selection', async () => {
    await repl('print("copy" + "able", 6 * 7)');
    await page.getByTestId('terminal-copy').click();
    await toast(/Copied the terminal text/).waitFor();
    const everything = await page.evaluate(() => navigator.clipboard.readText());
    expect(everything).toContain('copyable 42');
    expect(everything).toContain(">>> print(\"copy\" + \"able\", 6 * 7)");
    expect(everything.trimEnd()).toBe((await terminalText(page)).trimEnd());

    await repl('print("zebra" + "crossing")');
    // A double click selects one word, as in any terminal.
    await doubleClickTerminalText(page, 'zebracrossing');
    await page.getByTestId('terminal-copy').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('zebracrossing');
    await dismissToasts();
  });

  it('clears the terminal and keeps the REPL working', async () => {
    await expect(terminalText(page)).resolves.toMatch(/zebracrossing/);
    await page.getByTestId('terminal-clear').click();
    // xterm keeps the line the cursor is on: the prompt stays, everything above it goes.
    await expect.poll(() => terminalText(page)).toBe('>>> ');
    await expect(repl('print("after clear", 2 + 2)')).resolves.toBe('after clear 4');
    await expect(terminalText(page)).resolves.toBe('>>> print("after clear", 2 + 2)\nafter clear 4\n>>> ');
    await screenshot(page, 'ide-terminal-cleared');
  });

  it('ran without page errors', () => {
    expect(errors).toEqual([]);
  });
});
