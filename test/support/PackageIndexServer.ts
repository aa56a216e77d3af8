/**
 * A package index for tests, served over HTTP on 127.0.0.1 in mip's layout
 * (what micropython-lib publishes): `/package/{py|N}/{name}/{version|latest}.json`
 * with `hashes`, `deps` and `version`, files by content at `/file/{h[:2]}/{h}`.
 * Plus any other JSON or file at a path of the test's choosing (a package.json
 * with `urls`, as github-hosted packages have). Counts requests, so tests can
 * tell a cached file from a downloaded one, and can be stopped and started
 * again on the same port (an index that went away).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface IndexPackage {
  version: string;
  /** Where each file goes under the target folder, and its text. */
  files: Record<string, string | Uint8Array>;
  deps?: Array<[string, string]>;
  /** .mpy versions this package is also published for (same files; the tests only read the layout). */
  compiledFor?: string[];
}

export class PackageIndexServer {
  readonly requests: string[] = [];
  private readonly routes = new Map<string, { type: string; body: Uint8Array }>();
  private server: http.Server | undefined;
  private port = 0;

  constructor(packages: Record<string, IndexPackage>, extra: Record<string, unknown> = {}) {
    for (const [name, pkg] of Object.entries(packages)) {
      const hashes: Array<[string, string]> = [];
      for (const [dest, content] of Object.entries(pkg.files)) {
        const body = typeof content === 'string' ? new TextEncoder().encode(content) : content;
        const hash = createHash('sha256').update(body).digest('hex').slice(0, 8);
        hashes.push([dest, hash]);
        this.routes.set(`/file/${hash.slice(0, 2)}/${hash}`, { type: 'application/octet-stream', body });
      }
      const json = new TextEncoder().encode(JSON.stringify({ hashes, deps: pkg.deps ?? [], version: pkg.version }));
      for (const mpy of ['py', ...(pkg.compiledFor ?? [])]) {
        for (const version of ['latest', pkg.version]) this.routes.set(`/package/${mpy}/${name}/${version}.json`, { type: 'application/json', body: json });
      }
    }
    for (const [route, value] of Object.entries(extra)) {
      const body = typeof value === 'string' ? new TextEncoder().encode(value) : value instanceof Uint8Array ? value : new TextEncoder().encode(JSON.stringify(value));
      this.routes.set(route, { type: 'application/octet-stream', body });
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const route = (req.url ?? '/').split('?')[0]!;
      this.requests.push(route);
      const found = this.routes.get(route);
      if (!found) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': found.type, 'content-length': found.body.length }).end(found.body);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
