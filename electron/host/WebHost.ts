/**
 * The web host: serves the built renderer over HTTP and carries the API over a
 * WebSocket, so the app runs in any browser where no Electron binary exists.
 *
 * Security model: the host binds loopback by default, and the API (the only
 * thing that reads or changes anything) answers only whoever holds the
 * random per-run token of the printed URL. The token is in the URL's
 * fragment, which browsers never send to any server; the page keeps it in
 * its own origin's sessionStorage and offers it as a WebSocket subprotocol
 * (WEB_API_TOKEN_PROTOCOL_PREFIX). It is never a cookie: cookies for
 * 127.0.0.1 go to every local port, so any other local server would receive
 * it, and a page of another port could plant a cookie of the same name.
 * Upgrades must also come from our own Origin (a page in another tab cannot
 * drive the user's boards), and the Host header is checked against DNS
 * rebinding. The static files are the app's public code and are served to
 * anyone who can reach the port.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { Dispatcher } from '../common/api/dispatcher.js';
import { ApiError } from '../common/api/errors.js';
import type { EventHub } from '../common/api/EventHub.js';
import { WEB_API_PATH, WEB_API_PROTOCOL, WEB_API_TOKEN_PROTOCOL_PREFIX } from '../common/api/bridge.js';
import { MAX_MESSAGE_BYTES, type ServerMessage } from '../common/api/wire.js';
import { CONTENT_SECURITY_POLICY } from '../common/api/securityPolicy.js';
import { decodeFrame, encodeFrame } from '../common/api/wireFrames.js';
import { errorMessage } from '../common/util/format.js';

export interface WebHostOptions {
  dispatcher: Dispatcher;
  events: EventHub;
  /** Folder with the built renderer (index.html and assets). */
  rendererDir: string;
  /** Address to bind; loopback unless the user opts into LAN use. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token for tests; random otherwise. */
  token?: string;
  log?: (line: string) => void;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
};

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A client that reads slower than we produce gets cut off rather than growing our memory without bound. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

export class WebHost {
  readonly token: string;
  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private boundPort = 0;
  private nextClient = 1;

