// Why the engine paces uploads: on the UART model a board that is busy writing
// flash does not read its 256-byte receive buffer, so a host that blasts a file
// in one unpaced write loses bytes silently, while BoardFiles.write (one chunk,
// then the board's ack, then the next) loses none of the same 200 KB.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { VirtualBoard } from '../../../electron/node/vboard/VirtualBoard.js';
import { makeRandomBinary } from '../../bench/upload.js';
import { PortClient, enterRawRepl } from '../vboard/portClient.js';
import { startBoardOnPty, type BoardOnPty } from './engineOnPty.js';

/**
 * 230400 baud, a common ESP32 rate: the effect is the same at 115200 (the
 * buffer lasts 22 ms there, a 3 KB flash write takes 30 ms), the test twice as fast.
 */
const BAUD = 230_400;
const LINE_BYTES_PER_MS = BAUD / 10 / 1000;
const PAYLOAD = makeRandomBinary(200 * 1024, 0xd209);
/** The naive sender's line length: each line is one base64 piece the board decodes and writes. */
const NAIVE_LINE_CHARS = 4096;

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const flashDirs: string[] = [];
const cleanups: Array<() => Promise<void>> = [];

function newFlashDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-drops-'));
  flashDirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

afterAll(() => {
  for (const d of flashDirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('UART model at 230400 baud, 256-byte receive buffer, 200 KB of random binary', () => {
  it('a naive blast (one unpaced write, the board decoding and writing as it goes) loses bytes', async () => {
    const flashDir = newFlashDir();
    const board = await VirtualBoard.start({ model: 'uart', baud: BAUD, flashDir });
    const client = await PortClient.open(await board.exposeOnPty(), BAUD);
    cleanups.push(async () => {
      await client.close();
      await board.kill();
    });
    await enterRawRepl(client);
    // What a hand-written uploader does: a loop that reads base64 lines from stdin, decodes and
    // writes each one, and keeps going past a line it cannot decode (counting it).
    await client.write(
      'import sys,binascii\nf=open("naive.bin","wb")\nbad=0\nprint("READY")\n' +
        'while True:\n l=sys.stdin.buffer.readline()\n if l.startswith(b"END"):break\n' +
        ' try:f.write(binascii.a2b_base64(l))\n except Exception:bad+=1\n' +
        'f.close()\nprint("DONE",bad)\x04',
    );
    await client.waitFor('READY\r\n');
    const b64 = Buffer.from(PAYLOAD).toString('base64');
    const lines: string[] = [];
    for (let i = 0; i < b64.length; i += NAIVE_LINE_CHARS) lines.push(b64.slice(i, i + NAIVE_LINE_CHARS));
    const blast = Buffer.from(lines.join('\n') + '\nEND\n', 'latin1');
    const before = board.stats;
    await client.write(blast);
    const wireMs = blast.length / LINE_BYTES_PER_MS;
    // The END line itself may be lost: then the loop waits for more input and Ctrl-C ends it.
    const finished = await client.waitFor(/DONE \d+\r\n/, wireMs * 1.5 + 5000).then(
      (text) => text,
      () => undefined,
    );
    if (!finished) await client.write('\x03\x03');
    await client.waitFor('\x04>', 5000);
    const dropped = board.stats.rxDroppedBytes - before.rxDroppedBytes;
    expect(dropped).toBeGreaterThan(0);
    // The board kept a file that is not the data, with no error from the upload itself.
    await client.settle(200);
    const onBoard = path.join(flashDir, 'naive.bin');
    const kept = fs.existsSync(onBoard) ? fs.readFileSync(onBoard) : Buffer.alloc(0);
    expect(sha256(kept)).not.toBe(sha256(PAYLOAD));
    expect(kept.length).toBeLessThan(PAYLOAD.length);
  });

  it('BoardFiles.write of the same data over SerialLink loses nothing, and the board hashes it right', async () => {
    const flashDir = newFlashDir();
    const pty: BoardOnPty = await startBoardOnPty({ model: 'uart', baud: BAUD, flashDir });
    cleanups.push(() => pty.stop());
    const result = await pty.files.write('/engine.bin', PAYLOAD);
    expect(result).toMatchObject({ skipped: false, bytes: PAYLOAD.length, encoding: 'stream', atomic: true, hashVerified: true });
    expect(pty.board.stats.rxDroppedBytes).toBe(0);
    const boardHash = await pty.session.exec(
      'import hashlib,binascii\nh=hashlib.sha256();b=bytearray(1024);f=open("engine.bin","rb")\n' +
        'while 1:\n n=f.readinto(b)\n if not n:break\n h.update(b[:n])\nf.close()\nprint(binascii.hexlify(h.digest()).decode())',
    );
    expect(boardHash.stdout.trim()).toBe(sha256(PAYLOAD));
    expect(sha256(fs.readFileSync(path.join(flashDir, 'engine.bin')))).toBe(sha256(PAYLOAD));
    expect(pty.board.stats.rxDroppedBytes).toBe(0);
  });
});
