// Flash persistence in a host folder, and pulling the plug mid-transfer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PtyBoards, rawExec } from './portClient.js';

const flashDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-flash-test-'));
const ptyBoards = new PtyBoards();
const boardOnPty = () => ptyBoards.open({ model: 'uart', flashDir });

afterEach(() => ptyBoards.closeAll('kill'));

afterAll(() => {
  fs.rmSync(flashDir, { recursive: true, force: true });
});

describe('virtual board flash', () => {
  it('keeps files in the host folder across a restart', async () => {
    const [board, client] = await boardOnPty();
    const [, err] = await rawExec(
      client,
      'import os\nos.mkdir("lib")\nf = open("lib/util.py", "w"); f.write("VALUE = 7\\n"); f.close()\nf = open("data.bin", "wb"); f.write(bytes(range(256))); f.close()',
    );
    expect(err).toBe('');
    // Synced as soon as the command finished, before any shutdown.
    expect(fs.readFileSync(path.join(flashDir, 'lib', 'util.py'), 'utf8')).toBe('VALUE = 7\n');
    expect([...fs.readFileSync(path.join(flashDir, 'data.bin'))]).toEqual(Array.from({ length: 256 }, (_, i) => i));
    await rawExec(client, 'os.remove("data.bin")');
    expect(fs.existsSync(path.join(flashDir, 'data.bin'))).toBe(false);
    await client.close();
    await board.stop();

    const [, client2] = await boardOnPty();
    const [out, err2] = await rawExec(client2, 'import os, util\nprint(sorted(os.listdir("/")), os.listdir("lib"), util.VALUE)');
    expect(err2).toBe('');
    expect(out).toBe("['lib'] ['util.py'] 7\r\n");
  });

  it('sends what a program printed before a flash write while it writes, as a UART does', async () => {
    const [, client] = await boardOnPty();
    // The board prints W, then writes flash for ~300 ms (100 KB/s), then looks whether the host has answered meanwhile.
    await client.write(
      'import sys,select\np=select.poll()\np.register(sys.stdin,select.POLLIN)\nsys.stdout.write("W")\n' +
        'f=open("slow.bin","wb");f.write(bytes(30000));f.close()\nprint("answered" if p.poll(0) else "unanswered")\nsys.stdin.buffer.read(1)\x04',
    );
    await client.waitFor('OK');
    await client.waitFor('W');
    await client.write('R');
    const verdict = await client.waitFor(/(un)?answered/);
    expect(verdict).toMatch(/answered$/);
    expect(verdict).not.toMatch(/unanswered$/);
  });

  it('kill() mid-write: the client loses the port at once, flash keeps what was committed', async () => {
    const [board, client] = await boardOnPty();
    await rawExec(client, 'f = open("done.txt", "w"); f.write("complete"); f.close()');
    // A long upload streamed through stdin, as the board engine does.
    await client.write(
      'import sys, micropython\nmicropython.kbd_intr(-1)\nf = open("partial.txt", "wb")\nprint("READY")\n' +
        'while True:\n    f.write(sys.stdin.buffer.read(64))\x04',
    );
    await client.waitFor('READY');
    const writing = client.write(Buffer.alloc(20_000, 0x41)).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    await board.kill();
    await client.waitForLoss(2000);
    expect(performance.now() - t0).toBeLessThan(1000);
    await writing;
    expect(fs.readFileSync(path.join(flashDir, 'done.txt'), 'utf8')).toBe('complete');
    // Never closed, so never committed: like littlefs, the half-written file is not there.
    expect(fs.existsSync(path.join(flashDir, 'partial.txt'))).toBe(false);
  });
});
