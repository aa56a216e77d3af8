/**
 * SerialLink on real pseudo-terminals (socat pairs) through the real
 * `serialport` native binding: what a board on a USB cable looks like to the
 * OS, minus the modem lines.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { LinkError } from '../../../electron/common/link/Link.js';
import { SerialLink } from '../../../electron/node/links/SerialLink.js';
import { PortDiscovery } from '../../../electron/node/ports/PortDiscovery.js';
import { startSocatPair, type SocatPair } from './socatPair.js';

const pairs: SocatPair[] = [];
const links: SerialLink[] = [];

async function pair(): Promise<SocatPair> {
  const started = await startSocatPair();
  pairs.push(started);
  return started;
}

async function open(path: string): Promise<SerialLink> {
  const link = await SerialLink.open(path, { timeoutMs: 5000 });
  links.push(link);
  return link;
}

/** Collects bytes from a link until `count` have arrived (or the timeout passes). */
function receive(link: SerialLink, count: number, timeoutMs = 3000): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`received ${total} of ${count} bytes`));
    }, timeoutMs);
    const sub = link.onData((chunk) => {
      chunks.push(chunk.slice());
      total += chunk.byteLength;
      if (total >= count) {
        clearTimeout(timer);
        sub.dispose();
        resolve(Buffer.concat(chunks));
      }
    });
  });
}

afterEach(async () => {
  for (const link of links.splice(0)) await link.close();
});

afterAll(async () => {
  // Every socat started here dies here, even when a test failed half-way.
  await Promise.all(pairs.splice(0).map((p) => p.dispose()));
});

describe('SerialLink over a pseudo-terminal pair', () => {
  it('opens both ends and moves every byte value both ways', async () => {
    const { a, b } = await pair();
    const board = await open(a);
    const host = await open(b);
    expect(board.isOpen).toBe(true);
    expect(board.description).toBe(`${a} at 115200 baud`);

    const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const atHost = receive(host, 256);
    await board.write(allBytes);
    expect(Array.from(await atHost)).toEqual(Array.from(allBytes));

    const reply = new TextEncoder().encode('raw REPL; CTRL-B to exit\r\n>');
    const atBoard = receive(board, reply.byteLength);
    await host.write(reply);
    expect(new TextDecoder().decode(await atBoard)).toBe('raw REPL; CTRL-B to exit\r\n>');
  });

  it('carries a larger upload intact, in order', async () => {
    const { a, b } = await pair();
    const sender = await open(a);
    const receiver = await open(b);
    const payload = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 31 + (i >> 8)) & 0xff);
    const arriving = receive(receiver, payload.byteLength, 10_000);
    for (let offset = 0; offset < payload.byteLength; offset += 4096) {
      await sender.write(payload.subarray(offset, offset + 4096));
    }
    const got = await arriving;
    expect(got.byteLength).toBe(payload.byteLength);
    expect(Buffer.compare(Buffer.from(got), Buffer.from(payload))).toBe(0);
  });

  it('ignores ENOTTY from the modem-line ioctls: ptys have no DTR/RTS', async () => {
    const { a } = await pair();
    const link = await open(a);
    expect(link.supportsSignals).toBe(false);
    await expect(link.setSignals({ dtr: true, rts: false })).resolves.toBeUndefined();
    await expect(link.setSignals({ dtr: false, rts: true })).resolves.toBeUndefined();
    expect(link.isOpen).toBe(true);
  });

  it('reports NOT_FOUND for a missing port with advice', async () => {
    await expect(SerialLink.open('/dev/ttyUSB9')).rejects.toMatchObject({
      name: 'LinkError',
      code: 'NOT_FOUND',
      message: 'No port /dev/ttyUSB9. Is the board plugged in? Pick it again from the port list.',
    });
  });

  it('reports BUSY when another program holds the port', async () => {
    const { a } = await pair();
    await open(a);
    await expect(SerialLink.open(a)).rejects.toMatchObject({ code: 'BUSY' });
  });

  it('notices a vanished device at once: onClose(DISCONNECTED), pending and later writes reject', async () => {
    const socat = await pair();
    const link = await open(socat.a);
    // Nobody reads the far end, so the pty buffers fill and this write stays
    // in flight, as it would behind a board that stopped reading.
    let writeState = 'pending';
    const pending = link.write(new Uint8Array(4 << 20)).then(
      () => (writeState = 'resolved'),
      (error: LinkError) => {
        writeState = 'rejected';
        return error;
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(writeState).toBe('pending');

    const closes: Array<LinkError | undefined> = [];
    const closed = new Promise<void>((resolve) =>
      link.onClose((error) => {
        closes.push(error);
        resolve();
      }),
    );
    const killedAt = Date.now();
    await socat.kill();
    await closed;
    const noticedAfterMs = Date.now() - killedAt;
    expect(noticedAfterMs).toBeLessThan(1000);
    expect(closes).toHaveLength(1);
    expect(closes[0]?.code).toBe('DISCONNECTED');
    expect(link.isOpen).toBe(false);

    const pendingError = await pending;
    expect(writeState).toBe('rejected');
    expect(pendingError).toMatchObject({ code: 'DISCONNECTED' });
    await expect(link.write(new Uint8Array([1]))).rejects.toMatchObject({ code: 'CLOSED' });

    await link.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closes).toHaveLength(1);
  });

  it('notices the loss even while idle (no write in flight)', async () => {
    const socat = await pair();
    const link = await open(socat.a);
    const closed = new Promise<LinkError | undefined>((resolve) => link.onClose(resolve));
    const killedAt = Date.now();
    await socat.kill();
    const error = await closed;
    expect(Date.now() - killedAt).toBeLessThan(1000);
    expect(error?.code).toBe('DISCONNECTED');
  });

  it('closes cleanly: onClose without error, writes rejected, the port free to open again', async () => {
    const { a, b } = await pair();
    const link = await SerialLink.open(a);
    const host = await open(b);
    const closes: Array<LinkError | undefined> = [];
    link.onClose((error) => closes.push(error));

    // Bytes written just before close() still arrive.
    const arriving = receive(host, 3);
    const last = link.write(new Uint8Array([0x0d, 0x02, 0x0d]));
    await link.close();
    await last;
    expect(Array.from(await arriving)).toEqual([0x0d, 0x02, 0x0d]);
    expect(closes).toEqual([undefined]);
    expect(link.isOpen).toBe(false);
    await expect(link.write(new Uint8Array([1]))).rejects.toMatchObject({ code: 'CLOSED' });
    await link.close();
    expect(closes).toEqual([undefined]);

    const again = await open(a);
    expect(again.isOpen).toBe(true);
  });
});

describe('PortDiscovery with a typed pty path', () => {
  it('describes a socat pty the OS listing never shows', async () => {
    const { a } = await pair();
    const discovery = new PortDiscovery({ lister: async () => [] });
    const info = await discovery.describePath(a);
    expect(info.path).toBe(a);
    expect(info.kind).toBe('serial');
    expect(info.friendlyName).toMatch(new RegExp(`^Pseudo-terminal ${a} \\(/dev/pts/\\d+\\)$`));
    expect(info.likelyMicroPython).toBe(false);
  });
});
