/**
 * Issue 9, item 5: the token must not appear on any command line (`ps` shows
 * arguments to every local user). The browser is opened on a private page
 * that forwards to the URL.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { browserCommand, openBrowser } from '../../../electron/host/openBrowser.js';

const URL_WITH_TOKEN = 'http://127.0.0.1:41234/#token=s3cret-T0ken_value';

describe('opening the browser', () => {
  it('passes only the path of a private page on the command line, and the page forwards to the URL', async () => {
    const calls: Array<{ command: string; args: string[] }> = [];
    await openBrowser(URL_WITH_TOKEN, (command, args) => {
      calls.push({ command, args });
      return { on: () => undefined, unref: () => undefined };
    });
    expect(calls).toHaveLength(1);
    const argv = [calls[0]!.command, ...calls[0]!.args].join(' ');
    expect(argv).not.toContain('s3cret-T0ken_value');
    const target = calls[0]!.args.at(-1)!;
    expect(target).toMatch(/^file:\/\//);
    const page = fileURLToPath(target);
    if (process.platform !== 'win32') {
      expect(statSync(page).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(page)).mode & 0o777).toBe(0o700);
    }
    const html = readFileSync(page, 'utf8');
    expect(html).toContain(`<meta http-equiv="refresh" content="0;url=${URL_WITH_TOKEN}">`);
    expect(html).toContain('no-referrer');
  });

  it("uses each system's opener", () => {
    expect(browserCommand('file:///x.html', 'linux')).toEqual(['xdg-open', ['file:///x.html']]);
    expect(browserCommand('file:///x.html', 'darwin')).toEqual(['open', ['file:///x.html']]);
    expect(browserCommand('file:///x.html', 'win32')).toEqual(['cmd', ['/c', 'start', '', 'file:///x.html']]);
  });
});
