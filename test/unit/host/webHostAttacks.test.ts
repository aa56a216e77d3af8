/**
 * Attacks on the web host from the security review (issue 9): requests any
 * web page or local process can send. Each one used to end the process or
 * send the user elsewhere; the host must answer and keep serving.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Dispatcher } from '../../../electron/common/api/dispatcher.js';
import { EventHub } from '../../../electron/common/api/EventHub.js';
import { WebHost } from '../../../electron/host/WebHost.js';
import { webApiProtocols } from '../../../electron/common/api/bridge.js';
import { handlersWith } from '../../helpers/handlers.js';
import { SeededRandom } from '../../helpers/random.js';

const TOKEN = 'attack-test-token-0123456789';

/** Sends `text` as it is over a fresh TCP connection; resolves with the answer's head once it is in (or what came before the close or the timeout). */
function rawRequest(port: number, text: string | Buffer, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(done, timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => {
      answer += c;
      // Answered: a kept-alive connection would otherwise wait for the timeout.
      if (answer.includes('\r\n\r\n')) done();
    });
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', done);
    socket.write(text);
  });
}

function get(port: number, pathname: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathname, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
  });
}

/** Opens the API socket as the app's page does (any `cookie` a browser would add) and asks app.info. */
async function apiWorks(port: number, cookie?: string): Promise<boolean> {
  const headers: Record<string, string> = { Origin: `http://127.0.0.1:${port}`, ...(cookie ? { Cookie: cookie } : {}) };
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, webApiProtocols(TOKEN), { headers });
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_q, r) => reject(new Error(`status ${r.statusCode}`)));
    });
    const reply = await new Promise<Record<string, unknown>>((resolve) => {
      ws.once('message', (m) => resolve(JSON.parse(m.toString()) as Record<string, unknown>));
      ws.send(JSON.stringify({ type: 'call', id: 1, method: 'app.info', params: {} }));
    });
    return reply.ok === true;
  } finally {
    ws.close();
  }
}

