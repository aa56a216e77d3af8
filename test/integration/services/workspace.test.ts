// The local project folder and the drafts, through the real Dispatcher; uploads and sync go to the
// built-in virtual board.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIRTUAL_BOARD_PATH, type Draft } from '../../../electron/common/api/contract.js';
import { bytes, startTestBackend, type TestBackend } from './harness.js';

let t: TestBackend;
let base: string;
let project: string;
let outside: string;
let dataDir: string;

beforeAll(async () => {
  base = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-workspace-'));
  project = path.join(base, 'blinky');
  outside = path.join(base, 'secrets');
  dataDir = path.join(base, 'data');
  mkdirSync(path.join(project, 'lib', 'drivers'), { recursive: true });
  mkdirSync(path.join(project, '.git'));
  mkdirSync(path.join(project, 'node_modules', 'x'), { recursive: true });
  mkdirSync(path.join(project, '__pycache__'));
  mkdirSync(path.join(project, '.venv'));
  mkdirSync(path.join(project, '.vscode'));
  mkdirSync(outside);
  writeFileSync(path.join(project, 'main.py'), 'print("blink")\n');
  writeFileSync(path.join(project, 'boot.py'), '# boot\n');
  writeFileSync(path.join(project, 'lib', 'util.py'), 'def twice(x):\n    return 2 * x\n');
  writeFileSync(path.join(project, 'lib', 'drivers', 'led.py'), 'LED = 2\n');
  writeFileSync(path.join(project, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(path.join(project, '.vscode', 'settings.json'), '{}\n');
  writeFileSync(path.join(project, 'node_modules', 'x', 'index.js'), '');
  writeFileSync(path.join(project, '__pycache__', 'main.cpython-312.pyc'), '');
  writeFileSync(path.join(outside, 'key.txt'), 'TOP SECRET');
  symlinkSync(outside, path.join(project, 'escape-dir'));
  symlinkSync(path.join(outside, 'key.txt'), path.join(project, 'escape-file.txt'));
  symlinkSync(path.join(outside, 'not-yet.txt'), path.join(project, 'dangling.txt'));
  symlinkSync(path.join(project, 'lib', 'util.py'), path.join(project, 'util-link.py'));
  mkdirSync(dataDir);
  t = await startTestBackend({ dataDir, homeDir: base });
});

afterAll(async () => {
  await t?.close();
  rmSync(base, { recursive: true, force: true });
});

describe('workspace service', () => {
  it('starts with no folder, and refuses to open what is not a folder', async () => {
    expect(await t.client.call('workspace.current', {})).toBeNull();
    await expect(t.client.call('workspace.list', {})).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(t.client.call('workspace.open', { path: path.join(base, 'missing') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.client.call('workspace.open', { path: path.join(project, 'main.py') })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('browses folders for the picker: home by default, hidden ones last', async () => {
    const home = await t.client.call('workspace.browse', {});
    expect(home.path).toBe(base);
    expect(home.dirs).toEqual(['blinky', 'data', 'secrets']);
    const inside = await t.client.call('workspace.browse', { path: project });
    expect(inside.parent).toBe(base);
    expect(inside.dirs.slice(0, 4)).toEqual(['__pycache__', 'escape-dir', 'lib', 'node_modules']);
    expect(inside.dirs.slice(4)).toEqual(['.git', '.venv', '.vscode']);
    await expect(t.client.call('workspace.browse', { path: path.join(base, 'nope') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('opens a folder and lists it, skipping .git, node_modules, __pycache__, .venv and links that lead outside', async () => {
    const info = await t.client.call('workspace.open', { path: project });
    expect(info).toEqual({ root: project, name: 'blinky' });
    expect(await t.client.call('workspace.current', {})).toEqual(info);
    const entries = await t.client.call('workspace.list', {});
    expect(entries.map((e) => `${e.type} ${e.path}`)).toEqual([
      'dir .vscode',
      'file .vscode/settings.json',
      'file boot.py',
      'dir lib',
      'dir lib/drivers',
      'file lib/drivers/led.py',
      'file lib/util.py',
      'file main.py',
      'file util-link.py',
    ]);
    expect(entries.find((e) => e.path === 'main.py')).toMatchObject({ name: 'main.py', size: 15 });
  });

  it('reads and writes files inside the folder (atomically, creating folders)', async () => {
    const main = await t.client.call('workspace.readFile', { path: 'main.py' });
    expect(Buffer.from(main.data).toString()).toBe('print("blink")\n');
    await t.client.call('workspace.writeFile', { path: 'lib/new/thing.py', data: bytes('x = 1\n') });
    expect(readFileSync(path.join(project, 'lib', 'new', 'thing.py'), 'utf8')).toBe('x = 1\n');
    // A link that stays inside is followed, and a write through it lands on its target.
    await t.client.call('workspace.writeFile', { path: 'util-link.py', data: bytes('def twice(x):\n    return x + x\n') });
    expect(readFileSync(path.join(project, 'lib', 'util.py'), 'utf8')).toContain('x + x');
    await expect(t.client.call('workspace.readFile', { path: 'lib' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(t.client.call('workspace.readFile', { path: 'nope.py' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses every path that leads outside the folder', async () => {
    const attempts = [
      '../secrets/key.txt',
      'lib/../../secrets/key.txt',
      path.join(outside, 'key.txt'),
      '/etc/passwd',
      'escape-dir/key.txt',
      'escape-file.txt',
    ];
    for (const p of attempts) {
      await expect(t.client.call('workspace.readFile', { path: p }), p).rejects.toMatchObject({ code: 'PERMISSION' });
      await expect(t.client.call('workspace.writeFile', { path: p, data: bytes('pwned') }), p).rejects.toMatchObject({ code: 'PERMISSION' });
    }
    await expect(t.client.call('workspace.writeFile', { path: 'dangling.txt', data: bytes('pwned') })).rejects.toMatchObject({ code: 'PERMISSION' });
    await expect(t.client.call('workspace.writeFile', { path: 'escape-dir/new.txt', data: bytes('pwned') })).rejects.toMatchObject({ code: 'PERMISSION' });
    await expect(t.client.call('workspace.uploadToBoard', { paths: ['../secrets/key.txt'], remoteRoot: '/' })).rejects.toMatchObject({ code: 'PERMISSION' });
    expect(readFileSync(path.join(outside, 'key.txt'), 'utf8')).toBe('TOP SECRET');
    expect(existsSync(path.join(outside, 'not-yet.txt'))).toBe(false);
    expect(existsSync(path.join(outside, 'new.txt'))).toBe(false);
    expect(existsSync(path.join(base, 'pwned'))).toBe(false);
  });

  it('uploads chosen files and folders to the board, making folders as needed, with progress', async () => {
    await t.client.call('board.connect', { path: VIRTUAL_BOARD_PATH });
    const from = t.events.all.length;
    const result = await t.client.call('workspace.uploadToBoard', { paths: ['main.py', 'lib'], remoteRoot: '/app', jobId: 'up' });
    expect(result.uploaded).toBe(4);
    expect(result.skipped).toBe(0);
    expect(result.results.map((r) => r.path).sort()).toEqual(['/app/lib/drivers/led.py', '/app/lib/new/thing.py', '/app/lib/util.py', '/app/main.py']);
    const led = await t.client.call('files.read', { path: '/app/lib/drivers/led.py' });
    expect(Buffer.from(led.data).toString()).toBe('LED = 2\n');
    const progress = t.events.all.slice(from).filter((e) => e.name === 'job.progress').map((e) => e.payload as { jobId: string; done: number; total: number; label: string });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.jobId === 'up')).toBe(true);
    expect(progress.at(-1)).toMatchObject({ done: progress.at(-1)!.total });
    expect(progress.at(-1)!.total).toBeGreaterThan(0);
  });

  it('sync uploads everything but hidden files once, then only what changed', async () => {
    const first = await t.client.call('workspace.syncToBoard', { remoteRoot: '/' });
    const files = (await t.client.call('workspace.list', {})).filter((e) => e.type === 'file' && !e.path.startsWith('.'));
    expect(first.uploaded + first.skipped).toBe(files.length);
    expect(first.uploaded).toBe(files.length);
    expect(first.results.some((r) => r.path.includes('.vscode'))).toBe(false);
    writeFileSync(path.join(project, 'main.py'), 'print("blink faster")\n');
    const second = await t.client.call('workspace.syncToBoard', { remoteRoot: '/' });
    expect(second.uploaded).toBe(1);
    expect(second.skipped).toBe(files.length - 1);
    expect(second.results.find((r) => !r.skipped)?.path).toBe('/main.py');
    const main = await t.client.call('files.read', { path: '/main.py' });
    expect(Buffer.from(main.data).toString()).toBe('print("blink faster")\n');
  });

  it('keeps drafts across a restart, and survives a corrupt drafts file', async () => {
    expect(await t.client.call('drafts.load', {})).toEqual([]);
    const drafts: Draft[] = [
      { id: 'a', title: 'main.py', source: { kind: 'board', path: '/main.py' }, content: 'print(1)\n', savedContent: 'print(0)\n' },
      { id: 'b', title: 'Untitled-1', source: { kind: 'untitled' }, content: 'é ünïcode ✓\n' },
    ];
    await t.client.call('drafts.save', { drafts });
    expect(await t.client.call('drafts.load', {})).toEqual(drafts);

    // A restart: a new backend on the same data folder reopens the project and finds the drafts.
    await t.close();
    t = await startTestBackend({ dataDir, homeDir: base });
    expect(await t.client.call('drafts.load', {})).toEqual(drafts);
    expect(await t.client.call('workspace.current', {})).toEqual({ root: project, name: 'blinky' });
    expect((await t.client.call('board.status', {})).lastPort).toBe(VIRTUAL_BOARD_PATH);

    writeFileSync(path.join(dataDir, 'drafts.json'), '{"version":1,"drafts":[{"id":');
    expect(await t.client.call('drafts.load', {})).toEqual([]);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(dataDir).some((n) => n.startsWith('drafts.json.corrupt-'))).toBe(true);
    await t.client.call('drafts.save', { drafts: drafts.slice(1) });
    expect(await t.client.call('drafts.load', {})).toEqual(drafts.slice(1));
  });
});
