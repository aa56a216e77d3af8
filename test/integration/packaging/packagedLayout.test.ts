// What `electron-builder --dir` makes of the app, run here for real with a stand-in Electron
// distribution (electronDist; no binary can be downloaded on our machines): the executable's name,
// the Linux resources, what app.asar holds, and that every file Node opens itself (each worker
// entry the code starts, the forked flasher, the interpreter's .wasm) is found by outsideAsar in
// app.asar.unpacked. The window itself is not started (see the README).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outsideAsar } from '../../../electron/node/packagedPaths.js';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const work = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-package-'));
const app = path.join(work, 'out', 'linux-unpacked');
const resources = path.join(app, 'resources');

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    return e.isDirectory() ? sources(rel) : e.name.endsWith('.ts') ? [rel] : [];
  });
}

beforeAll(async () => {
  // A stand-in for Electron's unpacked distribution: what electron-builder copies and renames.
  const dist = path.join(work, 'electron-dist');
  mkdirSync(path.join(dist, 'resources'), { recursive: true });
  writeFileSync(path.join(dist, 'electron'), '#!/bin/sh\n', { mode: 0o755 });
  for (const name of ['chrome-sandbox', 'LICENSE', 'LICENSES.chromium.html']) writeFileSync(path.join(dist, name), '');
  await run(process.execPath, [path.join(ROOT, 'node_modules/electron-builder/cli.js'), '--dir', '--linux', `-c.electronDist=${dist}`, `-c.directories.output=${path.join(work, 'out')}`], {
    cwd: ROOT,
    timeout: 180_000,
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
}, 200_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packaged app (electron-builder --dir, Linux)', () => {
  it('is the pinwheel executable with the udev rules and the AppArmor profile beside it', () => {
    expect(existsSync(path.join(app, 'pinwheel'))).toBe(true);
    expect(existsSync(path.join(app, 'chrome-sandbox'))).toBe(true);
    expect(readFileSync(path.join(resources, 'linux', 'apparmor-profile'), 'utf8')).toContain('profile pinwheel /opt/Pinwheel/pinwheel');
    expect(existsSync(path.join(resources, 'linux', '60-pinwheel-serial.rules'))).toBe(true);
  });

  it('keeps the page in app.asar, and leaves out the web host and the CLI', () => {
    const files = listPackage(path.join(resources, 'app.asar'), { isPack: false });
    expect(files).toEqual(expect.arrayContaining([path.sep + path.join('dist', 'renderer', 'index.html'), path.sep + path.join('dist', 'electron', 'main.js'), path.sep + 'package.json']));
    expect(files.filter((f) => f.includes(`${path.sep}electron${path.sep}host${path.sep}`) || f.includes(`${path.sep}electron${path.sep}cli${path.sep}`))).toEqual([]);
  });

  it('finds every worker entry, the flasher and the .wasm outside the archive', () => {
    // Each `startWorker(new URL('./x.js', import.meta.url))` in the sources, as the packaged code asks for it.
    const entries: string[] = [];
    for (const file of sources('electron')) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const m of text.matchAll(/startWorker\(new URL\('([^']+)', import\.meta\.url\)/g)) {
        entries.push(path.join(path.dirname(file.replace(/^electron/, path.join('dist', 'electron'))), m[1]!));
      }
    }
    expect(entries.length).toBeGreaterThanOrEqual(3);
    entries.push(path.join('dist', 'electron', 'node', 'flash', 'flasherEntry.js'));
    entries.push(path.join('node_modules', '@micropython', 'micropython-webassembly-pyscript', 'micropython.wasm'));
    for (const entry of entries) {
      const inArchive = path.join(resources, 'app.asar', entry);
      expect(outsideAsar(inArchive), entry).toBe(path.join(resources, 'app.asar.unpacked', entry));
    }
  });
});
