import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Draft } from '../../../electron/common/api/contract.js';
import { DraftStore } from '../../../electron/node/services/DraftStore.js';
import { SettingsStore } from '../../../electron/node/services/SettingsStore.js';
import { ATOMIC_TEMP_SUFFIX } from '../../../electron/node/services/writeFileAtomic.js';

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
