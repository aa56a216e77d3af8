import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Dispatcher, type ApiHandlers } from '../../../electron/common/api/dispatcher.js';
import { EventHub } from '../../../electron/common/api/EventHub.js';
import { WebHost } from '../../../electron/host/WebHost.js';
import { handlersWith } from '../../helpers/handlers.js';
import { encodeFrame } from '../../../electron/common/api/wireFrames.js';
import { webApiProtocols } from '../../../electron/common/api/bridge.js';

const TOKEN = 'test-token-0123456789';

function request(port: number, pathname: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathname, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

/** Opens the API socket offering `protocols` (webApiProtocols(token) is what the page offers). */
function openSocket(port: number, headers: Record<string, string>, protocols: string[] = []) {
  return new Promise<{ ws?: WebSocket; status?: number }>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, protocols, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.once('error', () => resolve({}));
  });
}

/** Sends raw text and waits for the next message. */
function exchange(ws: WebSocket, data: string | Buffer): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    ws.once('message', (m) => resolve(JSON.parse(m.toString()) as Record<string, unknown>));
    ws.send(data);
  });
}

describe('web host', () => {
  let host: WebHost;
  let events: EventHub;
  let origin: string;
  const withToken = webApiProtocols(TOKEN);

  beforeAll(async () => {
    const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-renderer-'));
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Pinwheel</title>');
    mkdirSync(path.join(rendererDir, 'assets'));
    writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    const handlers: ApiHandlers = handlersWith({
      'app.info': async () => ({ name: 'Pinwheel', version: '9.9.9', host: 'web', platform: 'test' }),
      'ports.list': async () => [],
    });
    events = new EventHub();
    host = new WebHost({ dispatcher: new Dispatcher(handlers), events, rendererDir, token: TOKEN });
    await host.listen();
    origin = `http://127.0.0.1:${host.port}`;
  });

  afterAll(async () => {
    await host.close();
  });

  it('binds loopback on a free port and prints a URL carrying the token in its fragment', () => {
    expect(host.port).toBeGreaterThan(0);
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${TOKEN}`);
    expect(host.isLoopbackOnly).toBe(true);
  });

  it("serves the app's public files with a CSP, and never sets a cookie", async () => {
    const page = await request(host.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Pinwheel</title>');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['set-cookie']).toBeUndefined();
    const asset = await request(host.port, '/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
  });

  it('moves a token given in the query (an older address) into the fragment, and refuses a wrong one', async () => {
    const first = await request(host.port, `/?token=${TOKEN}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(`/#token=${TOKEN}`);
    expect(first.headers['set-cookie']).toBeUndefined();
    const wrong = await request(host.port, '/?token=nope');
    expect(wrong.status).toBe(401);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const p of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f..%2fetc%2fpasswd']) {
      const res = await request(host.port, p);
      expect(res.body).not.toMatch(/root:/);
    }
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await request(host.port, '/', { Host: `evil.example:${host.port}` });
    expect(res.status).toBe(421);
  });

  it('refuses a WebSocket upgrade without the token, with a wrong one, or with it in a cookie', async () => {
    for (const [headers, protocols] of [
      [{ Origin: origin }, []],
      [{ Origin: origin }, webApiProtocols('wrong-token')],
      [{ Origin: origin }, ['pinwheel']],
      [{ Origin: origin, Cookie: `pinwheel_token_${host.port}=${TOKEN}` }, ['pinwheel']],
    ] as const) {
      const res = await openSocket(host.port, headers, [...protocols]);
      expect(res.ws).toBeUndefined();
      expect(res.status).toBe(401);
    }
  });

  it('refuses a WebSocket upgrade from a foreign Origin even with the token', async () => {
    const res = await openSocket(host.port, { Origin: 'http://evil.example' }, withToken);
    expect(res.ws).toBeUndefined();
    expect(res.status).toBe(403);
    const none = await openSocket(host.port, {}, withToken);
    expect(none.status).toBe(403);
  });

  it('answers calls, survives malformed messages, and pushes events', async () => {
    const { ws } = await openSocket(host.port, { Origin: origin }, withToken);
    expect(ws).toBeDefined();
    const socket = ws!;
    const ok = await exchange(socket, JSON.stringify({ type: 'call', id: 1, method: 'app.info', params: {} }));
    expect(ok).toMatchObject({ type: 'result', id: 1, ok: true, value: { version: '9.9.9', host: 'web' } });

    const notJson = await exchange(socket, '{not json');
    expect(notJson).toMatchObject({ type: 'protocolError', error: { code: 'BAD_REQUEST' } });
    const wrongShape = await exchange(socket, JSON.stringify({ hello: 'world' }));
    expect(wrongShape).toMatchObject({ type: 'protocolError', error: { code: 'BAD_REQUEST' } });
    const wrongShapeWithId = await exchange(socket, JSON.stringify({ type: 'call', id: 7 }));
    expect(wrongShapeWithId).toMatchObject({ type: 'result', id: 7, ok: false, error: { code: 'BAD_REQUEST' } });
    const unknown = await exchange(socket, JSON.stringify({ type: 'call', id: 2, method: 'fs.deleteEverything', params: {} }));
    expect(unknown).toMatchObject({ id: 2, ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const badParams = await exchange(socket, JSON.stringify({ type: 'call', id: 3, method: 'app.info', params: { extra: true } }));
    expect(badParams).toMatchObject({ id: 3, ok: false, error: { code: 'BAD_REQUEST' } });
    const binary = await exchange(socket, Buffer.from([1, 2, 3]));
    expect(binary).toMatchObject({ type: 'protocolError', error: { code: 'BAD_REQUEST', message: expect.stringMatching(/binary frame/) } });
    // A well-formed binary frame is decoded: the call is answered by id (here refused: app.info takes no bytes).
    const withBytes = await exchange(socket, Buffer.from(encodeFrame({ type: 'call', id: 5, method: 'app.info', params: { data: Uint8Array.of(1, 2) } })));
    expect(withBytes).toMatchObject({ type: 'result', id: 5, ok: false, error: { code: 'BAD_REQUEST' } });

    const again = await exchange(socket, JSON.stringify({ type: 'call', id: 4, method: 'app.info', params: {} }));
    expect(again).toMatchObject({ id: 4, ok: true });

    const event = new Promise<Record<string, unknown>>((resolve) => socket.once('message', (m) => resolve(JSON.parse(m.toString()) as Record<string, unknown>)));
    events.emit('ports.changed', { ports: [] });
    expect(await event).toEqual({ type: 'event', name: 'ports.changed', payload: { ports: [] } });
    socket.close();
  });
});
