/**
 * Two boards in one session, each with its own main.py: the built-in virtual
 * board (A) and a virtual board served on a pseudo-terminal, typed into the
 * port picker as a USB board would be (B). Their tabs are told apart, a save
 * never goes to a board the file is not from without asking, each answer
 * does what it says (checked in the boards' flash folders and the project
 * folder on disk), and a reload keeps every tab's board.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { VirtualBoard } from '../../electron/node/vboard/VirtualBoard.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { TEST_OUTPUT_DIR, startWebHost, type RunningHost } from '../helpers/webHost.js';
import { CONNECT_TIMEOUT_MS, connectOtherPort, connectVirtualBoard, editorText, openWorkbench, setEditorText, showFilesView, waitForTerminal, waitUntil } from './pinwheelPage.js';

const VIRTUAL = 'virtual:board';
const A_MAIN = 'print("main.py of board A")\n';
const B_MAIN = 'print("main.py of board B")\n';

describe('tabs know their board', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-e2e-data-'));
  const ptyDir = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-e2e-dev-'));
  const project = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-e2e-project-'));
  /** Where the web host keeps the built-in virtual board's files. */
  const flashA = path.join(dataDir, 'virtual-board', 'flash');
  const flashB = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-e2e-flash-b-'));
  const portB = path.join(ptyDir, 'ttyACM1');
  let boardB: VirtualBoard | undefined;
  let host: RunningHost | undefined;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];

  const tabOf = (board: string) => page.locator(`[data-testid=editor-tab][data-board="${board}"]`);
  const activeTab = () => page.locator('[data-testid=editor-tab][aria-selected=true]');
  const saveQuestion = () => page.getByTestId('dialog-board-save');
  const mainOn = (flash: string) => readFileSync(path.join(flash, 'main.py'), 'utf8');
  /** The board's flash reaches its folder when the board next syncs: poll for it. */
  const expectMainOn = async (flash: string, text: string) => {
    await waitUntil(`main.py in ${flash} to read ${JSON.stringify(text)}`, async () => mainOn(flash) === text, { timeout: 10_000 });
  };

  /** Crops a part of the window into test-output/, to look at closely. */
  const shoot = async (target: Locator, name: string) => {
    mkdirSync(TEST_OUTPUT_DIR, { recursive: true });
    await target.screenshot({ path: path.join(TEST_OUTPUT_DIR, `${name}.png`) });
  };

  /** Both themes: the window, and a crop of `part`. */
  const shootThemes = async (part: Locator, name: string) => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe(scheme);
      await screenshot(page, `${name}-${scheme}`);
      await shoot(part, `${name}-${scheme}-crop`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  };

  const connectB = () => connectOtherPort(page, portB);

  /** Switches to the built-in board; waits for it by name, since the board before it was "connected" too. */
  const connectA = async () => {
    await showFilesView(page);
    await page.locator(`[data-testid=port-row][data-port-path="${VIRTUAL}"]`).click();
    await page.getByTestId('connect-button').click();
    await page.locator('[data-testid=board-status][data-state=connected]').filter({ hasText: 'Virtual board' }).waitFor({ timeout: CONNECT_TIMEOUT_MS });
  };

  /** Opens /main.py from the connected board's file tree (listed again after each connect). */
  const openMainFromTree = async () => {
    await showFilesView(page);
    const row = page.locator('[data-testid=board-file][data-path="/main.py"]');
    await row.waitFor({ timeout: 10_000 });
    await row.click();
  };

  const pressSave = async (tab: Locator) => {
    await tab.click();
    await page.getByTestId('editor').locator('.view-lines').click();
    await page.keyboard.press('Control+S');
  };

  beforeAll(async () => {
    mkdirSync(path.join(project, 'two-boards-project'));
    mkdirSync(flashA, { recursive: true });
    writeFileSync(path.join(flashA, 'main.py'), A_MAIN);
    writeFileSync(path.join(flashB, 'main.py'), B_MAIN);
    boardB = await VirtualBoard.start({ model: 'usb', flashDir: flashB });
    await boardB.exposeOnPty({ path: portB });
    [host, browser] = await Promise.all([startWebHost({ env: { PINWHEEL_DATA_DIR: dataDir } }), launchBrowser()]);
    ({ page, errors } = await openWorkbench(browser, host));
  });

  afterAll(async () => {
    await boardB?.kill();
    await browser?.close();
    await host?.stop();
    for (const dir of [ptyDir, project, flashB, dataDir]) rmSync(dir, { recursive: true, force: true });
  });

  it("opens each board's main.py in its own tab, and the tabs say which board is whose", async () => {
    // The welcome buffer goes: only the boards' files are open.
    await page.locator('[data-testid=editor-tab][data-origin=untitled] .editor-tab-close').click();
    await connectVirtualBoard(page);
    await openMainFromTree();
    await tabOf(VIRTUAL).waitFor();
    await expect.poll(() => editorText(page)).toBe(A_MAIN);
    await setEditorText(page, 'print("A, edited")');

    await connectB();
    await openMainFromTree();
    // B's /main.py is another file: a tab of its own, not A's tab brought forward.
    await tabOf(portB).waitFor();
    await expect(page.getByTestId('editor-tab').count()).resolves.toBe(2);
    await expect.poll(() => editorText(page)).toBe(B_MAIN);

    await expect(tabOf(VIRTUAL).getByTestId('editor-tab-board').innerText()).resolves.toBe('Virtual board');
    await expect(tabOf(portB).getByTestId('editor-tab-board').innerText()).resolves.toBe('ttyACM1');
    await expect(tabOf(VIRTUAL).getAttribute('data-board-connected')).resolves.toBe('false');
    await expect(tabOf(portB).getAttribute('data-board-connected')).resolves.toBe('true');
    await expect(tabOf(VIRTUAL).getAttribute('title')).resolves.toBe('main.py (/main.py on Virtual board (not connected: saving asks where to save it)) · unsaved changes');
    await expect(tabOf(portB).getAttribute('title')).resolves.toMatch(new RegExp(`^main\\.py \\(/main\\.py on Pseudo-terminal ${portB}.* \\(connected\\)\\)$`));
    // Names stay what they were; the board is each tab's description.
    await expect(tabOf(VIRTUAL).getAttribute('aria-label')).resolves.toBe('main.py board');
    await expect(page.getByRole('tab', { name: 'main.py board', exact: true }).count()).resolves.toBe(2);
    await expect(tabOf(VIRTUAL).getAttribute('aria-description')).resolves.toBe('on Virtual board (not connected: saving asks where to save it)');

    // The status bar names the connected board; for A's tab it also says the tab is not that board's.
    await expect(page.getByTestId('editor-board-elsewhere').count()).resolves.toBe(0);
    await tabOf(VIRTUAL).click();
    await expect(page.getByTestId('editor-board-elsewhere').innerText()).resolves.toBe('Tab from Virtual board');
    await expect(page.getByTestId('board-status').innerText()).resolves.toContain(portB);
    await expect(page.getByTestId('save-button').getAttribute('title')).resolves.toMatch(/^main\.py is from Virtual board, not the connected ttyACM1: Pinwheel asks where to save it/);
    await shootThemes(page.getByTestId('editor').locator('.editor-header'), 'two-boards-tabs');
  });

  it("Ctrl+S on a tab of the board that is not connected asks, and Cancel writes nothing", async () => {
    await tabOf(portB).click();
    await setEditorText(page, 'print("B, edited")');

    await pressSave(tabOf(VIRTUAL));
    await saveQuestion().waitFor();
    await expect(saveQuestion().locator('.dialog-title').innerText()).resolves.toBe('main.py is from another board');
    await expect(saveQuestion().getByTestId('board-question-owner').getAttribute('data-board')).resolves.toBe(VIRTUAL);
    await expect(saveQuestion().getByTestId('board-question-connected').getAttribute('data-board')).resolves.toBe(portB);
    await expect(saveQuestion().innerText()).resolves.toMatch(/Saving to ttyACM1 writes \/main\.py there/);
    await expect(saveQuestion().getByRole('button').allInnerTexts()).resolves.toEqual(['Cancel', 'Save on this computer…', 'Save to ttyACM1']);
    // Enter would cancel: the choice that overwrites another board's file is never the default.
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Cancel');
    await shootThemes(saveQuestion(), 'two-boards-save-question');

    await saveQuestion().getByRole('button', { name: 'Cancel' }).click();
    await saveQuestion().waitFor({ state: 'detached' });
    await expect(tabOf(VIRTUAL).getAttribute('data-dirty')).resolves.toBe('true');
    await page.waitForTimeout(500);
    expect(mainOn(flashA)).toBe(A_MAIN);
    expect(mainOn(flashB)).toBe(B_MAIN);
  });

  it('the tabs still know their boards after the page reloads', async () => {
    await page.evaluate(() => (window as unknown as { pinwheelDebug: { flushDrafts(): Promise<void> } }).pinwheelDebug.flushDrafts());
    page.once('dialog', (d) => void d.accept());
    await page.reload();
    await page.getByTestId('editor').locator('.monaco-editor').waitFor();
    await tabOf(VIRTUAL).waitFor({ timeout: 10_000 });
    await tabOf(portB).waitFor();
    await expect(page.getByTestId('editor-tab').count()).resolves.toBe(2);
    await page.locator('[data-testid=board-status][data-state=connected]').filter({ hasText: portB }).waitFor({ timeout: CONNECT_TIMEOUT_MS });
    await expect(tabOf(VIRTUAL).getByTestId('editor-tab-board').innerText()).resolves.toBe('Virtual board');
    await expect(tabOf(portB).getByTestId('editor-tab-board').innerText()).resolves.toBe('ttyACM1');
    await expect(tabOf(VIRTUAL).getAttribute('data-board-connected')).resolves.toBe('false');
    await tabOf(VIRTUAL).click();
    await expect.poll(() => editorText(page)).toBe('print("A, edited")');
    await tabOf(portB).click();
    await expect.poll(() => editorText(page)).toBe('print("B, edited")');
  });

  it('"Save on this computer…" offers to open a project folder, then saves the tab there', async () => {
    await pressSave(tabOf(VIRTUAL));
    await saveQuestion().getByRole('button', { name: 'Save on this computer…' }).click();
    const noFolder = page.getByTestId('dialog-choice');
    await noFolder.waitFor();
    await expect(noFolder.locator('.dialog-title').innerText()).resolves.toBe('No project folder is open');
    await shoot(noFolder, 'two-boards-no-folder-light-crop');
    await noFolder.getByRole('button', { name: 'Open folder…' }).click();
    const picker = page.getByTestId('dialog-folder');
    // The picker starts in the home folder: once that is listed, go to the project (known by its one folder).
    await picker.getByTestId('folder-item').first().waitFor();
    await picker.getByTestId('folder-path').fill(project);
    await picker.getByRole('button', { name: 'Go', exact: true }).click();
    await expect.poll(() => picker.getByTestId('folder-item').allInnerTexts()).toEqual(['two-boards-project']);
    await picker.getByTestId('folder-open').click();
    const prompt = page.getByTestId('dialog-prompt');
    await prompt.waitFor();
    await expect(prompt.getByTestId('dialog-input').inputValue()).resolves.toBe('main.py');
    await shoot(prompt, 'two-boards-local-path-light-crop');
    await prompt.getByRole('button', { name: 'Save' }).click();

    await expect.poll(() => activeTab().getAttribute('data-origin')).toBe('local');
    await expect(activeTab().getAttribute('data-path')).resolves.toBe('main.py');
    await expect(activeTab().getAttribute('data-board')).resolves.toBeNull();
    await expect(activeTab().getAttribute('data-dirty')).resolves.toBe('false');
    expect(readFileSync(path.join(project, 'main.py'), 'utf8')).toBe('print("A, edited")');
    await page.waitForTimeout(500);
    expect(mainOn(flashA)).toBe(A_MAIN);
    expect(mainOn(flashB)).toBe(B_MAIN);
  });

  it('saves a tab to its own board without asking', async () => {
    await pressSave(tabOf(portB));
    await expect.poll(() => tabOf(portB).getAttribute('data-dirty')).toBe('false');
    await expect(saveQuestion().count()).resolves.toBe(0);
    await expectMainOn(flashB, 'print("B, edited")');
  });

  it('"Save to <connected board>" writes the same path there, and the tab then belongs to that board', async () => {
    await connectA();
    await tabOf(portB).click();
    await setEditorText(page, 'print("from B, saved on A")');
    await pressSave(tabOf(portB));
    await saveQuestion().waitFor();
    await expect(saveQuestion().getByRole('button').allInnerTexts()).resolves.toEqual(['Cancel', 'Save on this computer…', 'Save to Virtual board']);
    await saveQuestion().getByRole('button', { name: 'Save to Virtual board' }).click();
    await expect.poll(() => activeTab().getAttribute('data-board')).toBe(VIRTUAL);
    await expect(activeTab().getAttribute('data-dirty')).resolves.toBe('false');
    await expect(activeTab().getAttribute('data-board-connected')).resolves.toBe('true');
    await expect(activeTab().getByTestId('editor-tab-board').innerText()).resolves.toBe('Virtual board');
    await expectMainOn(flashA, 'print("from B, saved on A")');
    expect(mainOn(flashB)).toBe('print("B, edited")');
  });

  it('with no board connected, saving offers this computer or Cancel', async () => {
    await showFilesView(page);
    await page.getByTestId('disconnect-button').click();
    await page.locator('[data-testid=board-status][data-state=disconnected]').waitFor();
    await setEditorText(page, 'print("written while no board is connected")');
    await expect(page.getByTestId('editor-board-elsewhere').innerText()).resolves.toBe('Tab from Virtual board');
    await pressSave(activeTab());
    await saveQuestion().waitFor();
    await expect(saveQuestion().locator('.dialog-title').innerText()).resolves.toBe('Virtual board is not connected');
    await expect(saveQuestion().getByTestId('board-question-connected').innerText()).resolves.toMatch(/No board/);
    await expect(saveQuestion().getByRole('button').allInnerTexts()).resolves.toEqual(['Cancel', 'Save on this computer…']);
    await shootThemes(saveQuestion(), 'two-boards-no-board');
    await saveQuestion().getByRole('button', { name: 'Cancel' }).click();
    await expect(activeTab().getAttribute('data-dirty')).resolves.toBe('true');
    expect(mainOn(flashA)).toBe('print("from B, saved on A")');
  });

  it('"Save and reset" of a tab from another board asks before writing main.py', async () => {
    await connectB();
    await page.getByTestId('save-reset-button').click();
    await saveQuestion().waitFor();
    await expect(saveQuestion().getByRole('button').allInnerTexts()).resolves.toEqual(['Cancel', 'Save to ttyACM1 and reset']);
    await saveQuestion().getByRole('button', { name: 'Cancel' }).click();
    await page.waitForTimeout(500);
    expect(mainOn(flashB)).toBe('print("B, edited")');

    await page.getByTestId('save-reset-button').click();
    await saveQuestion().getByRole('button', { name: 'Save to ttyACM1 and reset' }).click();
    await waitForTerminal(page, 'written while no board is connected', { timeout: 15_000 });
    await expectMainOn(flashB, 'print("written while no board is connected")');
    await expect.poll(() => activeTab().getAttribute('data-board')).toBe(portB);
    await expect(activeTab().getAttribute('data-dirty')).resolves.toBe('false');
    expect(mainOn(flashA)).toBe('print("from B, saved on A")');
  });

  it('ran without page errors', () => {
    expect(errors).toEqual([]);
  });
});
