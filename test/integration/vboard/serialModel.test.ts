// The serial side of the virtual board: UART line rate and its overflowing
// receive buffer, against USB-CDC backpressure.
import { afterEach, describe, expect, it } from 'vitest';
import { PtyBoards, overrunWhileSleeping, rawExec } from './portClient.js';

const ptyBoards = new PtyBoards();
const boardOnPty = (model: 'uart' | 'usb') => ptyBoards.open({ model });

afterEach(() => ptyBoards.closeAll('stop'));

const BYTES_PER_SECOND_115200 = 11_520;

describe('UART model at 115200 baud', () => {
  it('paces a 10 KB upload by the clock (~0.89 s)', async () => {
    const [, client] = await boardOnPty('uart');
    const size = 10 * 1024;
    await client.write(
      'import sys, micropython\nmicropython.kbd_intr(-1)\nprint("READY")\nn = 0\n' +
        `while n < ${size}:\n    n += len(sys.stdin.buffer.read(min(256, ${size} - n)))\nprint("GOT", n)\x04`,
    );
    await client.waitFor('READY\r\n');
    const t0 = performance.now();
    await client.write(Buffer.alloc(size, 0x5a));
    await client.waitFor(`GOT ${size}\r\n`, 5000);
    const seconds = (performance.now() - t0) / 1000;
    const expected = size / BYTES_PER_SECOND_115200;
    expect(seconds).toBeGreaterThan(expected * 0.97);
    expect(seconds).toBeLessThan(expected * 1.15);
  });

  it('paces board output too', async () => {
    const [board, client] = await boardOnPty('uart');
    const before = board.stats.txBytes;
    const t0 = performance.now();
    await client.write('print("x" * 4999)\x04');
    await client.waitFor('\x04\x04>');
    const seconds = (performance.now() - t0) / 1000;
    const sent = board.stats.txBytes - before;
    expect(sent).toBeGreaterThan(5000);
    expect(seconds).toBeGreaterThan((sent / BYTES_PER_SECOND_115200) * 0.97);
    expect(seconds).toBeLessThan((sent / BYTES_PER_SECOND_115200) * 1.3);
  });

  it('drops what overflows the 256-byte receive buffer while Python sleeps', async () => {
    const [board, client] = await boardOnPty('uart');
    const { taken, dropped } = await overrunWhileSleeping(board, client, 2000);
    expect(dropped).toBe(2000 - 256);
    expect(taken).toBe(256);
    // The board still answers.
    expect(await rawExec(client, 'print("still here")')).toEqual(['still here\r\n', '']);
  });
});

describe('USB-CDC model', () => {
  it('pushes back instead of dropping while Python sleeps', async () => {
    const [board, client] = await boardOnPty('usb');
    await client.write(
      'import sys, time, micropython\nmicropython.kbd_intr(-1)\nprint("SLEEPING")\ntime.sleep(0.5)\n' +
        'data = sys.stdin.buffer.read(3000)\nprint("GOT", len(data), data == bytes(range(250)) * 12)\x04',
    );
    await client.waitFor('SLEEPING\r\n');
    const payload = Buffer.alloc(3000);
    for (let i = 0; i < payload.length; i++) payload[i] = i % 250;
    await client.write(payload);
    await client.waitFor('GOT 3000 True\r\n', 3000);
    expect(board.stats.rxDroppedBytes).toBe(0);
  });
});