describe('the web host under attack', () => {
  let host: WebHost;
  /** The name the token cookie had when the host used one: what a planted cookie would be called. */
  let cookieName: string;

  beforeAll(async () => {
    const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-renderer-'));
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Pinwheel</title>');
    const handlers = handlersWith({ 'app.info': async () => ({ name: 'Pinwheel', version: '9.9.9', host: 'web', platform: 'test' }) });
    host = new WebHost({ dispatcher: new Dispatcher(handlers), events: new EventHub(), rendererDir, token: TOKEN });
    await host.listen();
    cookieName = `pinwheel_token_${host.port}`;
  });

  afterAll(async () => {
    await host.close();
  });

  const upgrade = (target: string, headers: Record<string, string> = {}) =>
    [
      `GET ${target} HTTP/1.1`,
      `Host: 127.0.0.1:${host.port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      `Origin: http://127.0.0.1:${host.port}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      '',
      '',
    ].join('\r\n');

  it('answers an upgrade to a URL that does not parse (any page can send one) and keeps serving', async () => {
    await expect(rawRequest(host.port, upgrade('//['))).resolves.toMatch(/^HTTP\/1\.1 400/);
    await expect(rawRequest(host.port, `GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n\r\n`)).resolves.toMatch(/^HTTP\/1\.1 400/);
    await expect(apiWorks(host.port)).resolves.toBe(true);
  });

  it('answers a cookie that does not decode, and an upgrade without the token, with 401, and keeps serving', async () => {
    await expect(rawRequest(host.port, upgrade('/api', { Cookie: `${cookieName}=%E0` }))).resolves.toMatch(/^HTTP\/1\.1 401/);
    await expect(rawRequest(host.port, upgrade('/api', { 'Sec-WebSocket-Protocol': 'pinwheel, pinwheel.token.%E0' }))).resolves.toMatch(/^HTTP\/1\.1 401/);
    await expect(get(host.port, '/', { Cookie: `${cookieName}=%E0` })).resolves.toMatchObject({ status: 200 });
    await expect(apiWorks(host.port)).resolves.toBe(true);
  });

  it('cookies of our old name planted by another local page change nothing', async () => {
    await expect(apiWorks(host.port, `${cookieName}=planted-by-another-port`)).resolves.toBe(true);
    await expect(apiWorks(host.port, `${cookieName}=%E0; ${cookieName}=x`)).resolves.toBe(true);
  });

  it('moving a query token into the fragment never redirects to another site', async () => {
    const r = await get(host.port, `/.//evil.example/?token=${TOKEN}`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe(`/evil.example/#token=${TOKEN}`);
  });

  it('survives 10,000 malformed HTTP and upgrade requests, then serves the API as before', async () => {
    const random = new SeededRandom(0x5ec);
    const targets = ['//[', '/%', '/%E0', '/..%2f..%2fetc/passwd', '/api?%zz', '/\u0000', 'http://[::1', '*', '/' + 'a'.repeat(9000), '/api#x', '//evil.example/', '/?token=%'];
    const cookies = [`${cookieName}=%E0`, `${cookieName}=`, `${cookieName}`, '=;;=;', `${cookieName}=${'%'.repeat(50)}`, 'a=b; '.repeat(500), `${cookieName}=${TOKEN}x`];
    const protocols = ['pinwheel', 'pinwheel.token.', 'pinwheel.token.%E0', `pinwheel.token.${TOKEN}x`, ',,,', 'pinwheel.token.' + 'a'.repeat(5000), '\u00ff'];
    const origins = ['null', 'http://evil.example', `http://127.0.0.1:${host.port}`, '%', ''];
    const hosts = [`127.0.0.1:${host.port}`, 'evil.example', '', '[', `127.0.0.1:${host.port + 1}`, 'localhost:x'];
    const lines = ['GET', 'POST', 'FOO', '\u00ff\u00fe', 'GET  HTTP/1.1', 'GET / HTTP/9.9', 'GET /'];
    const build = (): string | Buffer => {
      const kind = random.int(0, 9);
      if (kind === 0) return Buffer.from(Array.from({ length: random.int(1, 200) }, () => random.int(0, 255)));
      if (kind === 1) return `${random.pick(lines)}\r\n\r\n`;
      const headers: Record<string, string> = {};
      if (random.int(0, 1)) headers.Cookie = random.pick(cookies);
      if (random.int(0, 1)) headers.Origin = random.pick(origins);
      if (random.int(0, 1)) headers['Sec-WebSocket-Protocol'] = random.pick(protocols);
      const request = kind < 6 ? upgrade(random.pick(targets), headers) : `GET ${random.pick(targets)} HTTP/1.1\r\nHost: ${random.pick(hosts)}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
      return kind === 9 ? request.replace(/\r\n/, `\r\nHost: ${random.pick(hosts)}\r\n`) : request;
    };
    let answered = 0;
    for (let batch = 0; batch < 100; batch++) {
      const answers = await Promise.all(Array.from({ length: 100 }, () => rawRequest(host.port, build(), 500)));
      answered += answers.filter((a) => a.startsWith('HTTP/1.1 4') || a.startsWith('HTTP/1.1 3') || a.startsWith('HTTP/1.1 2')).length;
    }
    // Every malformed request got an answer or a closed connection; none took the host down.
    expect(answered).toBeGreaterThan(9000);
    await expect(apiWorks(host.port)).resolves.toBe(true);
    await expect(get(host.port, '/')).resolves.toMatchObject({ status: 200 });
  }, 120_000);
});

describe('a flood of calls over one socket', () => {
  it('answers past the cap with BUSY, keeps memory growth under 100 MB, and serves normally afterwards', async () => {
    const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-renderer-'));
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Pinwheel</title>');
    const handlers = handlersWith({ 'app.info': async () => ({ name: 'Pinwheel', version: '9.9.9', host: 'web', platform: 'test' }) });
    const host = new WebHost({ dispatcher: new Dispatcher(handlers), events: new EventHub(), rendererDir, token: TOKEN });
    await host.listen();
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`, webApiProtocols(TOKEN), { headers: { Origin: `http://127.0.0.1:${host.port}` } });
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      const replies = { ok: 0, busy: 0, other: 0 };
      let busyMessage = '';
      ws.on('message', (m) => {
        const reply = JSON.parse(m.toString()) as { ok: boolean; error?: { code: string; message: string } };
        if (reply.ok) replies.ok++;
        else if (reply.error?.code === 'BUSY') {
          replies.busy++;
          busyMessage = reply.error.message;
        } else replies.other++;
      });
      global.gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      // Three seconds of calls as fast as this process can send them, in bursts the host reads in one go.
      let sent = 0;
      const until = performance.now() + 3000;
      while (performance.now() < until) {
        for (let i = 0; i < 2000; i++) ws.send(`{"type":"call","id":${sent++},"method":"app.info","params":{}}`);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      const growthMb = (peak - before) / 1024 / 1024;
      console.info(`flood: ${sent} calls in 3 s; replies ok ${replies.ok}, busy ${replies.busy}, other ${replies.other}; rss growth ${growthMb.toFixed(0)} MB (host and client in one process)`);
      expect(sent).toBeGreaterThan(50_000);
      expect(replies.other).toBe(0);
      expect(growthMb).toBeLessThan(100);
      // The flood outran the handlers: the calls past the cap were refused at once, not queued.
      expect(replies.busy).toBeGreaterThan(0);
      expect(busyMessage).toMatch(/Too many calls at once \(256 are still running on this connection\)/);
      ws.close();
      await expect(apiWorks(host.port)).resolves.toBe(true);
    } finally {
      await host.close();
    }
  }, 60_000);
});
