// The in-process Link the app's built-in "Virtual board" connection uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Link, LinkError } from '../../../electron/common/link/Link.js';
import { VirtualBoard } from '../../../electron/node/vboard/VirtualBoard.js';

let board: VirtualBoard;
let link: Link;
let received = '';

async function waitFor(pattern: string, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!received.includes(pattern)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(pattern)}; got ${JSON.stringify(received)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const end = received.indexOf(pattern) + pattern.length;
  const text = received.slice(0, end);
  received = received.slice(end);
  return text;
}

/** Waits until the board has been quiet for a moment, then forgets what it sent. */
async function settle(quietMs = 60): Promise<void> {
  let seen = -1;
  while (seen !== received.length) {
    seen = received.length;
    await new Promise((r) => setTimeout(r, quietMs));
  }
  received = '';
}

beforeAll(async () => {
  board = await VirtualBoard.start({ model: 'usb' });
  link = board.link();
  link.onData((chunk) => {
    received += Buffer.from(chunk).toString('latin1');
  });
});

afterAll(async () => {
  await board?.kill();
});

describe('VirtualBoardLink', () => {
  it('carries a REPL round trip', async () => {
    await link.write(Buffer.from('\r\x03'));
    await waitFor('>>> ');
    await settle();
    await link.write(Buffer.from('print(2 ** 10)\r'));
    expect(await waitFor('>>> ')).toBe('print(2 ** 10)\r\n1024\r\n>>> ');
  });

  it('models the ESP auto-reset circuit: RTS without DTR holds the board in reset', async () => {
    await link.write(Buffer.from('held = 1\r'));
    await waitFor('>>> ');
    await settle();
    await link.setSignals({ dtr: false, rts: true });
    await link.write(Buffer.from('print(held)\r'));
    await new Promise((r) => setTimeout(r, 200));
    expect(received).toBe('');
    await link.setSignals({ rts: false });
    expect(await waitFor('>>> ')).toContain('Pinwheel virtual board with ESP32');
    await link.write(Buffer.from('print("held" in globals())\r'));
    expect(await waitFor('>>> ')).toContain('False\r\n');
  });

  it('machine.reset() reboots the board', async () => {
    await settle();
    await link.write(Buffer.from('import machine; machine.reset()\r'));
    expect(await waitFor('>>> ')).toContain('MicroPython v1.27.0');
  });

  it('reports the board going away as DISCONNECTED', async () => {
    const closed = new Promise<LinkError | undefined>((resolve) => link.onClose(resolve));
    await board.kill();
    const error = await closed;
    expect(error?.code).toBe('DISCONNECTED');
    expect(link.isOpen).toBe(false);
    await expect(link.write(Buffer.from('x'))).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
