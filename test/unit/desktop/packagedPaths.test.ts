// The one place that knows where a packaged build keeps files Node opens itself (worker entries,
// the forked flasher, the interpreter's .wasm): a layout like electron-builder's, with app.asar (a
// file, as the real archive is) and app.asar.unpacked beside it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { outsideAsar, outsideAsarUrl } from '../../../electron/node/packagedPaths.js';

const resources = path.join(mkdtempSync(path.join(os.tmpdir(), 'pinwheel-asar-')), 'resources');
const asar = path.join(resources, 'app.asar');
const unpacked = path.join(resources, 'app.asar.unpacked');
const WORKER = 'dist/electron/node/vboard/worker/boardWorker.js';
const WASM = 'node_modules/@micropython/micropython-webassembly-pyscript/micropython.wasm';
mkdirSync(resources, { recursive: true });
writeFileSync(asar, 'an archive');
for (const file of [WORKER, WASM]) {
  mkdirSync(path.dirname(path.join(unpacked, file)), { recursive: true });
  writeFileSync(path.join(unpacked, file), '');
}

afterAll(() => rmSync(path.dirname(resources), { recursive: true, force: true }));

describe('outsideAsar', () => {
  it('maps a worker entry and the .wasm inside app.asar to their unpacked copies', () => {
    expect(outsideAsar(path.join(asar, WORKER))).toBe(path.join(unpacked, WORKER));
    expect(outsideAsar(path.join(asar, WASM))).toBe(path.join(unpacked, WASM));
    const url = outsideAsarUrl(pathToFileURL(path.join(asar, WORKER)));
    expect(fileURLToPath(url)).toBe(path.join(unpacked, WORKER));
  });

  it('leaves paths outside an archive alone (a checkout, the web host, the CLI)', () => {
    const here = fileURLToPath(import.meta.url);
    expect(outsideAsar(here)).toBe(here);
    expect(outsideAsar(path.join(unpacked, WORKER))).toBe(path.join(unpacked, WORKER));
    expect(outsideAsarUrl(new URL('data:text/plain,x')).href).toBe('data:text/plain,x');
  });

  it('says plainly when a file Node must open was left inside the archive', () => {
    expect(() => outsideAsar(path.join(asar, 'dist/electron/node/mqtt/brokerWorker.js'))).toThrow(/inside app\.asar.*asarUnpack must include it/);
  });

  it("matches package.json: what the code opens this way is unpacked by electron-builder's asarUnpack", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { build: { asar: boolean; asarUnpack: string[]; files: string[] } };
    expect(pkg.build.asar).toBe(true);
    // Worker entries and the flasher live in dist/electron/node; the .wasm and every module they import in node_modules.
    expect(pkg.build.asarUnpack).toEqual(expect.arrayContaining(['dist/electron/**', 'node_modules/**']));
    expect(pkg.build.files).toEqual(expect.arrayContaining(['dist/electron/**', 'dist/renderer/**']));
  });
});
