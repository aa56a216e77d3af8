import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Draft } from '../../../electron/common/api/contract.js';
import { DraftStore } from '../../../electron/node/services/DraftStore.js';
import { SettingsStore } from '../../../electron/node/services/SettingsStore.js';
import { ATOMIC_TEMP_SUFFIX, writeFileAtomic } from '../../../electron/node/services/writeFileAtomic.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-stores-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const draft = (id: string, content: string): Draft => ({ id, title: `${id}.py`, source: { kind: 'local', path: `${id}.py` }, content });

describe('DraftStore', () => {
  it('round-trips drafts and leaves no temporary file behind', async () => {
    const store = DraftStore.inDir(dir);
    expect(await store.load()).toEqual([]);
    await store.save([draft('a', 'print(1)')]);
    expect(await store.load()).toEqual([draft('a', 'print(1)')]);
    expect(readdirSync(dir).filter((n) => n.endsWith(ATOMIC_TEMP_SUFFIX))).toEqual([]);
  });

  it('keeps the last of many overlapping saves', async () => {
    const store = DraftStore.inDir(dir);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.save([draft('a', `version ${i}`)])));
    expect(await store.load()).toEqual([draft('a', 'version 19')]);
  });

  it('moves a corrupt file aside and starts empty', async () => {
    writeFileSync(path.join(dir, 'drafts.json'), 'not json at all');
    const store = DraftStore.inDir(dir);
    expect(await store.load()).toEqual([]);
    const aside = readdirSync(dir).filter((n) => n.startsWith('drafts.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(dir, aside[0]!), 'utf8')).toBe('not json at all');
  });

  it('treats valid JSON of the wrong shape as corrupt too', async () => {
    writeFileSync(path.join(dir, 'drafts.json'), JSON.stringify({ version: 1, drafts: [{ id: 5 }] }));
    expect(await DraftStore.inDir(dir).load()).toEqual([]);
    expect(readdirSync(dir).some((n) => n.startsWith('drafts.json.corrupt-'))).toBe(true);
  });
});

describe('SettingsStore', () => {
  it('remembers values across instances, and removes a key set to undefined', async () => {
    const a = SettingsStore.inDir(dir);
    await a.update({ lastPort: '/dev/ttyUSB0', workspaceRoot: '/home/x/proj' });
    const b = SettingsStore.inDir(dir);
    expect(await b.load()).toEqual({ lastPort: '/dev/ttyUSB0', workspaceRoot: '/home/x/proj' });
    await b.update({ workspaceRoot: undefined });
    expect(await SettingsStore.inDir(dir).load()).toEqual({ lastPort: '/dev/ttyUSB0' });
  });

  it('starts from defaults when the file is corrupt', async () => {
    writeFileSync(path.join(dir, 'settings.json'), '{"lastPort": 42}');
    expect(await SettingsStore.inDir(dir).load()).toEqual({});
    expect(readdirSync(dir).some((n) => n.startsWith('settings.json.corrupt-'))).toBe(true);
  });

  it('drops a virtual board profile it does not know (a newer version wrote it) and keeps the rest', async () => {
    writeFileSync(path.join(dir, 'settings.json'), '{"lastPort": "/dev/ttyUSB0", "virtualBoardProfile": "esp32-s3"}');
    expect(await SettingsStore.inDir(dir).load()).toEqual({ lastPort: '/dev/ttyUSB0' });
    expect(readdirSync(dir).some((n) => n.startsWith('settings.json.corrupt-'))).toBe(false);
  });
});

describe('file permissions on save (issue 9, item 6)', () => {
  const modeOf = (file: string) => statSync(file).mode & 0o777;

  it('writes settings.json and drafts.json readable by the user alone, even when they were readable by others', async () => {
    writeFileSync(path.join(dir, 'drafts.json'), '[]', { mode: 0o644 });
    await DraftStore.inDir(dir).save([draft('a', 'print(1)')]);
    await SettingsStore.inDir(dir).update({ lastPort: '/dev/ttyUSB0' });
    expect(modeOf(path.join(dir, 'drafts.json'))).toBe(0o600);
    expect(modeOf(path.join(dir, 'settings.json'))).toBe(0o600);
  });

  it('a saved file keeps its mode: a script stays executable, a private file stays private', async () => {
    const script = path.join(dir, 'flash.sh');
    const secret = path.join(dir, 'secrets.py');
    writeFileSync(script, 'echo old\n', { mode: 0o755 });
    writeFileSync(secret, 'PASSWORD = "old"\n', { mode: 0o600 });
    await writeFileAtomic(script, 'echo new\n');
    await writeFileAtomic(secret, 'PASSWORD = "new"\n');
    expect(modeOf(script)).toBe(0o755);
    expect(modeOf(secret)).toBe(0o600);
    expect(readFileSync(secret, 'utf8')).toBe('PASSWORD = "new"\n');
  });
});
