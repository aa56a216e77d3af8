// A local stand-in for micropython.org: firmware files and download pages
// from memory, plus routes that stall, trickle or fail, so the download and
// check-for-newer tests never touch the internet.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  status?: number;
  body?: Uint8Array | string;
  /** Send no Content-Length (chunked), as some servers and proxies do. */
  chunked?: boolean;
  /** Send this many bytes, then keep the connection open without sending more. */
  stallAfterBytes?: number;
  /** Send the body in pieces of this size, waiting between them. */
  trickle?: { chunkBytes: number; everyMs: number };
}

export interface FirmwareServer {
  baseUrl: string;
  routes: Map<string, Route>;
  /** Requests per path, to tell a cache hit from a download. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startFirmwareServer(): Promise<FirmwareServer> {
  const routes = new Map<string, Route>();
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const pathName = (req.url ?? '/').split('?')[0]!;
    hits.set(pathName, (hits.get(pathName) ?? 0) + 1);
    const route = routes.get(pathName);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not found</body></html>');
      return;
    }
    const body = typeof route.body === 'string' ? Buffer.from(route.body) : Buffer.from(route.body ?? new Uint8Array());
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/octet-stream' };
    if (!route.chunked) headers['content-length'] = body.length;
    res.writeHead(route.status ?? 200, headers);
    if (route.stallAfterBytes !== undefined) {
      res.write(body.subarray(0, route.stallAfterBytes));
      return;
    }
    if (route.trickle) {
      const { chunkBytes, everyMs } = route.trickle;
      let at = 0;
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        res.write(body.subarray(at, at + chunkBytes));
        at += chunkBytes;
        if (at >= body.length) {
          clearInterval(timer);
          res.end();
        }
      }, everyMs);
      res.on('close', () => clearInterval(timer));
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    routes,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
