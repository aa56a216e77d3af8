/**
 * Run (F5) on a buffer that was never saved: the board names it in the
 * traceback (`File "main.py", line 3`, not `<stdin>`), and that link leads
 * back to the buffer that was run, even though the board has a main.py of
 * its own that a plain board-path link would open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { dataDirWithBoardFiles } from '../helpers/webHost.js';
import { clickTerminalText, connectVirtualBoard, setEditorText, startWorkbench, terminalText, waitForTerminal, type WorkbenchSession } from './pinwheelPage.js';

const BOARD_MAIN = 'print("the board\'s own main.py")\n';
const FAILING = ['print("about to fail")', 'x = 1', 'y = undefined_name + x', 'print("never")'].join('\n');

describe('a traceback of a buffer run without saving', () => {
  let session: WorkbenchSession;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    const dataDir = dataDirWithBoardFiles({ 'main.py': BOARD_MAIN });
    session = await startWorkbench({ env: { PINWHEEL_DATA_DIR: dataDir } });
    ({ page, errors } = session);
    await connectVirtualBoard(page);
    await waitForTerminal(page, '>>> ');
  });

  afterAll(async () => {
    await session?.stop();
  });

  it('names the buffer, and its link reveals the buffer at that line', async () => {
    const activeTab = () => page.locator('[data-testid=editor-tab][aria-selected=true]');
    await expect(activeTab().getAttribute('data-origin')).resolves.toBe('untitled');
    await setEditorText(page, FAILING);
    const before = (await terminalText(page)).length;
    await page.getByTestId('editor').locator('.view-lines').click();
    await page.keyboard.press('F5');
    const shown = await waitForTerminal(page, /NameError/, { after: before, timeout: 15_000 });
    expect(shown).toMatch(/File "main\.py", line 3, in <module>/);
    expect(shown).not.toContain('<stdin>');
    // Move the cursor away, so the link has to put it back.
    await page.keyboard.press('Control+Home');
    await clickTerminalText(page, 'File "main.py", line 3');
    await expect.poll(() => page.getByTestId('cursor-position').innerText()).toMatch(/^Ln 3,/);
    await expect(activeTab().getAttribute('data-origin')).resolves.toBe('untitled');
    await expect(page.locator('[data-testid=editor-tab][data-path="/main.py"]').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });
});
