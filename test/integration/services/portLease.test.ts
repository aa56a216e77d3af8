// One owner per serial port: the board connection lends its port to another owner (as the
// flasher will ask), leaves it alone while it is lent, even when the port vanishes and comes
// back (a chip re-enumerating in download mode), and takes it back once it is returned.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/common/api/errors.js';
import { PortLeases } from '../../../electron/node/ports/PortLeases.js';
import { PluggedBoards } from './pluggedBoards.js';
import { startTestBackend, type TestBackend } from './harness.js';

const RECONNECT_POLL_MS = 100;

let t: TestBackend;
let dir: string;
let portPath: string;
let leases: PortLeases;
let plugged: PluggedBoards;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-lease-'));
  portPath = path.join(dir, 'ttyESP');
  plugged = new PluggedBoards(portPath);
  leases = new PortLeases();
  t = await startTestBackend({ leases, reconnectPollMs: RECONNECT_POLL_MS, reconnectRetryMs: 200, presencePollMs: 100 });
});

afterAll(async () => {
  await t?.close();
  await plugged.killAll();
  rmSync(dir, { recursive: true, force: true });
});

describe('the board connection and port leases', () => {
  it('holds the lease while connected, so no second owner can open the port', async () => {
    await plugged.plugIn();
    await t.client.call('board.connect', { path: portPath });
    expect(await leases.holderOf(portPath)).toBe('the board connection');
    const refused = await leases.acquire(portPath, { owner: 'a CLI command' }).catch((e: unknown) => e);
    expect((refused as ApiError).code).toBe('BUSY');
  });

  it('lends the port when asked, does not reconnect while it is lent (even across a re-plug), and takes it back after', async () => {
    const from = t.events.all.length;
    const flasher = await leases.acquire(portPath, { owner: 'the flasher' }, { preempt: true });
    const lent = await t.events.status((s) => s.state === 'disconnected' && s.reconnecting, 3000, from);
    expect(lent.error).toMatch(/in use by the flasher/);
    expect(await leases.holderOf(portPath)).toBe('the flasher');
    // The chip re-enumerates while it is flashed: the port vanishes and comes back.
    await plugged.unplug();
    await new Promise((r) => setTimeout(r, 3 * RECONNECT_POLL_MS));
    await plugged.plugIn();
    await new Promise((r) => setTimeout(r, 6 * RECONNECT_POLL_MS));
    const during = t.events.of('board.status').slice(t.events.of('board.status').indexOf(lent) + 1);
    expect(during.filter((s) => s.state === 'connecting' || s.state === 'connected')).toEqual([]);
    expect(await leases.holderOf(portPath)).toBe('the flasher');

    const returnedAt = t.events.all.length;
    flasher.release();
    const back = await t.events.status((s) => s.state === 'connected', 10_000, returnedAt);
    expect(back.port?.path).toBe(portPath);
    expect(await leases.holderOf(portPath)).toBe('the board connection');
    await t.terminal.settle();
    await t.client.call('terminal.write', { data: 'print(6*7)\r' });
    await t.terminal.waitFor(/42\r?\n/);
  });

  it('gives the lease back when the board is disconnected or unplugged', async () => {
    await t.client.call('board.disconnect', {});
    expect(await leases.holderOf(portPath)).toBeUndefined();
    await t.client.call('board.connect', { path: portPath });
    expect(await leases.holderOf(portPath)).toBe('the board connection');
    const from = t.events.all.length;
    await plugged.unplug();
    await t.events.status((s) => s.state === 'lost', 3000, from);
    await new Promise((r) => setTimeout(r, 100));
    expect(await leases.holderOf(portPath)).toBeUndefined();
    await t.client.call('board.disconnect', {});
  });
});
