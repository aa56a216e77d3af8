/**
 * The review's two one-line kills of the web host process (issue 9): a
 * WebSocket upgrade to a URL that does not parse, which any web page can
 * send without the token, and a token cookie that does not decode. The
 * process must answer both and go on serving the app.
 */
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startWebHost, type RunningHost } from '../../helpers/webHost.js';

function send(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    const done = () => {
      socket.destroy();
      resolve(answer);
    };
    setTimeout(done, 2000);
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => (answer += c));
    socket.on('close', done);
    socket.on('error', done);
    socket.write(text);
  });
}

describe('the web host process', () => {
  let host: RunningHost | undefined;
  afterAll(async () => host?.stop());

  it('survives a malformed upgrade URL and a malformed token cookie, and serves as before', async () => {
    host = await startWebHost();
    const port = Number(new URL(host.origin).port);
    const upgrade = (target: string, cookie?: string) =>
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://127.0.0.1:${port}\r\n${cookie ? `Cookie: ${cookie}\r\n` : ''}\r\n`;
    await expect(send(port, upgrade('//['))).resolves.toMatch(/^HTTP\/1\.1 400/);
    await expect(send(port, upgrade('/api', `pinwheel_token_${port}=%E0`))).resolves.toMatch(/^HTTP\/1\.1 401/);
    expect(host.process.exitCode).toBeNull();
    const page = await fetch(host.url);
    expect(page.status).toBe(200);
  }, 60_000);
});
