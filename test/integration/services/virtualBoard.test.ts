// The services behind the IDE loop, through the real Dispatcher, against the built-in virtual board.
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIRTUAL_BOARD_PATH } from '../../../electron/common/api/contract.js';
import { BATCH_MAX_CHARS } from '../../../electron/node/services/TerminalBatcher.js';
import { bytes, startTestBackend, type TestBackend } from './harness.js';

let t: TestBackend;

beforeAll(async () => {
  t = await startTestBackend();
});

afterAll(async () => {
  await t?.close();
});

describe('board service on the built-in virtual board', () => {
  it('lists the virtual board first among the ports', async () => {
    const ports = await t.client.call('ports.list', {});
    expect(ports[0]).toMatchObject({ path: VIRTUAL_BOARD_PATH, kind: 'virtual', likelyMicroPython: true });
  });

  it('connects: connecting -> connected with board info and storage, and remembers the port', async () => {
    const before = await t.client.call('board.status', {});
    expect(before).toMatchObject({ state: 'disconnected', busy: false, running: false, reconnecting: false });
    const status = await t.client.call('board.connect', { path: VIRTUAL_BOARD_PATH });
    expect(status.state).toBe('connected');
    expect(status.port).toMatchObject({ path: VIRTUAL_BOARD_PATH, kind: 'virtual' });
    expect(status.info).toMatchObject({ implementation: 'micropython', version: '1.27.0' });
    expect(status.info!.machine).toMatch(/ESP32/);
    expect(status.info!.freeHeapBytes).toBeGreaterThan(0);
    expect(status.storage!.totalBytes).toBeGreaterThan(0);
    expect(status.storage!.freeBytes).toBeLessThanOrEqual(status.storage!.totalBytes);
    expect(status.lastPort).toBe(VIRTUAL_BOARD_PATH);
    const states = t.events.of('board.status').map((s) => s.state);
    expect(states.indexOf('connecting')).toBeGreaterThanOrEqual(0);
    expect(states.lastIndexOf('connected')).toBeGreaterThan(states.indexOf('connecting'));
    expect(await t.client.call('board.status', {})).toEqual(status);
    const settings = JSON.parse(readFileSync(path.join(t.dataDir, 'settings.json'), 'utf8')) as { lastPort: string };
    expect(settings.lastPort).toBe(VIRTUAL_BOARD_PATH);
  });

  it('carries a terminal round trip through terminal.write and terminal.data', async () => {
    await t.terminal.settle();
    await t.client.call('terminal.write', { data: '\r' });
    await t.terminal.waitFor('>>> ');
    await t.client.call('terminal.write', { data: 'print(6*7)\r' });
    const shown = await t.terminal.waitFor(/42\r?\n/);
    expect(shown).toContain('print(6*7)');
    await t.terminal.waitFor('>>> ');
  });

  it('runs code with its output streaming to the terminal, then the REPL prompt returns', async () => {
    await t.terminal.settle();
    const from = t.events.all.length;
    const result = await t.client.call('board.run', { code: 'for i in range(3):\n    print("line", i)\n' });
    expect(result).toEqual({ ok: true, interrupted: false });
    const out = await t.terminal.waitFor('line 2');
    expect(out).toMatch(/line 0\r?\nline 1\r?\nline 2/);
    await t.events.status((s) => s.running, 5000, from);
    const after = await t.client.call('board.status', {});
    expect(after.running).toBe(false);
  });

  it('stops a program that loops forever, and the board stays usable', async () => {
    await t.terminal.settle();
    const run = t.client.call('board.run', { code: 'import time\nn = 0\nwhile True:\n    n += 1\n    print("tick", n)\n    time.sleep_ms(20)\n' }, { timeoutMs: 0 });
    await t.terminal.waitFor('tick 3');
    const status = await t.client.call('board.status', {});
    expect(status.running).toBe(true);
    const started = Date.now();
    await t.client.call('board.stop', {});
    const result = await run;
    expect(result.interrupted).toBe(true);
    expect(result.ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(3000);
    const again = await t.client.call('board.run', { code: 'print("still here", 1 + 1)' });
    expect(again.ok).toBe(true);
    await t.terminal.waitFor('still here 2');
  });

  it('reports a traceback as ok:false with its last line, and shows the traceback in the terminal', async () => {
    await t.terminal.settle();
    const result = await t.client.call('board.run', { code: 'print("before")\nundefined_name + 1\n' });
    expect(result.ok).toBe(false);
    expect(result.interrupted).toBe(false);
    expect(result.error).toMatch(/^NameError: .*undefined_name/);
    const shown = await t.terminal.waitFor('NameError');
    expect(shown).toContain('before');
    expect(shown).toContain('Traceback');
  });

  it('writes, reads, lists, renames and removes files, with progress events', async () => {
    const data = randomBytes(20_000);
    const from = t.events.all.length;
    // A folder that does not exist yet is an error that says so, not an empty success.
    await expect(t.client.call('files.write', { path: '/lib/data.bin', data: bytes(data) })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await t.client.call('files.mkdir', { path: '/lib/sub' });
    const written = await t.client.call('files.write', { path: '/lib/data.bin', data: bytes(data), jobId: 'w1' });
    expect(written).toMatchObject({ path: '/lib/data.bin', skipped: false, bytes: data.length, atomic: true, hashVerified: true });
    const progress = t.events.of('job.progress').filter((p) => p.jobId === 'w1');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ done: data.length, total: data.length });
    expect(t.events.all.slice(from).some((e) => e.name === 'board.status')).toBe(true);

    const again = await t.client.call('files.write', { path: '/lib/data.bin', data: bytes(data) });
    expect(again.skipped).toBe(true);

    const read = await t.client.call('files.read', { path: '/lib/data.bin', jobId: 'r1' });
    expect(read.data.length).toBe(data.length);
    expect(Buffer.from(read.data).equals(data)).toBe(true);
    expect(t.events.of('job.progress').filter((p) => p.jobId === 'r1').at(-1)).toMatchObject({ done: data.length, total: data.length });

    const listing = await t.client.call('files.list', { path: '/lib' });
    expect(listing).toEqual(
      expect.arrayContaining([
        { path: '/lib/data.bin', name: 'data.bin', type: 'file', size: data.length },
        { path: '/lib/sub', name: 'sub', type: 'dir', size: 0 },
      ]),
    );
    const stat = await t.client.call('files.stat', { path: '/lib/data.bin' });
    expect(stat).toMatchObject({ type: 'file', size: data.length });

    await t.client.call('files.rename', { from: '/lib/data.bin', to: '/lib/sub/moved.bin' });
    const recursive = await t.client.call('files.list', { path: '/lib', recursive: true });
    expect(recursive.map((e) => e.path).sort()).toEqual(['/lib/sub', '/lib/sub/moved.bin']);

    await expect(t.client.call('files.read', { path: '/lib/data.bin' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('/lib/data.bin') });
    await expect(t.client.call('files.list', { path: '/nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await t.client.call('files.remove', { path: '/lib', recursive: true });
    await expect(t.client.call('files.stat', { path: '/lib' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const usage = await t.client.call('files.diskUsage', {});
    expect(usage.totalBytes).toBeGreaterThan(0);
  });

  it('persists the virtual board flash under the data folder', async () => {
    await t.client.call('files.write', { path: '/persist.txt', data: bytes('kept') });
    const file = path.join(t.dataDir, 'virtual-board', 'flash', 'persist.txt');
    const deadline = Date.now() + 3000;
    while (!existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(readFileSync(file, 'utf8')).toBe('kept');
  });

  it('cancelling a write half-way leaves the old file as it was', async () => {
    await t.client.call('files.write', { path: '/big.bin', data: bytes('old content') });
    const big = randomBytes(400_000);
    const controller = new AbortController();
    const from = t.events.all.length;
    const write = t.client.call('files.write', { path: '/big.bin', data: bytes(big), jobId: 'cancel-me' }, { signal: controller.signal });
    await t.events.waitFor('job.progress', (p) => p.jobId === 'cancel-me' && p.done > 0 && p.done < p.total, 10_000, from);
    controller.abort();
    await expect(write).rejects.toMatchObject({ code: 'CANCELLED' });
    const read = await t.client.call('files.read', { path: '/big.bin' });
    expect(Buffer.from(read.data).toString()).toBe('old content');
    const listing = await t.client.call('files.list', { path: '/' });
    expect(listing.some((e) => e.name.endsWith('.pwtmp'))).toBe(false);
  });

  it('completes names of the machine module', async () => {
    const { names } = await t.client.call('board.completions', { expr: 'machine' });
    expect(names).toEqual(expect.arrayContaining(['Pin', 'reset']));
    const pin = await t.client.call('board.completions', { expr: 'machine.Pin' });
    expect(pin.names).toEqual(expect.arrayContaining(['value']));
    const missing = await t.client.call('board.completions', { expr: 'no_such_module_here' });
    expect(missing.names).toEqual([]);
  });

  it('answers completions with nothing at once while a program runs', async () => {
    const run = t.client.call('board.run', { code: 'while True:\n    pass\n' }, { timeoutMs: 0 });
    await t.events.status((s) => s.running);
    const started = Date.now();
    const { names } = await t.client.call('board.completions', { expr: 'os' });
    expect(names).toEqual([]);
    expect(Date.now() - started).toBeLessThan(200);
    await expect(t.client.call('files.list', { path: '/' })).rejects.toMatchObject({ code: 'BUSY' });
    await t.client.call('board.stop', {});
    expect((await run).interrupted).toBe(true);
  });

  it('soft reset runs main.py, whose output reaches the terminal, and its pin changes arrive as vboard.pins', async () => {
    const main = 'from machine import Pin\nled = Pin(2, Pin.OUT)\nled.value(1)\nprint("main.py ran", 7 * 6)\n';
    await t.client.call('files.write', { path: '/main.py', data: bytes(main) });
    await t.terminal.settle();
    const from = t.events.all.length;
    await t.client.call('board.softReset', {});
    await t.terminal.waitFor('main.py ran 42');
    await t.events.waitFor('vboard.pins', (p) => p.pins['2'] === 1, 5000, from);
    expect((await t.client.call('vboard.pins', {})).pins['2']).toBe(1);
    await t.client.call('files.remove', { path: '/main.py' });
  });

  it('leaves a main.py started by a reset running: completions do not Ctrl-C it', async () => {
    const main = 'import time\nn = 0\nwhile True:\n    n += 1\n    print("beat", n)\n    time.sleep(0.2)\n';
    await t.client.call('files.write', { path: '/main.py', data: bytes(main) });
    await t.terminal.settle();
    const start = t.terminal.text.length;
    await t.client.call('board.softReset', {});
    await t.terminal.waitFor('beat 2');
    const { names } = await t.client.call('board.completions', { expr: 'machine' });
    expect(names).toEqual([]);
    // Still beating: the completion request did not interrupt it.
    await t.terminal.waitFor('beat 5');
    expect(t.terminal.text.slice(start)).not.toContain('KeyboardInterrupt');
    await t.client.call('files.remove', { path: '/main.py' });
    await t.terminal.waitFor('>>> ');
    expect((await t.client.call('board.completions', { expr: 'machine' })).names).toContain('Pin');
  });

  it('hard reset pulses the reset line of the virtual board, which boots afresh', async () => {
    await t.client.call('board.run', { code: 'x_before_reset = 1' });
    await t.terminal.settle();
    expect(await t.client.call('board.hardReset', {})).toEqual({ method: 'signals' });
    await t.terminal.waitFor('MicroPython v1.27.0');
    const after = await t.client.call('board.run', { code: 'print("survived" if "x_before_reset" in globals() else "fresh")' });
    expect(after.ok).toBe(true);
    await t.terminal.waitFor('fresh');
  });

  it('delivers 1 MB of board output complete, in order, in a bounded number of events', async () => {
    await t.terminal.settle();
    const from = t.events.all.length;
    const lines = 16_384;
    // Each line: "L" + 5-digit number + 57 dots + "\n" = 64 bytes, so 1 MiB in total.
    const result = await t.client.call('board.run', { code: `for i in range(${lines}):\n    print("L%05d" % i + "." * 57)\n` }, { timeoutMs: 0 });
    expect(result.ok).toBe(true);
    await t.terminal.waitFor(`L${String(lines - 1).padStart(5, '0')}`);
    const events = t.events.all.slice(from).filter((e) => e.name === 'terminal.data');
    const text = events.map((e) => (e.payload as { data: string }).data).join('');
    const got = text.replace(/\r/g, '').split('\n').filter((l) => /^L\d{5}\.+$/.test(l));
    expect(got.length).toBe(lines);
    for (let i = 0; i < lines; i += 1) {
      if (got[i] !== `L${String(i).padStart(5, '0')}${'.'.repeat(57)}`) throw new Error(`line ${i} is ${got[i]}`);
    }
    // Far fewer events than the board's writes; none larger than one batch plus one chunk.
    expect(events.length).toBeLessThan(400);
    for (const e of events) expect((e.payload as { data: string }).data.length).toBeLessThan(2 * BATCH_MAX_CHARS);
  });

  it('disconnects on request', async () => {
    const status = await t.client.call('board.disconnect', {});
    expect(status).toMatchObject({ state: 'disconnected', reconnecting: false, lastPort: VIRTUAL_BOARD_PATH });
    await expect(t.client.call('files.list', { path: '/' })).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect((await t.client.call('vboard.pins', {})).pins).toEqual({});
    const { names } = await t.client.call('board.completions', { expr: 'machine' });
    expect(names).toEqual([]);
  });
});
