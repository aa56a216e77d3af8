/**
 * `npm start` on a machine without the Electron binary (this one) must serve
 * the workbench through the web host, print one line saying why (here: the
 * download is switched off, as on CI, so the test never fetches Electron) and
 * how to get the desktop app, and print its URL.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startWebHost, type RunningHost } from '../../helpers/webHost.js';

describe('npm start without an Electron binary', () => {
  let host: RunningHost | undefined;
  afterAll(async () => host?.stop());

  it('starts the web host, prints one line with the URL, and serves the workbench', async () => {
    host = await startWebHost({ command: ['electron/start.mjs', '--no-open'], env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, timeoutMs: 240_000 });
    expect(host.output()).toMatch(/^Pinwheel web host .*: http:\/\/127\.0\.0\.1:\d+\/#token=\S+$/m);
    const why = host.output().split('\n').filter((line) => line.startsWith('Pinwheel: starting the browser version'));
    expect(why).toEqual([
      'Pinwheel: starting the browser version, because the desktop app (Electron) is not installed, and ELECTRON_SKIP_BINARY_DOWNLOAD is set, so it was not downloaded. For the desktop app: npm run setup:desktop',
    ]);

    const page = await fetch(host.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<div id="root"/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  }, 300_000);
});
