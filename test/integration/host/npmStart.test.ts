/**
 * `npm start` on a machine without the Electron binary (this one) must serve
 * the workbench through the web host and print its URL.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startWebHost, type RunningHost } from '../../helpers/webHost.js';

describe('npm start without an Electron binary', () => {
  let host: RunningHost | undefined;
  afterAll(async () => host?.stop());

  it('starts the web host, prints one line with the URL, and serves the workbench', async () => {
    host = await startWebHost({ command: ['electron/start.mjs', '--no-open'], timeoutMs: 240_000 });
    expect(host.output()).toMatch(/^Pinwheel web host .*: http:\/\/127\.0\.0\.1:\d+\/#token=\S+$/m);

    const page = await fetch(host.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<div id="root"/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  }, 300_000);
});
