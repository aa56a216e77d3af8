// The board service over a real serial link: virtual boards served on pseudo-terminals, opened
// with SerialLink exactly as a USB board is. Covers unplug, automatic reconnect, and a board
// that never answers.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIRTUAL_BOARD_PATH } from '../../../electron/common/api/contract.js';
import { UNPLUGGED_MESSAGE } from '../../../electron/node/services/board/BoardConnectionService.js';
import { PluggedBoards } from './pluggedBoards.js';
import { startSocatPair, type SocatPair } from '../serial/socatPair.js';
import { bytes, ScriptedPorts, startTestBackend, type TestBackend } from './harness.js';

const RECONNECT_POLL_MS = 200;

let t: TestBackend;
let dir: string;
/** A stable path (like /dev/serial/by-id/...) that tests point at whichever pty is "plugged in". */
let portPath: string;
let plugged: PluggedBoards;
let silent: SocatPair | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-serial-board-'));
  portPath = path.join(dir, 'ttyBOARD');
  plugged = new PluggedBoards(portPath);
  t = await startTestBackend({ reconnectPollMs: RECONNECT_POLL_MS, reconnectRetryMs: 500, presencePollMs: 250 });
});

afterAll(async () => {
  await t?.close();
  await plugged.killAll();
  await silent?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('board service over a serial port', () => {
  it('connects to a typed pty path and talks to the board', async () => {
    await plugged.plugIn();
    const status = await t.client.call('board.connect', { path: portPath });
    expect(status).toMatchObject({ state: 'connected', port: { path: portPath, kind: 'serial' }, info: { implementation: 'micropython' } });
    expect(status.port!.friendlyName).toMatch(/Pseudo-terminal/);
    await t.terminal.settle();
    await t.client.call('terminal.write', { data: 'print(6*7)\r' });
    await t.terminal.waitFor(/42\r?\n/);
    await t.client.call('files.write', { path: '/hello.txt', data: bytes('over serial') });
    expect(Buffer.from((await t.client.call('files.read', { path: '/hello.txt' })).data).toString()).toBe('over serial');
  });

  it('unplugging: status goes "lost" at once, the call in flight fails with DISCONNECTED', async () => {
    const run = t.client.call('board.run', { code: 'import time\nwhile True:\n    print("alive")\n    time.sleep_ms(10)\n' }, { timeoutMs: 0 });
    const runFailure = run.then(() => undefined, (err: unknown) => err);
    await t.terminal.waitFor('alive');
    const from = t.events.all.length;
    const killedAt = Date.now();
    await plugged.unplug();
    const lost = await t.events.status((s) => s.state === 'lost', 3000, from);
    const lostAfterMs = t.events.all.find((e, i) => i >= from && e.name === 'board.status' && (e.payload as { state: string }).state === 'lost')!.at - killedAt;
    expect(lostAfterMs).toBeLessThan(1000);
    expect(lost).toMatchObject({ error: UNPLUGGED_MESSAGE, reconnecting: true, running: false, busy: false, port: { path: portPath } });
    expect(await runFailure).toMatchObject({ code: 'DISCONNECTED' });
    await expect(t.client.call('files.list', { path: '/' })).rejects.toMatchObject({ code: 'DISCONNECTED', message: expect.stringContaining('unplugged') });
  });

  it('reconnects by itself when the port comes back', async () => {
    const from = t.events.all.length;
    await new Promise((r) => setTimeout(r, 3 * RECONNECT_POLL_MS));
    expect((await t.client.call('board.status', {})).state).toBe('lost');
    await plugged.plugIn();
    const back = await t.events.status((s) => s.state === 'connected', 15_000, from);
    expect(back).toMatchObject({ reconnecting: false, port: { path: portPath }, info: { implementation: 'micropython' } });
    expect(back.error).toBeUndefined();
    await t.terminal.settle();
    await t.client.call('terminal.write', { data: 'print("back", 2+3)\r' });
    await t.terminal.waitFor('back 5');
  });

  it('stops trying once the user disconnects', async () => {
    const from = t.events.all.length;
    await plugged.unplug();
    await t.events.status((s) => s.state === 'lost', 3000, from);
    const status = await t.client.call('board.disconnect', {});
    expect(status).toMatchObject({ state: 'disconnected', reconnecting: false });
    await plugged.plugIn();
    await new Promise((r) => setTimeout(r, 5 * RECONNECT_POLL_MS));
    expect((await t.client.call('board.status', {})).state).toBe('disconnected');
  });

  it('switches from the built-in virtual board to a serial board cleanly', async () => {
    const virtual = await t.client.call('board.connect', { path: VIRTUAL_BOARD_PATH });
    expect(virtual.port!.kind).toBe('virtual');
    const serial = await t.client.call('board.connect', { path: portPath });
    expect(serial).toMatchObject({ state: 'connected', port: { path: portPath, kind: 'serial' } });
    expect((await t.client.call('vboard.pins', {})).pins).toEqual({});
    const result = await t.client.call('board.run', { code: 'print("on serial")' });
    expect(result.ok).toBe(true);
    await t.client.call('board.disconnect', {});
  });

  it('a port where no board answers fails with a clear error and leaves the state disconnected', async () => {
    silent = await startSocatPair();
    const started = Date.now();
    const failure = await t.client.call('board.connect', { path: silent.a }).then(
      () => undefined,
      (err: unknown) => err as { code: string; message: string },
    );
    expect(failure?.code).toBe('TIMEOUT');
    expect(failure?.message).toMatch(/did not answer/);
    expect(Date.now() - started).toBeLessThan(15_000);
    const status = await t.client.call('board.status', {});
    expect(status.state).toBe('disconnected');
    expect(status.error).toBe(failure?.message);
  });

  it('cancelling a connect stops it at once and leaves the state disconnected, not connecting', async () => {
    const controller = new AbortController();
    const attempt = t.client.call('board.connect', { path: silent!.a }, { signal: controller.signal });
    await t.events.status((s) => s.state === 'connecting' && s.port?.path === silent!.a);
    const from = t.events.all.length;
    controller.abort();
    await expect(attempt).rejects.toMatchObject({ code: 'CANCELLED' });
    const settled = await t.events.status((s) => s.state === 'disconnected', 2000, from);
    expect(settled.error).toMatch(/cancel/i);
  });

  it('a second connect while the first is still trying wins, and the first is cancelled', async () => {
    const first = t.client.call('board.connect', { path: silent!.a }).then(
      () => undefined,
      (err: unknown) => err as { code: string },
    );
    await t.events.status((s) => s.state === 'connecting' && s.port?.path === silent!.a);
    const second = await t.client.call('board.connect', { path: VIRTUAL_BOARD_PATH });
    expect(second.state).toBe('connected');
    expect((await first)?.code).toBe('CANCELLED');
    const status = await t.client.call('board.status', {});
    expect(status).toMatchObject({ state: 'connected', port: { path: VIRTUAL_BOARD_PATH } });
    expect(status.error).toBeUndefined();
    await t.client.call('board.disconnect', {});
  });
});

describe('reconnect driven by port discovery', () => {
  it('reconnects when discovery lists the lost port again', async () => {
    const ports = new ScriptedPorts();
    // Polling is made too slow to matter: only the discovery event can bring the board back.
    const d = await startTestBackend({ ports, reconnectPollMs: 60_000 });
    try {
      const listed = { path: portPath, kind: 'serial' as const, friendlyName: 'CP2102 USB-UART on ttyBOARD', likelyMicroPython: true };
      await plugged.plugIn();
      ports.set([listed]);
      const status = await d.client.call('board.connect', { path: portPath });
      expect(status.port).toEqual(listed);
      const from = d.events.all.length;
      plugged.removePath();
      ports.set([]);
      await plugged.current!.kill();
      await d.events.status((s) => s.state === 'lost' && s.reconnecting, 3000, from);
      await plugged.plugIn();
      ports.set([listed]);
      const back = await d.events.status((s) => s.state === 'connected', 10_000, from);
      expect(back).toMatchObject({ reconnecting: false, port: listed });
      const ports2 = await d.client.call('ports.list', {});
      expect(ports2.map((p) => p.path)).toEqual([VIRTUAL_BOARD_PATH, portPath]);
    } finally {
      await d.close();
    }
  });
});
