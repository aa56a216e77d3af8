/**
 * The editing loop as a newcomer lives it (issue 14), driven by real key
 * presses at a person's pace, not pasted text. One window and one virtual
 * board whose main.py blinks and prints in a loop, as the seeds' boards do;
 * the tests run in order, each leaving the board as the next expects it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from '../helpers/browser.js';
import { dataDirWithBoardFiles } from '../helpers/webHost.js';
import { connectVirtualBoard, doubleClickTerminalText, editorText, showFilesView, startWorkbench, terminalText, waitForTerminal, type WorkbenchSession } from './pinwheelPage.js';

/** About a newcomer's typing speed; the swallowed Enter showed at 150 ms a key. */
const KEY_DELAY_MS = 120;

/** The board's main.py: line 10 is the sleep a Ctrl-C usually lands in. */
const BLINK_MAIN = ['import time', 'from machine import Pin', '', 'led = Pin(2, Pin.OUT)', 'n = 0', '', 'while True:', '    led.value(not led.value())', '    n += 1', '    time.sleep(0.2)', '    print("blink", n)'].join('\n');

describe('the editing loop', () => {
  let session: WorkbenchSession;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    session = await startWorkbench({ env: { PINWHEEL_DATA_DIR: dataDirWithBoardFiles({ 'main.py': BLINK_MAIN }) } });
    ({ page, errors } = session);
  });

  afterAll(async () => {
    await session?.stop();
  });

  const stopButton = () => page.getByTestId('stop-button');
  const runningBadge = () => page.getByTestId('running-indicator');
  const activeTab = () => page.locator('[data-testid=editor-tab][aria-selected=true]');

  it('Enter starts a new line after a word the suggestions offer, and Tab accepts a suggestion', async () => {
    await page.getByTestId('editor').locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    for (const line of ['from machine import Pin', 'import time']) {
      await page.keyboard.type(line, { delay: KEY_DELAY_MS });
      // The suggest widget is usually open here, offering the word just typed.
      await page.keyboard.press('Enter');
    }
    await page.keyboard.type('time.sle', { delay: KEY_DELAY_MS });
    await page.locator('.suggest-widget.visible').getByText('sleep', { exact: true }).waitFor({ timeout: 5000 });
    await screenshot(page, 'editor-typing-suggestion');
    await page.keyboard.press('Tab');
    await expect.poll(() => editorText(page)).toBe('from machine import Pin\nimport time\ntime.sleep');
  });

  it('a main.py started by a reset shows as running, and Shift+F5 stops it', async () => {
    await connectVirtualBoard(page);
    // The status line comes first and one live prompt after it: no dead ">>>" above it.
    const connected = await waitForTerminal(page, /Connected to Virtual board[^\n]*\n>>> $/);
    expect(connected).not.toMatch(/>>> \n[^\n]*Connected to/);
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

    // The board card's Soft reset starts it the same way, and Stop (the toolbar button) ends it.
    const again = (await terminalText(page)).length;
    await page.getByRole('button', { name: 'Soft reset', exact: true }).click();
    await waitForTerminal(page, 'blink 1', { after: again });
    await runningBadge().waitFor({ timeout: 5000 });
    await stopButton().click();
    await waitForTerminal(page, /KeyboardInterrupt: \n[\s\S]*>>> $/, { after: again });
    await runningBadge().waitFor({ state: 'detached', timeout: 5000 });
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
  });

  it('New file lib/util.py while main.py runs: it says first that main.py stops, creates the folder and opens the file', async () => {
    await page.getByTestId('terminal').locator('.xterm').click();
    await page.keyboard.press('Control+D');
    await runningBadge().waitFor({ timeout: 5000 });
    const before = (await terminalText(page)).length;
    await page.getByRole('button', { name: 'New file', exact: true }).click();
    await page.getByTestId('dialog-input').waitFor();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('lib/util.py', { delay: 40 });
    await page.keyboard.press('Enter');
    await expect.poll(() => activeTab().getAttribute('data-path'), { timeout: 10_000 }).toBe('/lib/util.py');
    await page.locator('[data-testid=board-file][data-path="/lib"][data-type=dir]').waitFor();
    await page.locator('[data-testid=board-file][data-path="/lib/util.py"]').waitFor();
    const said = (await terminalText(page)).slice(before);
    // Said before the board stopped: the note comes ahead of the prompt the interrupt leads to.
    expect(said).toMatch(/Stopping the program running on the board: Pinwheel needs the board for checking \/lib\/util\.py\.\n(.*\n)*>>> /);
    await runningBadge().waitFor({ state: 'detached', timeout: 5000 });
    expect(await page.locator('[data-testid=toast][data-kind=error]').count()).toBe(0);
    await screenshot(page, 'new-file-in-folder');
  });

  it('keyboard only: F6 leaves the editor and the terminal, arrows walk the board files, F2 renames, Delete asks with Cancel focused', async () => {
    const focusedIn = () => page.evaluate(() => document.activeElement?.closest('[data-testid=editor], [data-testid=panel], [data-testid=sidebar], [data-testid=activity-bar]')?.getAttribute('data-testid') ?? null);
    const focusedRow = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.path ?? null);
    await page.getByTestId('editor').locator('.monaco-editor .view-lines').click();
    // Tab in the editor indents, as it should; F6 is the way out.
    await page.keyboard.press('F6');
    expect(await focusedIn()).toBe('panel');
    await page.keyboard.press('F6');
    expect(await focusedIn()).toBe('activity-bar');
    await page.keyboard.press('F6');
    expect(await focusedIn()).toBe('sidebar');
    // The board files: the current row is in the Tab order; arrows move and open folders.
    await page.locator('[role=tree][aria-label="Board files"] [role=treeitem][tabindex="0"]').focus();
    await page.keyboard.press('Home');
    expect(await focusedRow()).toBe('/lib');
    await page.keyboard.press('ArrowDown');
    expect(await focusedRow()).toBe('/lib/util.py');
    // The focused row shows its actions.
    await expect.poll(() => page.getByRole('button', { name: 'Rename util.py' }).isVisible()).toBe(true);
    await page.keyboard.press('ArrowLeft');
    expect(await focusedRow()).toBe('/lib');
    await page.keyboard.press('ArrowLeft');
    await page.locator('[data-testid=board-file][data-path="/lib/util.py"]').waitFor({ state: 'detached' });
    await page.keyboard.press('ArrowRight');
    await page.locator('[data-testid=board-file][data-path="/lib/util.py"]').waitFor();
    await page.keyboard.press('End');
    expect(await focusedRow()).toBe('/main.py');
    await page.keyboard.press('Enter');
    await expect.poll(() => activeTab().getAttribute('data-path')).toBe('/main.py');
    await screenshot(page, 'board-files-keyboard');

    // F2: the rename dialog says nothing is wrong before anything was typed.
    await page.locator('[role=treeitem][data-path="/main.py"]').focus();
    await page.keyboard.press('F2');
    await page.getByTestId('dialog-input').waitFor();
    expect((await page.locator('.dialog-problem').textContent())?.trim()).toBe('');
    await page.keyboard.press('Escape');
    await page.getByTestId('dialog-input').waitFor({ state: 'detached' });

    // Delete asks, and Enter there is Cancel: the file stays.
    await page.locator('[role=treeitem][data-path="/main.py"]').focus();
    await page.keyboard.press('Delete');
    const dialog = page.getByTestId('dialog-choice');
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid=board-file][data-path="/main.py"]').count()).toBe(1);

    // Ctrl+M makes Tab leave the editor instead of indenting.
    await page.getByTestId('editor').locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+M');
    await page.keyboard.press('Tab');
    expect(await focusedIn()).not.toBe('editor');
    await page.getByTestId('editor').locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+M');
  });

  it('a failing Run leaves one notice, not a pile, and the next run clears it', async () => {
    await page.locator('[data-testid=editor-tab]').filter({ hasText: 'untitled' }).click();
    await page.getByTestId('editor').locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('print(nmae)', { delay: 30 });
    const errorToasts = page.locator('[data-testid=toast][data-kind=error]');
    for (let run = 1; run <= 3; run++) {
      const before = (await terminalText(page)).length;
      await page.keyboard.press('F5');
      await waitForTerminal(page, /NameError: name 'nmae' isn't defined\n[\s\S]*>>> $/, { after: before });
      await expect.poll(() => errorToasts.count()).toBe(1);
    }
    await screenshot(page, 'run-error-notice');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('print("fixed")', { delay: 30 });
    const before = (await terminalText(page)).length;
    await page.keyboard.press('F5');
    await waitForTerminal(page, 'fixed', { after: before });
    await expect.poll(() => errorToasts.count()).toBe(0);
  });

  it('a mistyped port in Other port… fails without dropping the working board', async () => {
    await showFilesView(page);
    const other = page.locator('.port-other');
    if (!(await other.evaluate((el) => (el as HTMLDetailsElement).open))) await other.locator('summary').click();
    const before = (await terminalText(page)).length;
    await page.getByTestId('other-port-input').click();
    await page.keyboard.type('/dev/ttyUSB9', { delay: 30 });
    await page.keyboard.press('Enter');
    const toast = page.locator('[data-testid=toast][data-kind=error]').filter({ hasText: 'ttyUSB9' });
    await toast.waitFor({ timeout: 10_000 });
    expect(await toast.textContent()).toMatch(/Pinwheel stays connected to Virtual board/);
    await screenshot(page, 'mistyped-port');
    // Still connected to the virtual board, and its REPL answers; nothing said it was disconnected.
    expect(await page.locator('[data-testid=board-status][data-state=connected]').textContent()).toMatch(/Virtual board/);
    await page.getByTestId('terminal').locator('.xterm').click();
    await page.keyboard.type('print(40 + 2)\r', { delay: 20 });
    const text = await waitForTerminal(page, /\n42\n>>> $/, { after: before });
    expect(text).not.toMatch(/disconnected|Board lost/i);
  });

  it('replacing a board file asks first, and open tabs of it follow (reload, or ask when they have edits)', async () => {
    const editorLines = page.getByTestId('editor').locator('.monaco-editor .view-lines');
    const tab = (selector: string) => page.locator(`[data-testid=editor-tab]${selector}`);
    const replaceDialog = page.getByTestId('dialog-replace');
    // (b) An untitled main.py saved with Ctrl+S to /main.py, which exists: asked, and Enter is Cancel.
    await tab('[data-origin=untitled]').click();
    await editorLines.click();
    await page.keyboard.press('Control+S');
    await page.getByTestId('dialog-input').waitFor();
    expect(await page.getByTestId('dialog-input').inputValue()).toBe('/main.py');
    await page.keyboard.press('Enter');
    await replaceDialog.waitFor();
    expect(await replaceDialog.textContent()).toMatch(/\/main\.py is already on Virtual board/);
    await screenshot(page, 'replace-main-question');
    await page.keyboard.press('Enter');
    await replaceDialog.waitFor({ state: 'detached' });
    expect(await tab('[data-origin=untitled]').count()).toBe(1);

    // (a) util.py's tab: the button says it saves as main.py, asks, and the open main.py tab reloads.
    await tab('[data-path="/lib/util.py"]').click();
    await editorLines.click();
    await page.keyboard.type('print("from util")', { delay: 20 });
    const saveReset = page.getByTestId('save-reset-button');
    expect((await saveReset.textContent())?.trim()).toBe('Save as main.py and reset');
    const before = (await terminalText(page)).length;
    await saveReset.click();
    await replaceDialog.waitFor();
    await replaceDialog.getByRole('button', { name: 'Replace' }).click();
    await waitForTerminal(page, /\nfrom util\n/, { after: before, timeout: 15_000 });
    // That main.py ended at once: nothing shows as running.
    await runningBadge().waitFor({ state: 'detached', timeout: 5000 });
    await tab('[data-path="/main.py"][data-origin=board]').click();
    await expect.poll(() => editorText(page)).toBe('print("from util")');
    expect(await tab('[data-path="/main.py"][data-origin=board]').getAttribute('data-dirty')).toBe('false');

    // (c) Uploading util.py into /lib, whose tab has unsaved edits: asked first, then the tab asks which text to keep.
    // The panel says where uploads go: the folder of the selected file.
    await page.locator('[data-testid=board-file][data-path="/main.py"]').click();
    expect(await page.getByTestId('files-target').textContent()).toBe('New files and uploads go to /');
    await page.locator('[data-testid=board-file][data-path="/lib/util.py"]').click();
    expect(await page.getByTestId('files-target').textContent()).toBe('New files and uploads go to /lib');
    await page.getByTestId('upload-input').setInputFiles({ name: 'util.py', mimeType: 'text/x-python', buffer: Buffer.from('VERSION = 2\n') });
    await replaceDialog.waitFor();
    expect(await replaceDialog.textContent()).toMatch(/\/lib\/util\.py is already on Virtual board/);
    await replaceDialog.getByRole('button', { name: 'Replace' }).click();
    const changed = page.getByTestId('dialog-choice').filter({ hasText: 'util.py changed on the board' });
    await changed.waitFor({ timeout: 10_000 });
    await screenshot(page, 'tab-changed-on-board');
    await changed.getByRole('button', { name: "Take the board's text" }).click();
    await expect.poll(() => editorText(page)).toBe('VERSION = 2\n');

    // A deleted file's tab says so, and saving it puts the file back.
    await page.locator('[role=treeitem][data-path="/lib/util.py"]').focus();
    await page.keyboard.press('Delete');
    await page.getByTestId('dialog-choice').getByRole('button', { name: 'Delete' }).click();
    const utilTab = tab('[data-path="/lib/util.py"]');
    await expect.poll(() => utilTab.getAttribute('data-deleted')).toBe('true');
    expect(await utilTab.getAttribute('aria-label')).toBe('util.py deleted');
    await screenshot(page, 'deleted-file-tab');
    await utilTab.click();
    await editorLines.click();
    await page.keyboard.press('Control+S');
    await expect.poll(() => utilTab.getAttribute('data-deleted')).toBe('false');
    await page.locator('[data-testid=board-file][data-path="/lib/util.py"]').waitFor();
  });

  it('at 1024x700, tab names stay whole and status bar items do not overlap', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    try {
      await page.locator('[data-testid=editor-tab][data-path="/main.py"]').click();
      await page.waitForTimeout(300);
      await screenshot(page, 'small-window');
      const names = await page.locator('.editor-tab-name').evaluateAll((els) => els.map((el) => ({ text: el.textContent, cut: el.scrollWidth > el.clientWidth + 1 })));
      expect(names.filter((n) => n.cut)).toEqual([]);
      // Every status item that shows is wholly inside the bar and clear of its neighbours.
      const boxes = await page.locator('.status-bar .status-item').evaluateAll((els) => {
        const bar = document.querySelector('.status-bar')!.getBoundingClientRect();
        return els
          .map((el) => ({ text: (el.textContent ?? '').trim(), r: el.getBoundingClientRect() }))
          .filter(({ r }) => r.width > 0 && r.top < bar.bottom && r.bottom > bar.top)
          .map(({ text, r }) => ({ text, left: r.left, right: r.right, inBar: r.left >= bar.left - 1 && r.right <= bar.right + 1 && r.top >= bar.top - 1 && r.bottom <= bar.bottom + 1 }));
      });
      expect(boxes.filter((b) => !b.inBar)).toEqual([]);
      const sorted = [...boxes].sort((a, b) => a.left - b.left);
      const overlapping = sorted.slice(1).filter((b, i) => b.left < sorted[i]!.right - 1).map((b) => b.text);
      expect(overlapping).toEqual([]);
      // The editor's own items are the ones that stay.
      expect(boxes.some((b) => /^Ln \d+, Col \d+$/.test(b.text))).toBe(true);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('Ctrl+V pastes into the REPL, and Ctrl+C on a selection copies it', async () => {
    await page.evaluate(() => navigator.clipboard.writeText('print(6 * 7)'));
    const before = (await terminalText(page)).length;
    await page.getByTestId('terminal').locator('.xterm').click();
    await page.keyboard.press('Control+V');
    await waitForTerminal(page, 'print(6 * 7)', { after: before });
    await page.keyboard.press('Enter');
    await waitForTerminal(page, /\n42\n>>> $/, { after: before });
    await page.keyboard.type('print("selectme")\r', { delay: 20 });
    await waitForTerminal(page, /\nselectme\n>>> $/, { after: before });
    const typedAt = (await terminalText(page)).length;
    await doubleClickTerminalText(page, 'selectme');
    await page.keyboard.press('Control+C');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('selectme');
    // The copy sent no interrupt: the board printed nothing (no KeyboardInterrupt, no new prompt).
    await page.waitForTimeout(300);
    expect((await terminalText(page)).slice(typedAt)).toBe('');
    expect(await page.getByTestId('terminal').getAttribute('title')).toMatch(/Ctrl\+C copies .*Ctrl\+V pastes/);
  });

  it('with no board connected, code can still be written and kept: Save offers a draft or this computer', async () => {
    await showFilesView(page);
    await page.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await page.locator('[data-testid=board-status][data-state=disconnected]').waitFor();
    // The board's last prompt is not left behind as if the REPL were still there.
    await waitForTerminal(page, /selectme\nBoard disconnected\.$/);
    const untitled = page.locator('[data-testid=editor-tab][data-origin=untitled]').first();
    await untitled.click();
    await page.getByTestId('editor').locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('print("written before the board")', { delay: 20 });
    expect(await page.getByTestId('save-button').getAttribute('aria-disabled')).toBe('false');
    await page.keyboard.press('Control+S');
    const dialog = page.getByTestId('dialog-no-board');
    await dialog.waitFor();
    await screenshot(page, 'save-without-board');
    await dialog.getByRole('button', { name: 'Keep as draft' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Kept in its tab, unsaved (the draft keeper holds it across restarts).
    expect(await untitled.getAttribute('data-dirty')).toBe('true');
    expect(await editorText(page)).toBe('print("written before the board")');
    expect(errors).toEqual([]);
  });
});
