/** Steps the end-to-end tests share: reading the terminal, pasting, typing into Monaco, connecting. */
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, watchPageErrors } from '../helpers/browser.js';
import { startWebHost, type RunningHost } from '../helpers/webHost.js';

export const CONNECT_TIMEOUT_MS = 30_000;

/**
 * A new window on the host's workbench (1280x800, downloads accepted, clipboard
 * allowed for the terminal's Copy), once Monaco is up; `errors` collects page errors.
 */
export async function openWorkbench(browser: Browser, host: RunningHost): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin });
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(host.url);
  await page.getByTestId('editor').locator('.monaco-editor').waitFor();
  return { page, errors };
}

/** A web host, a browser and a workbench window on it: what most end-to-end files start with. */
export interface WorkbenchSession {
  readonly host: RunningHost;
  readonly browser: Browser;
  readonly page: Page;
  /** Page errors seen so far (a test ends by expecting none). */
  readonly errors: string[];
  /** Closes the browser and stops the host (safe after a failed start). */
  stop(): Promise<void>;
}

/** Starts the host (with `hostOptions`) and the browser side by side, then opens the workbench. */
export async function startWorkbench(hostOptions: Parameters<typeof startWebHost>[0] = {}): Promise<WorkbenchSession> {
  const [host, browser] = await Promise.all([startWebHost(hostOptions), launchBrowser()]);
  const stop = async () => {
    await browser.close();
    await host.stop();
  };
  try {
    const { page, errors } = await openWorkbench(browser, host);
    return { host, browser, page, errors, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The terminal's whole buffer (the DOM holds only the visible rows), once xterm parsed all output. */
export async function terminalText(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const debug = (window as unknown as { pinwheelDebug: { terminalIdle(): Promise<void>; terminalText(): string } }).pinwheelDebug;
    await debug.terminalIdle();
    return debug.terminalText();
  });
}

/** Polls `check` until it returns true; fails with `what` and the last value seen. Usable outside Vitest (the benchmark). */
export async function waitUntil(what: string, check: () => Promise<boolean>, options: { timeout?: number; interval?: number } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeout ?? 10_000);
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, options.interval ?? 100));
  }
}

/** Waits until the terminal shows `pattern` after the first `after` characters of its text. */
export async function waitForTerminal(page: Page, pattern: RegExp | string, options: { after?: number; timeout?: number } = {}): Promise<string> {
  let seen = '';
  try {
    await waitUntil(
      `${String(pattern)} in the terminal`,
      async () => {
        seen = (await terminalText(page)).slice(options.after ?? 0);
        return typeof pattern === 'string' ? seen.includes(pattern) : pattern.test(seen);
      },
      { timeout: options.timeout ?? 10_000 },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; the terminal showed:\n${seen.slice(-1500)}`);
  }
  return seen;
}

/** Pastes text the way the clipboard does: a paste event carrying text/plain, on the focused element inside `target`. */
export async function paste(target: Locator, text: string): Promise<void> {
  await target.evaluate((el, value) => {
    const data = new DataTransfer();
    data.setData('text/plain', value);
    const focused = el.contains(document.activeElement) ? document.activeElement! : el;
    focused.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** Replaces the active editor buffer with `text` (select all, then paste: typing would be auto-indented). */
export async function setEditorText(page: Page, text: string): Promise<void> {
  const editor = page.getByTestId('editor');
  await editor.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+A');
  await paste(editor.locator('.monaco-editor'), text);
  await waitUntil('the editor to show the pasted text', async () => (await editorText(page)) === text, { timeout: 5000 });
}

/** The active buffer's text as Monaco shows it (its DOM renders only visible lines; fine for short programs). */
export async function editorText(page: Page): Promise<string> {
  const lines = await page.getByTestId('editor').locator('.view-lines .view-line').evaluateAll((rows) =>
    rows
      .map((row) => ({ top: parseFloat((row as HTMLElement).style.top || '0'), text: (row.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((r) => r.text),
  );
  return lines.join('\n');
}

/** Opens the Files view in the side bar (clicking its icon while it shows would hide the side bar). */
export async function showFilesView(page: Page): Promise<void> {
  if (await page.locator('[data-testid=sidebar][data-view=files]').isVisible()) return;
  await page.getByTestId('activity-files').click();
  await page.locator('[data-testid=sidebar][data-view=files]').waitFor();
}

export async function connectVirtualBoard(page: Page): Promise<void> {
  await showFilesView(page);
  const row = page.locator('[data-testid=port-row][data-port-path="virtual:board"]');
  await row.click();
  await page.getByTestId('connect-button').click();
  await page.locator('[data-testid=board-status][data-state=connected]').waitFor({ timeout: CONNECT_TIMEOUT_MS });
}

/** Connects to a port typed into "Other port…", as a USB board's path would be; waits until it is the connected one. */
export async function connectOtherPort(page: Page, port: string): Promise<void> {
  await showFilesView(page);
  const other = page.locator('.port-other');
  if (!(await other.evaluate((el) => (el as HTMLDetailsElement).open))) await other.locator('summary').click();
  await page.getByTestId('other-port-input').fill(port);
  await page.getByTestId('other-port-connect').click();
  await page.locator('[data-testid=board-status][data-state=connected]').filter({ hasText: port }).waitFor({ timeout: CONNECT_TIMEOUT_MS });
}

/** Types into the terminal as a person would. */
export async function typeInTerminal(page: Page, text: string): Promise<void> {
  await page.getByTestId('terminal').locator('.xterm').click();
  await page.keyboard.type(text);
}

/** Clicks the first terminal text matching `text` (a traceback link) with a real mouse: hover, then click. */
export async function clickTerminalText(page: Page, text: string): Promise<void> {
  // xterm draws parsed output on the next animation frame: the buffer can be ahead of the rows.
  let box: { x: number; y: number } | null = null;
  await waitUntil(`"${text}" on the terminal's screen`, async () => (box = await findOnScreen(page, text)) !== null, { timeout: 3000, interval: 50 });
  const { x, y } = box!;
  await page.mouse.move(x - 2, y);
  await page.mouse.move(x, y);
  await page.waitForTimeout(150);
  await page.mouse.click(x, y);
}

/** Double-clicks the first terminal text matching `text`: xterm selects the word under the pointer. */
export async function doubleClickTerminalText(page: Page, text: string): Promise<void> {
  let box: { x: number; y: number } | null = null;
  await waitUntil(`"${text}" on the terminal's screen`, async () => (box = await findOnScreen(page, text)) !== null, { timeout: 3000, interval: 50 });
  const { x, y } = box!;
  await page.mouse.dblclick(x, y);
}

function findOnScreen(page: Page, text: string): Promise<{ x: number; y: number } | null> {
  return page.getByTestId('terminal').evaluate((host, wanted) => {
    const rows = Array.from(host.querySelectorAll('.xterm-rows > div'));
    for (const row of rows.reverse()) {
      const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
      let offsetInRow = 0;
      const full = (row.textContent ?? '').replace(/\u00a0/g, ' ');
      const at = full.indexOf(wanted);
      if (at < 0) continue;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const len = node.textContent?.length ?? 0;
        if (at < offsetInRow + len) {
          const range = document.createRange();
          const start = at - offsetInRow;
          range.setStart(node, start);
          range.setEnd(node, Math.min(len, start + 4));
          const rect = range.getBoundingClientRect();
          return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
        }
        offsetInRow += len;
      }
    }
    return null;
  }, text);
}
