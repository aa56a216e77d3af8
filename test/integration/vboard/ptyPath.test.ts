// exposeOnPty({ path }): a virtual board served where the caller chooses, so a
// test can plug a "new" board in where a killed one was, as a USB board comes
// back under the same device name.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VirtualBoard } from '../../../electron/node/vboard/VirtualBoard.js';
import { PortClient } from './portClient.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-ptypath-'));
const boards: VirtualBoard[] = [];
const clients: PortClient[] = [];
const strays: ChildProcess[] = [];

async function startBoard(): Promise<VirtualBoard> {
  const board = await VirtualBoard.start({ model: 'usb' });
  boards.push(board);
  return board;
}

async function open(ptyPath: string): Promise<PortClient> {
  const client = await PortClient.open(ptyPath);
  clients.push(client);
  return client;
}

/** A REPL round trip proves the path reaches a live board (and which one, by its answer). */
async function ask(client: PortClient, expr: string): Promise<string> {
  await client.write('\r\x03');
  await client.waitFor('>>> ');
  await client.settle(50);
  await client.write(`print(${expr})\r`);
  const text = await client.waitFor(/\r\n>>> $/);
  return text.split('\r\n')[1] ?? '';
}

/** Runs a socat of our own with a pty link at `ptyPath` and waits for the link. */
async function foreignSocat(ptyPath: string): Promise<ChildProcess> {
  const proc = spawn('socat', [`pty,rawer,link=${ptyPath}`, 'STDIO'], { stdio: ['pipe', 'ignore', 'ignore'] });
  strays.push(proc);
  const deadline = Date.now() + 5000;
  while (!fs.existsSync(ptyPath)) {
    if (Date.now() > deadline) throw new Error(`socat made no link at ${ptyPath}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return proc;
}

function killAndWait(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
}

function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch {
    return null;
  }
}

beforeAll(() => {
  fs.mkdirSync(dir, { recursive: true });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(boards.splice(0).map((b) => b.kill()));
  await Promise.all(strays.splice(0).map(killAndWait));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('VirtualBoard.exposeOnPty({ path })', () => {
  it('serves the board at the chosen path and removes the link when the board is killed', async () => {
    const ptyPath = path.join(dir, 'ttyACM-chosen');
    const board = await startBoard();
    await expect(board.exposeOnPty({ path: ptyPath })).resolves.toBe(ptyPath);
    // Asking again for the same path (or for none) gives the same pty.
    await expect(board.exposeOnPty({ path: ptyPath })).resolves.toBe(ptyPath);
    await expect(board.exposeOnPty()).resolves.toBe(ptyPath);
    await expect(board.exposeOnPty({ path: path.join(dir, 'elsewhere') })).rejects.toThrow(/already served on/);

    const client = await open(ptyPath);
    expect(await ask(client, '6 * 7')).toBe('42');

    await board.kill();
    // Gone like an unplugged USB device's node, while the folder (not ours) stays.
    expect(lstatOrNull(ptyPath)).toBeNull();
    expect(fs.existsSync(dir)).toBe(true);
  });

  it('serves a new board at the path of a killed one', async () => {
    const ptyPath = path.join(dir, 'ttyACM-again');
    const first = await startBoard();
    await first.exposeOnPty({ path: ptyPath });
    const firstClient = await open(ptyPath);
    expect(await ask(firstClient, '"first"')).toBe('first');
    await first.kill();
    // serialport does not always notice a hung-up pty (the app watches the path for that): close it as the app would.
    expect(lstatOrNull(ptyPath)).toBeNull();
    await firstClient.close();

    const second = await startBoard();
    await expect(second.exposeOnPty({ path: ptyPath })).resolves.toBe(ptyPath);
    const secondClient = await open(ptyPath);
    expect(await ask(secondClient, '"second"')).toBe('second');
  });

  it('replaces a stale link left by a socat that was killed', async () => {
    const ptyPath = path.join(dir, 'ttyACM-stale');
    await killAndWait(await foreignSocat(ptyPath));
    // SIGKILL gave socat no chance to clean up: its link is still there, dangling.
    expect(lstatOrNull(ptyPath)?.isSymbolicLink()).toBe(true);
    expect(fs.existsSync(ptyPath)).toBe(false);

    const board = await startBoard();
    await board.exposeOnPty({ path: ptyPath });
    expect(fs.existsSync(ptyPath)).toBe(true);
    expect(await ask(await open(ptyPath), '2 ** 10')).toBe('1024');
  });

  it('replaces a stale link whose /dev/pts number now belongs to another pty', async () => {
    // The pty a killed socat had may be reused by another program: the old link then resolves again,
    // and the board must still end up behind the path rather than that other pty.
    const other = path.join(dir, 'ttyOther');
    await foreignSocat(other);
    const ptyPath = path.join(dir, 'ttyACM-reused');
    fs.symlinkSync(fs.readlinkSync(other), ptyPath);

    const board = await startBoard();
    await board.exposeOnPty({ path: ptyPath });
    expect(fs.readlinkSync(ptyPath)).not.toBe(fs.readlinkSync(other));
    expect(await ask(await open(ptyPath), '"the board"')).toBe('the board');
  });

  it('refuses a path that holds something other than a pty link, or a folder that does not exist', async () => {
    const regular = path.join(dir, 'notes.txt');
    fs.writeFileSync(regular, 'keep me');
    const board = await startBoard();
    await expect(board.exposeOnPty({ path: regular })).rejects.toThrow(/not a pty link/);
    expect(fs.readFileSync(regular, 'utf8')).toBe('keep me');
    await expect(board.exposeOnPty({ path: path.join(dir, 'missing', 'tty') })).rejects.toThrow(/does not exist/);
  });

  it('refuses a path another board of this process is serving', async () => {
    const ptyPath = path.join(dir, 'ttyACM-taken');
    const first = await startBoard();
    await first.exposeOnPty({ path: ptyPath });
    const second = await startBoard();
    await expect(second.exposeOnPty({ path: ptyPath })).rejects.toThrow(/already served by another virtual board/);
    // The first board's link was left alone.
    expect(await ask(await open(ptyPath), '"still first"')).toBe('still first');
  });

  it('without a path, serves a fresh temporary path and removes its folder when killed', async () => {
    const board = await startBoard();
    const ptyPath = await board.exposeOnPty();
    expect(path.dirname(ptyPath).startsWith(path.join(os.tmpdir(), 'pinwheel-vboard-'))).toBe(true);
    expect(await ask(await open(ptyPath), '1 + 1')).toBe('2');
    await board.kill();
    expect(fs.existsSync(path.dirname(ptyPath))).toBe(false);
  });
});