  constructor(private readonly options: WebHostOptions) {
    this.token = options.token ?? randomBytes(24).toString('base64url');
    this.server = http.createServer((req, res) => {
      this.handleHttp(req, res).catch((err: unknown) => {
        this.log(`http error: ${(err as Error).message}`);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Internal error');
      });
    });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, handleProtocols: () => WEB_API_PROTOCOL });
    this.server.on('upgrade', (req, socket, head) => {
      // Whatever arrives (any web page can send an upgrade here), the host answers and keeps serving.
      try {
        const refusal = this.checkUpgrade(req);
        if (refusal) {
          socket.end(`HTTP/1.1 ${refusal.status} ${refusal.reason}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${refusal.reason}\n`);
          this.log(`refused WebSocket upgrade: ${refusal.reason}`);
          return;
        }
        this.wss.handleUpgrade(req, socket, head, (ws) => this.serveSocket(ws));
      } catch (err) {
        this.log(`upgrade error: ${(err as Error).message}`);
        socket.destroy();
      }
    });
  }

  get bindAddress(): string {
    return this.options.host ?? '127.0.0.1';
  }

  get port(): number {
    return this.boundPort;
  }

  /** The URL to open: the token rides in the fragment, which no request carries; the page keeps it. */
  get url(): string {
    const host = this.bindAddress.includes(':') ? `[${this.bindAddress}]` : this.bindAddress;
    const shown = host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host;
    return `http://${shown}:${this.boundPort}/#token=${this.token}`;
  }

  get isLoopbackOnly(): boolean {
    const h = this.bindAddress;
    return h === '127.0.0.1' || h === 'localhost' || h === '::1';
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.bindAddress, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private log(line: string) {
    this.options.log?.(line);
  }

  private tokenMatches(candidate: string | undefined | null): boolean {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Whether one of the subprotocols the client offered carries the token. */
  private protocolAuthorizes(req: http.IncomingMessage): boolean {
    const header = req.headers['sec-websocket-protocol'];
    if (typeof header !== 'string') return false;
    return header
      .split(',')
      .map((p) => p.trim())
      .some((p) => p.startsWith(WEB_API_TOKEN_PROTOCOL_PREFIX) && this.tokenMatches(p.slice(WEB_API_TOKEN_PROTOCOL_PREFIX.length)));
  }

  /** Host header check against DNS rebinding: only names we are actually reachable by. */
  private hostAllowed(req: http.IncomingMessage): boolean {
    const hostHeader = req.headers.host;
    if (!hostHeader) return false;
    const name = hostHeader.replace(/:\d+$/, '');
    const port = hostHeader.match(/:(\d+)$/)?.[1];
    if (port !== String(this.boundPort)) return false;
    if (LOOPBACK_NAMES.has(name)) return true;
    // With --host ADDR the user opted into LAN use: the token still guards every request.
    return !this.isLoopbackOnly;
  }

  private async handleHttp(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = parseRequestUrl(req);
    if (!url) {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Bad request.\n');
      return;
    }
    if (!this.hostAllowed(req)) {
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Misdirected request: unknown Host header.\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Method not allowed.\n');
      return;
    }
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null) {
      // An address of an earlier version, the token in the query: move it into the fragment, which no request carries.
      if (!this.tokenMatches(queryToken)) return this.refuse(res);
      url.searchParams.delete('token');
      res.writeHead(303, {
        // Always a path on this host: `//evil.example/` would be another site.
        Location: '/' + url.pathname.replace(/^\/+/, '') + (url.search || '') + '#token=' + this.token,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }
    await this.serveStatic(url.pathname, req, res);
  }

  private refuse(res: http.ServerResponse) {
    res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end('Pinwheel: wrong access token. Open the full URL that `npm start` printed (it ends in #token=...).\n');
  }

  private async serveStatic(pathname: string, req: http.IncomingMessage, res: http.ServerResponse) {
    const root = path.resolve(this.options.rendererDir);
    let relative: string;
    try {
      relative = decodeURIComponent(pathname);
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Bad path.\n');
      return;
    }
    if (relative.includes('\0')) {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Bad path.\n');
      return;
    }
    let file = path.resolve(root, '.' + path.posix.normalize('/' + relative));
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Forbidden.\n');
      return;
    }
    let info = await stat(file).catch(() => undefined);
    if (info?.isDirectory()) {
      file = path.join(file, 'index.html');
      info = await stat(file).catch(() => undefined);
    }
    if (!info) {
      // Unknown paths without an extension are app routes: serve the app shell.
      if (path.extname(file) === '') {
        file = path.join(root, 'index.html');
        info = await stat(file).catch(() => undefined);
      }
      if (!info) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(file.endsWith('index.html') ? 'The renderer is not built. Run `npm run build`.\n' : 'Not found.\n');
        return;
      }
    }
    const ext = path.extname(file).toLowerCase();
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Cache-Control': ext === '.html' ? 'no-store' : 'private, max-age=3600',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  }

  private checkUpgrade(req: http.IncomingMessage): { status: number; reason: string } | undefined {
    const url = parseRequestUrl(req);
    if (!url) return { status: 400, reason: 'Bad Request' };
    if (url.pathname !== WEB_API_PATH) return { status: 404, reason: 'Not Found' };
    if (!this.hostAllowed(req)) return { status: 421, reason: 'Misdirected Request' };
    const origin = req.headers.origin;
    // Browsers always send Origin on WebSocket upgrades; it must be the page we served.
    if (!origin || origin !== `http://${req.headers.host}`) return { status: 403, reason: 'Forbidden Origin' };
    if (!this.protocolAuthorizes(req)) return { status: 401, reason: 'Unauthorized' };
    return undefined;
  }

  private serveSocket(ws: WebSocket) {
    this.sockets.add(ws);
    const clientId = `web-${this.nextClient++}`;
    const send = (message: ServerMessage | { type: 'event'; name: string; payload: unknown }) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        this.log(`${clientId} is not reading; closing it`);
        ws.close(1008, 'client too slow');
        return;
      }
      ws.send(encodeFrame(message));
    };
    const session = this.options.dispatcher.open(clientId, send);
    const events = this.options.events.subscribe(send);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      let message: unknown;
      try {
        message = decodeFrame(isBinary ? rawBytes(data) : data.toString());
      } catch (err) {
        send({ type: 'protocolError', error: new ApiError('BAD_REQUEST', errorMessage(err)).toShape() });
        return;
      }
      session.receive(message);
    });
    ws.on('close', () => {
      events.dispose();
      session.close();
      this.sockets.delete(ws);
    });
    ws.on('error', (err) => this.log(`${clientId} socket error: ${err.message}`));
  }
}

/** What ws hands over for a binary frame, as one Uint8Array. */
function rawBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

/** The request's URL, or undefined when it does not parse (e.g. `//[`): a 400, never a throw. */
function parseRequestUrl(req: http.IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://placeholder');
  } catch {
    return undefined;
  }
}
