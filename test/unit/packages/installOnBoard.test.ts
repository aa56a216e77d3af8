// Installing onto a board, with a board that fails where real ones do: a filesystem that fills up
// on the second file must leave /lib as it was (the staging folder removed), and a download that
// fails must leave the board untouched.
import { describe, expect, it } from 'vitest';
import { BoardExecError } from '../../../electron/common/board/BoardError.js';
import type { BoardSession } from '../../../electron/common/board/BoardSession.js';
import type { BoardFiles } from '../../../electron/common/board/files/BoardFiles.js';
import { installPackages } from '../../../electron/common/packages/installOnBoard.js';
import { PackageError } from '../../../electron/common/packages/PackageError.js';

const INDEX = 'https://index.test';
const DOCS: Record<string, unknown> = {
  [`${INDEX}/package/6/pair/latest.json`]: { hashes: [['pair/__init__.py', 'aaaa0001'], ['pair/extra.py', 'aaaa0002']], version: '1.0' },
};

/** A board's files in memory; `failWrite(n)` makes the n-th write raise ENOSPC as MicroPython does. */
function fakeBoard(options: { failWrite?: number } = {}) {
  const files = new Map<string, Uint8Array>();
  const dirs = new Set<string>(['/']);
  const log: string[] = [];
  let writes = 0;
  const board = {
    async mkdir(path: string) {
      let at = '';
      for (const part of path.split('/').filter(Boolean)) dirs.add((at += '/' + part));
    },
    async list(path: string) {
      const prefix = path === '/' ? '/' : path + '/';
      const names = new Set<string>();
      for (const p of [...dirs, ...files.keys()]) if (p.startsWith(prefix) && p !== path) names.add(p.slice(prefix.length).split('/')[0]!);
      return [...names].map((name) => ({ path: prefix + name, name, type: dirs.has(prefix + name) ? 'dir' : 'file', size: files.get(prefix + name)?.length ?? 0 }));
    },
    async diskUsage() {
      return { totalBytes: 2 << 20, usedBytes: 0, freeBytes: 2 << 20 };
    },
    async write(path: string, data: Uint8Array) {
      writes++;
      log.push(`write ${path}`);
      if (writes === options.failWrite) throw new BoardExecError('Traceback (most recent call last):\r\nOSError: [Errno 28] ENOSPC\r\n');
      files.set(path, data);
      return { skipped: false, bytes: data.length };
    },
    async rename(from: string, to: string) {
      log.push(`rename ${from} -> ${to}`);
      files.set(to, files.get(from)!);
      files.delete(from);
    },
    async remove(path: string) {
      log.push(`remove ${path}`);
      for (const p of [...files.keys()]) if (p === path || p.startsWith(path + '/')) files.delete(p);
      for (const d of [...dirs]) if (d === path || d.startsWith(path + '/')) dirs.delete(d);
    },
  };
  const session = { eval: async () => '6' } as unknown as BoardSession;
  return { files, dirs, log, board: board as unknown as BoardFiles, session };
}

const options = (fetchBytes = async (url: string) => new TextEncoder().encode(`# ${url}\n`)) => ({
  index: INDEX,
  fetchJson: async (url: string) => DOCS[url],
  fetchBytes,
});

describe('installPackages', () => {
  it('writes into a staging folder, then renames into /lib and removes the staging folder', async () => {
    const b = fakeBoard();
    const result = await installPackages(['pair'], b.session, b.board, options());
    expect(result.written).toEqual(['/lib/pair/__init__.py', '/lib/pair/extra.py']);
    expect([...b.files.keys()].sort()).toEqual(['/lib/pair/__init__.py', '/lib/pair/extra.py']);
    expect([...b.dirs].filter((d) => d.includes('staging'))).toEqual([]);
    const firstRename = b.log.findIndex((l) => l.startsWith('rename'));
    expect(b.log.slice(0, firstRename).filter((l) => l.startsWith('write'))).toHaveLength(2);
  });

  it('leaves /lib as it was when the filesystem fills up on the second file', async () => {
    const b = fakeBoard({ failWrite: 2 });
    const err = await installPackages(['pair'], b.session, b.board, options()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PackageError);
    expect(err).toMatchObject({ code: 'NO_SPACE', message: expect.stringContaining('nothing was installed') });
    expect([...b.files.keys()]).toEqual([]);
    expect([...b.dirs].filter((d) => d.includes('staging'))).toEqual([]);
    expect(b.log.some((l) => l.startsWith('rename'))).toBe(false);
  });

  it('touches nothing on the board when a download fails', async () => {
    const b = fakeBoard();
    const failing = async (url: string) => {
      if (url.endsWith('aaaa0002')) throw new PackageError('DOWNLOAD_FAILED', `Could not download ${url}: ECONNRESET`);
      return new Uint8Array([1]);
    };
    await expect(installPackages(['pair'], b.session, b.board, options(failing))).rejects.toThrow('ECONNRESET');
    expect(b.log).toEqual([]);
  });
});
