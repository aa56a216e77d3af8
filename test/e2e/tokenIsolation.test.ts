/**
 * Issue 9, item 3, in Chromium: another web server on this computer (any
 * local dev server, or a hostile one) must neither receive the web host's
 * access token nor lock the user out. Browsers send cookies for 127.0.0.1 to
 * every port, so while the token was a cookie, the other server got it with
 * every request, and its page could plant cookies of the same name.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, watchPageErrors } from '../helpers/browser.js';
import { startWebHost, type RunningHost } from '../helpers/webHost.js';
import { CONNECT_TIMEOUT_MS } from './pinwheelPage.js';

/** The other local server: records every request, and its page plants cookies and knocks on the API. */
function otherServer(pinwheelPort: number) {
  const seen: string[] = [];
  const page = `<!doctype html><title>other</title><script>
    for (const c of ['pinwheel_token_${pinwheelPort}=%E0; path=/api', 'pinwheel_token_${pinwheelPort}=planted; path=/', 'pinwheel.hostToken=planted; path=/']) document.cookie = c;
    const ws = new WebSocket('ws://127.0.0.1:${pinwheelPort}/api', ['pinwheel']);
    ws.onopen = () => (document.title = 'API OPENED');
    ws.onclose = () => (document.title = 'API REFUSED');
    window.storageSeen = JSON.stringify([sessionStorage, localStorage]);
  </script>`;
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}`);
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(page);
  });
  return { server, seen };
}

async function hostState(page: Page): Promise<string | null> {
  return page.getByTestId('host-status').getAttribute('data-state');
}

describe('the access token stays with the web host', () => {
  let host: RunningHost;
  let browser: Browser;
  let other: ReturnType<typeof otherServer>;
  let otherOrigin: string;
  let token: string;

  beforeAll(async () => {
    host = await startWebHost();
    token = new URL(host.url).hash.replace('#token=', '');
    other = otherServer(Number(new URL(host.origin).port));
    await new Promise<void>((resolve) => other.server.listen(0, '127.0.0.1', resolve));
    otherOrigin = `http://127.0.0.1:${(other.server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    other?.server.close();
    await host?.stop();
  });

  it('another local server never receives it, cannot use the API, and cannot lock the user out', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const app = await context.newPage();
    const errors = watchPageErrors(app);
    await app.goto(host.url);
    await expect.poll(() => hostState(app), { timeout: CONNECT_TIMEOUT_MS }).toBe('connected');
    expect(app.url()).toBe(`${host.origin}/`);

    // The user visits another local site in the same browser, twice (the second request carries whatever cookies exist by then).
    const visit = await context.newPage();
    await visit.goto(`${otherOrigin}/`);
    await expect.poll(() => visit.title(), { timeout: 10_000 }).toBe('API REFUSED');
    await visit.goto(`${otherOrigin}/again`);
    expect(await visit.evaluate(() => (window as unknown as { storageSeen: string }).storageSeen)).toBe('[{},{}]');
    await expect.poll(() => visit.title(), { timeout: 10_000 }).toBe('API REFUSED');
    expect(other.seen.length).toBeGreaterThanOrEqual(2);
    for (const request of other.seen) expect(request).not.toContain(token);

    // The cookies its page planted change nothing for Pinwheel: a reload connects as before.
    await app.reload();
    await expect.poll(() => hostState(app), { timeout: CONNECT_TIMEOUT_MS }).toBe('connected');
    expect(host.process.exitCode).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the address without its token says which URL to open, and connects to nothing', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${host.origin}/`);
    const notice = page.getByRole('alert').filter({ hasText: 'access token' });
    await notice.waitFor({ timeout: CONNECT_TIMEOUT_MS });
    expect(await notice.textContent()).toMatch(/open the full URL that Pinwheel printed when it started \(it ends in #token=\.\.\.\)/);
    expect(await hostState(page)).toBe('disconnected');
    await screenshot(page, 'host-without-token');
    await context.close();
  });
});
