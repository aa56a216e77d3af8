/**
 * Opens the user's browser on the web host without putting the token on a
 * command line: `ps` shows every process's arguments to every local user, and
 * `xdg-open URL` (and the browser it starts) would carry it there. Instead the
 * browser gets the path of a page, readable by this user alone, that forwards
 * to the URL; the page is removed once the browser has had time to read it.
 */
import { spawn as nodeSpawn, type SpawnOptions } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Long enough for a cold browser start to read the page; then it goes. */
export const LAUNCH_PAGE_LIFETIME_MS = 60_000;

type Spawn = (command: string, args: string[], options: SpawnOptions) => { on(event: 'error', l: () => void): unknown; unref(): void };

/** Writes the forwarding page in a fresh private folder (0700, the page 0600); returns its path. */
export async function writeLaunchPage(url: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pinwheel-open-'));
  const page = path.join(dir, 'open-pinwheel.html');
  const quoted = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  await writeFile(
    page,
    `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer">` +
      `<meta http-equiv="refresh" content="0;url=${quoted}"><title>Opening Pinwheel</title>` +
      `<p>Opening Pinwheel… <a href="${quoted}">Continue</a></p>\n`,
    { mode: 0o600 },
  );
  return page;
}

/** The command that opens `target` (a file path or URL) in the default browser on this OS. */
export function browserCommand(target: string, platform: NodeJS.Platform = process.platform): [string, string[]] {
  if (platform === 'darwin') return ['open', [target]];
  if (platform === 'win32') return ['cmd', ['/c', 'start', '', target]];
  return ['xdg-open', [target]];
}

/**
 * Opens the browser on `url` through a launch page. Opening a browser is a
 * convenience: any failure leaves the printed URL as the way in.
 */
export async function openBrowser(url: string, spawn: Spawn = nodeSpawn): Promise<void> {
  let page: string | undefined;
  try {
    page = await writeLaunchPage(url);
    const [command, args] = browserCommand(pathToFileURL(page).href);
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser, or no temp folder: the printed URL is enough.
  }
  if (page) {
    const folder = path.dirname(page);
    setTimeout(() => void rm(folder, { recursive: true, force: true }), LAUNCH_PAGE_LIFETIME_MS).unref();
  }
}
