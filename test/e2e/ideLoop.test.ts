/**
 * The IDE loop as a person goes through it, in the web host against the
 * built-in virtual board: connect, write main.py that blinks the LED and
 * prints, save it, run it, stop it, reset and see it run at boot, watch the
 * LED, use the REPL, manage the board's files, and keep unsaved work.
 * One host and one page for the whole file: each step builds on the last.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from '../helpers/browser.js';
import { PackageIndexServer } from '../support/PackageIndexServer.js';
import { clickTerminalText, connectVirtualBoard, editorText, paste, setEditorText, showFilesView, startWorkbench, terminalText, typeInTerminal, waitForTerminal, type WorkbenchSession } from './pinwheelPage.js';

const BLINK = [
  'from machine import Pin',
  'import time',
  'led = Pin(2, Pin.OUT)',
  'n = 0',
  'while True:',
  '    led.value(n % 2)',
  '    print("tick", n)',
  '    n += 1',
  '    time.sleep(0.15)',
].join('\n');

const BOOT_MAIN = ['from machine import Pin', 'import time', 'print("main.py started at boot")', 'led = Pin(2, Pin.OUT)', 'while True:', '    led.value(not led.value())', '    time.sleep(0.2)'].join('\n');

const FAILING_MAIN = ['print("about to fail")', 'x = 1', 'y = undefined_name + x', 'print("never")'].join('\n');

describe('the IDE loop on the virtual board', () => {
  let session: WorkbenchSession;
  let page: Page;
  let errors: string[];

  const status = () => page.getByTestId('board-status');
  const led = () => page.getByTestId('vboard-led');
  const activeTab = () => page.locator('[data-testid=editor-tab][aria-selected=true]');
  const boardFile = (path: string) => page.locator(`[data-testid=board-file][data-path="${path}"]`);

  /** Typing `machine.Pi` in a fresh buffer offers `Pin` in Monaco's suggest widget. */
  const expectPinCompletion = async () => {
    await setEditorText(page, 'import machine\n');
    await page.keyboard.press('Control+End');
    // The list is virtualised and alphabetical: narrow it so Pin is among the rows drawn.
    await page.keyboard.type('machine.Pi');
    await page.locator('.suggest-widget.visible').getByText('Pin', { exact: true }).waitFor({ timeout: 5000 });
    await page.keyboard.press('Escape');
  };

  beforeAll(async () => {
    session = await startWorkbench();
    ({ page, errors } = session);
  });

  afterAll(async () => {
    await session?.stop();
  });

  it('completes MicroPython names from the bundled list before any board is connected', async () => {
    await expect(status().getAttribute('data-state')).resolves.toBe('disconnected');
    await expect(page.getByTestId('run-button').getAttribute('aria-disabled')).resolves.toBe('true');
    await expect(page.getByTestId('run-button').getAttribute('title')).resolves.toMatch(/connect a board/i);
    await expectPinCompletion();
  });

  it('connects to the virtual board from the port picker and shows it in the status bar', async () => {
    const rows = page.getByTestId('port-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    await expect(page.locator('[data-testid=port-row][data-port-path="virtual:board"]').innerText()).resolves.toMatch(/Virtual board/);
    await connectVirtualBoard(page);
    const bar = page.getByTestId('status-bar');
    await expect(status().innerText()).resolves.toMatch(/Virtual board/);
    await expect(bar.getByTestId('board-version').innerText()).resolves.toMatch(/MicroPython \d+\.\d+/);
    await expect(bar.getByTestId('board-machine').innerText()).resolves.toMatch(/ESP32/);
    await expect(bar.getByTestId('board-memory').innerText()).resolves.toMatch(/\d+(\.\d+)? (KB|MB) free/);
    await expect(bar.getByTestId('board-storage').innerText()).resolves.toMatch(/\d+(\.\d+)? (KB|MB) free/);
    await page.getByTestId('board-card').waitFor();
    await page.getByTestId('storage-bar').waitFor();
    // The Wi-Fi a program joins on the virtual board (network.WLAN), so code for a real board runs unchanged.
    await expect(page.getByTestId('board-card').getByLabel('Virtual Wi-Fi').innerText()).resolves.toBe('Wi-Fi Pinwheel, password micropython');
    await waitForTerminal(page, '>>> ');
  });

  it('completes members the board itself reports: machine. lists Pin', async () => {
    await expectPinCompletion();
  });

  it('saves a new main.py that blinks the LED to the board, asking for the path', async () => {
    await setEditorText(page, BLINK);
    await expect(activeTab().getAttribute('data-dirty')).resolves.toBe('true');
    await expect(activeTab().getAttribute('data-origin')).resolves.toBe('untitled');
    await page.keyboard.press('Control+S');
    const dialog = page.getByTestId('dialog-prompt');
    await dialog.waitFor();
    await expect(dialog.getByTestId('dialog-input').inputValue()).resolves.toBe('/main.py');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => activeTab().getAttribute('data-path')).toBe('/main.py');
    await expect(activeTab().getAttribute('data-origin')).resolves.toBe('board');
    await expect(activeTab().getAttribute('data-dirty')).resolves.toBe('false');
    await boardFile('/main.py').waitFor();
    await expect(boardFile('/main.py').innerText()).resolves.toMatch(/\d+ B/);
  });

  it('runs the buffer with F5: output streams into the terminal and the LED blinks', async () => {
    const before = (await terminalText(page)).length;
    await page.getByTestId('editor').locator('.view-lines').click();
    await page.keyboard.press('F5');
    await page.getByTestId('running-indicator').waitFor();
    await waitForTerminal(page, /tick 3/, { after: before });
    // The LED follows the program: seen both lit and dark while it runs.
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          seen.add((await led().getAttribute('data-on')) ?? '');
          return seen.size;
        },
        { timeout: 5000, interval: 40 },
      )
      .toBe(2);
    await expect(page.getByTestId('vboard-pin-2').isVisible()).resolves.toBe(true);
    await screenshot(page, 'ide-running');
  });

  it('stops the program with the Stop button', async () => {
    await page.getByTestId('stop-button').click();
    await page.getByTestId('running-indicator').waitFor({ state: 'detached', timeout: 10_000 });
    await waitForTerminal(page, /KeyboardInterrupt|was stopped/);
    const after = (await terminalText(page)).length;
    await page.waitForTimeout(500);
    expect((await terminalText(page)).slice(after)).not.toMatch(/tick/);
  });

  it('Shift+F5 stops a program started with F5', async () => {
    await page.getByTestId('editor').locator('.view-lines').click();
    await page.keyboard.press('F5');
    await page.getByTestId('running-indicator').waitFor();
    await page.keyboard.press('Shift+F5');
    await page.getByTestId('running-indicator').waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('"Save and reset" writes main.py and the board runs it at boot', async () => {
    await setEditorText(page, BOOT_MAIN);
    await expect(activeTab().getAttribute('data-dirty')).resolves.toBe('true');
    const before = (await terminalText(page)).length;
    await page.getByTestId('save-reset-button').click();
    await waitForTerminal(page, 'main.py started at boot', { after: before, timeout: 15_000 });
    await expect(activeTab().getAttribute('data-dirty')).resolves.toBe('false');
    // main.py keeps toggling the LED after the boot.
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          seen.add((await led().getAttribute('data-on')) ?? '');
          return seen.size;
        },
        { timeout: 5000, interval: 40 },
      )
      .toBe(2);
    await screenshot(page, 'ide-boot');
  });

  it('Ctrl-C in the terminal interrupts main.py and returns to the prompt', async () => {
    const before = (await terminalText(page)).length;
    await page.getByTestId('terminal').locator('.xterm').click();
    await page.keyboard.press('Control+C');
    await waitForTerminal(page, /KeyboardInterrupt[\s\S]*>>> $/, { after: before });
  });

  it('pastes multi-line code into the REPL in paste mode and runs it', async () => {
    const before = (await terminalText(page)).length;
    await page.getByTestId('terminal').locator('.xterm').click();
    await paste(page.getByTestId('terminal'), 'def seven(x):\n    return x * 7\n\nprint("pasted", seven(6))\n');
    await waitForTerminal(page, /pasted 42/, { after: before });
  });

  it('plots the numbers a program prints beside the terminal: pause holds the picture, export saves every sample', async () => {
    await page.getByRole('button', { name: 'Plotter', exact: true }).click();
    const plotter = page.getByRole('region', { name: 'Plotter' });
    await plotter.getByRole('img', { name: 'Plot: no numbers printed yet' }).waitFor();
    const before = (await terminalText(page)).length;
    // The REPL's echo (">>> for ...", "... ") is not plotted; the lines the loop prints are.
    await page.getByTestId('terminal').locator('.xterm').click();
    await paste(page.getByTestId('terminal'), "for i in range(20):\n    print('t=%d h=%d' % (20 + i % 5, 40 - i))\n\n");
    await waitForTerminal(page, /t=24 h=21/, { after: before });
    await plotter.getByRole('img', { name: 'Plot of t, h: 20 samples from 20 to 40' }).waitFor();
    await expect(plotter.getByLabel('Series').innerText()).resolves.toMatch(/t\s+h/);
    await screenshot(page, 'plotter');

    await plotter.getByRole('button', { name: 'Pause' }).click();
    await page.getByTestId('terminal').locator('.xterm').click();
    await paste(page.getByTestId('terminal'), "for i in range(5):\n    print(i, i * i)\n\n");
    await waitForTerminal(page, /4 16/, { after: before });
    await new Promise((r) => setTimeout(r, 400));
    await plotter.getByRole('img', { name: 'Plot of t, h: 20 samples from 20 to 40' }).waitFor();
    await plotter.getByRole('button', { name: 'Resume' }).click();
    await plotter.getByRole('img', { name: 'Plot of t, h, 1, 2: 25 samples from 0 to 40' }).waitFor();

    const download = page.waitForEvent('download');
    await plotter.getByRole('button', { name: 'Export plot as CSV' }).click();
    const csv = await readFile(await (await download).path(), 'utf8');
    const rows = csv.trim().split('\n');
    expect(rows[0]).toBe('time,t,h,1,2');
    expect(rows).toHaveLength(26);
    expect(rows[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z,20,40,,$/);
    expect(rows[25]).toMatch(/,,,4,16$/);
    await plotter.getByRole('button', { name: 'Clear plot' }).click();
    await plotter.getByRole('img', { name: 'Plot: no numbers printed yet' }).waitFor();
    await page.getByRole('button', { name: 'Plotter', exact: true }).click();
    await expect(plotter.count()).resolves.toBe(0);
  });

  it("says why a program's connection to the internet failed, and lets the user allow it", async () => {
    const before = (await terminalText(page)).length;
    await page.getByTestId('terminal').locator('.xterm').click();
    await paste(
      page.getByTestId('terminal'),
      "import network, socket, time\nw = network.WLAN(network.STA_IF)\nw.active(True)\nw.connect('Pinwheel', 'micropython')\nwhile not w.isconnected():\n    time.sleep_ms(50)\n\ntry:\n    socket.socket().connect(('198.51.100.7', 1883))\nexcept OSError as e:\n    print('refused', e)\n\n",
    );
    await waitForTerminal(page, /refused \[Errno 118\] EHOSTUNREACH/, { after: before, timeout: 15_000 });
    await page.getByText("The virtual board's program could not reach 198.51.100.7:1883").waitFor();
    const allow = page.getByRole('checkbox', { name: 'Programs on it may reach the internet' });
    await expect(allow.isChecked()).resolves.toBe(false);
    await allow.check();
    await expect.poll(() => allow.isChecked()).toBe(true);
    await screenshot(page, 'vboard-network');
    await allow.uncheck();
    await expect.poll(() => allow.isChecked()).toBe(false);
  });

  it('installs a library to /lib from the board card, and says plainly when a package does not exist', async () => {
    const index = await new PackageIndexServer({
      'umqtt.simple': { version: '1.4.0', files: { 'umqtt/simple.py': readFileSync(new URL('../support/boardPython/tinymqtt.py', import.meta.url), 'utf8') } },
    }).start();
    try {
      const card = page.getByTestId('board-card');
      await card.getByText('Libraries', { exact: false }).first().click();
      await card.getByText('Nothing in /lib yet.').waitFor();
      await card.getByText('Package index').click();
      await card.getByLabel('Package index URL').fill(index.url);
      await card.getByLabel('Package to install').fill('nosuch');
      await card.getByRole('button', { name: 'Install' }).click();
      await card.getByRole('alert').getByText(`The package index (${index.url}) has no package named "nosuch".`).waitFor();
      await card.getByLabel('Package to install').fill('umqtt.simple');
      await card.getByRole('button', { name: 'Install' }).click();
      await card.getByRole('status', { name: 'Install result' }).getByText(/Installed umqtt\.simple 1\.4\.0 to \/lib \(1 file/).waitFor({ timeout: 30_000 });
      await card.getByRole('list', { name: 'Installed in /lib' }).getByText('umqtt/').waitFor();
      await screenshot(page, 'board-card-libraries');
      const before = (await terminalText(page)).length;
      await page.getByTestId('terminal').locator('.xterm').click();
      await typeInTerminal(page, 'from umqtt.simple import MQTTClient; print("imported", MQTTClient.__name__)\r');
      await waitForTerminal(page, /imported MQTTClient/, { after: before });
      await card.getByText('Libraries', { exact: false }).first().click();
    } finally {
      await index.stop();
    }
  });

  it('keeps the board REPL history: up arrow repeats the last line', async () => {
    const before = (await terminalText(page)).length;
    await typeInTerminal(page, 'print("history", 6 * 7)\r');
    await waitForTerminal(page, /history 42/, { after: before });
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expect.poll(async () => ((await terminalText(page)).slice(before).match(/history 42/g) ?? []).length, { timeout: 5000 }).toBe(2);
  });

  it('makes a traceback line a link that opens the file at that line', async () => {
    await setEditorText(page, FAILING_MAIN);
    await page.keyboard.press('Control+S');
    await expect.poll(() => activeTab().getAttribute('data-dirty')).toBe('false');
    // Close the tab so the link has to open the file from the board.
    await page.locator('[data-testid=editor-tab][data-path="/main.py"] .editor-tab-close').click();
    await expect.poll(() => page.locator('[data-testid=editor-tab][data-path="/main.py"]').count()).toBe(0);
    const before = (await terminalText(page)).length;
    await page.getByTestId('soft-reset-button').click();
    await waitForTerminal(page, /File "main.py", line 3/, { after: before, timeout: 15_000 });
    await clickTerminalText(page, 'File "main.py", line 3');
    await expect.poll(() => activeTab().getAttribute('data-path'), { timeout: 10_000 }).toBe('/main.py');
    await expect.poll(() => page.getByTestId('cursor-position').innerText()).toMatch(/^Ln 3,/);
    await screenshot(page, 'ide-traceback');
  });

  it('uploads a file from the computer, downloads it back and deletes it', async () => {
    const content = Buffer.from('# uploaded by the e2e test\nprint("hello from data.py")\n');
    await page.getByTestId('upload-input').setInputFiles({ name: 'data.py', mimeType: 'text/x-python', buffer: content });
    await boardFile('/data.py').waitFor({ timeout: 10_000 });
    await expect(boardFile('/data.py').locator('.tree-size').innerText()).resolves.toBe(`${content.length} B`);

    await boardFile('/data.py').hover();
    const [download] = await Promise.all([page.waitForEvent('download'), boardFile('/data.py').getByTestId('download-file').click()]);
    expect(download.suggestedFilename()).toBe('data.py');
    const file = await download.path();
    await expect(readFile(file)).resolves.toEqual(content);

    await boardFile('/data.py').hover();
    await boardFile('/data.py').getByTestId('delete-file').click();
    const confirm = page.getByTestId('dialog-choice');
    await confirm.waitFor();
    await expect(confirm.innerText()).resolves.toMatch(/cannot be undone/);
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await boardFile('/data.py').waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('uploads files dropped on the tree', async () => {
    await page.getByTestId('board-drop-zone').evaluate((zone) => {
      const data = new DataTransfer();
      data.items.add(new File(['print("dropped")\n'], 'dropped.py', { type: 'text/x-python' }));
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await boardFile('/dropped.py').waitFor({ timeout: 10_000 });
  });

  it('shows the terminal waiting while a transfer holds the board, then the same prompt', async () => {
    await page.evaluate(() => {
      const w = window as unknown as { busySeen: boolean };
      w.busySeen = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid=terminal-busy]')) w.busySeen = true;
      }).observe(document.body, { subtree: true, childList: true });
    });
    // Random bytes do not compress, so the transfer takes long enough to watch.
    await page.getByTestId('upload-input').setInputFiles({ name: 'blob.bin', mimeType: 'application/octet-stream', buffer: randomBytes(384 * 1024) });
    await boardFile('/blob.bin').waitFor({ timeout: 30_000 });
    await expect(page.evaluate(() => (window as unknown as { busySeen: boolean }).busySeen)).resolves.toBe(true);
    await page.getByTestId('terminal-busy').waitFor({ state: 'detached' });
    const before = (await terminalText(page)).length;
    await typeInTerminal(page, 'print("back at the prompt")\r');
    await waitForTerminal(page, /back at the prompt\n>>> $/, { after: before });
    await screenshot(page, 'ide-files');
  });

  it('opens a project folder, edits a local file, uploads it and syncs only what changed', async () => {
    const project = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-project-'));
    mkdirSync(path.join(project, 'lib'));
    writeFileSync(path.join(project, 'app.py'), 'print("app")\n');
    writeFileSync(path.join(project, 'lib', 'helper.py'), 'VALUE = 1\n');

    await page.getByTestId('open-folder-button').click();
    const picker = page.getByTestId('dialog-folder');
    await picker.getByTestId('folder-item').first().waitFor();
    await picker.getByTestId('folder-path').fill(project);
    await picker.getByRole('button', { name: 'Go', exact: true }).click();
    await expect.poll(() => picker.getByTestId('folder-item').allInnerTexts()).toEqual(['lib']);
    await screenshot(page, 'ide-folder-picker');
    await picker.getByTestId('folder-open').click();
    const localFile = (p: string) => page.locator(`[data-testid=local-file][data-path="${p}"]`);
    await localFile('app.py').waitFor();
    await localFile('lib/helper.py').waitFor();

    await localFile('app.py').click();
    await expect.poll(() => activeTab().getAttribute('data-path')).toBe('app.py');
    await expect(activeTab().getAttribute('data-origin')).resolves.toBe('local');
    await setEditorText(page, 'print("app, edited locally")');
    await page.keyboard.press('Control+S');
    await expect.poll(() => activeTab().getAttribute('data-dirty')).toBe('false');
    await expect(readFile(path.join(project, 'app.py'), 'utf8')).resolves.toBe('print("app, edited locally")');

    await page.getByTestId('upload-project').click();
    await page.getByTestId('toast').filter({ hasText: /2 uploaded, 0 unchanged/ }).waitFor({ timeout: 15_000 });
    await boardFile('/lib/helper.py').waitFor();
    await boardFile('/app.py').waitFor();

    writeFileSync(path.join(project, 'lib', 'helper.py'), 'VALUE = 2\n');
    await page.getByTestId('sync-project').click();
    await page.getByTestId('toast').filter({ hasText: /1 uploaded, 1 unchanged/ }).waitFor({ timeout: 15_000 });
    await screenshot(page, 'ide-project');
  });

  it('marks unsaved buffers and asks before closing them', async () => {
    await page.locator('[data-testid=editor-tab][data-path="/main.py"]').click();
    await page.getByTestId('editor').locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n# an edit');
    const tab = page.locator('[data-testid=editor-tab][data-path="/main.py"]');
    await expect.poll(() => tab.getAttribute('data-dirty')).toBe('true');
    await tab.locator('.editor-tab-close').click();
    const dialog = page.getByTestId('dialog-choice');
    await dialog.waitFor();
    await expect(dialog.innerText()).resolves.toMatch(/not saved/);
    await screenshot(page, 'ide-close-guard');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(tab.count()).resolves.toBe(1);
    await tab.locator('.editor-tab-close').click();
    await page.getByTestId('dialog-choice').getByRole('button', { name: "Don't save" }).click();
    await expect.poll(() => tab.count()).toBe(0);
  });

  it('restores unsaved buffers after the page reloads', async () => {
    await showFilesView(page);
    const editor = page.getByTestId('editor');
    // Open a fresh buffer: the empty editor offers one, else any open tab will do.
    while ((await page.getByTestId('editor-tab').count()) > 0) {
      await page.getByTestId('editor-tab').first().locator('.editor-tab-close').click();
      const choice = page.getByTestId('dialog-choice');
      if (await choice.isVisible().catch(() => false)) await choice.getByRole('button', { name: "Don't save" }).click();
    }
    await editor.getByRole('button', { name: 'New main.py' }).click();
    await setEditorText(page, 'print("draft survives a reload")');
    await page.evaluate(() => (window as unknown as { pinwheelDebug: { flushDrafts(): Promise<void> } }).pinwheelDebug.flushDrafts());
    page.once('dialog', (d) => void d.accept());
    await page.reload();
    await editor.locator('.monaco-editor').waitFor();
    await expect.poll(() => editorText(page), { timeout: 10_000 }).toBe('print("draft survives a reload")');
    await expect(activeTab().getAttribute('data-origin')).resolves.toBe('untitled');
  });

  it('ran without page errors', () => {
    expect(errors).toEqual([]);
  });
});
