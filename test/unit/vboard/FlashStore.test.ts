import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FlashStore } from '../../../electron/node/vboard/FlashStore.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-flashstore-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('FlashStore', () => {
  it('mirrors writes and deletes to the host folder and reads them back', () => {
    const dir = tempDir();
    const store = new FlashStore(dir);
    store.apply(
      [
        { path: '/lib/a.py', data: new TextEncoder().encode('A = 1\n') },
        { path: '/lib', data: null },
        { path: '/main.py', data: new TextEncoder().encode('print(1)\n') },
      ],
      [],
    );
    expect(fs.readFileSync(path.join(dir, 'lib', 'a.py'), 'utf8')).toBe('A = 1\n');
    store.apply([], ['/lib']);
    expect(fs.existsSync(path.join(dir, 'lib'))).toBe(false);
    const again = new FlashStore(dir).snapshot();
    expect(again.map((e) => e.path)).toEqual(['/main.py']);
    expect(new TextDecoder().decode(again[0]!.data!)).toBe('print(1)\n');
  });

  it('keeps files in memory when no folder is given', () => {
    const store = new FlashStore();
    store.apply([{ path: '/x', data: new Uint8Array([1, 2]) }], []);
    expect(store.snapshot()).toEqual([{ path: '/x', data: new Uint8Array([1, 2]) }]);
  });

  it('refuses a board path that would escape the flash folder', () => {
    const store = new FlashStore(tempDir());
    expect(() => store.apply([{ path: '/../escape', data: new Uint8Array([1]) }], [])).toThrow(/outside the flash folder/);
  });
});
