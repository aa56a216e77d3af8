// `pinwheel mip install`: packages from a local index fixture (mip's layout, served by the test) onto
// a virtual board's /lib, with dependencies; then imported on the board. Missing packages, a package
// too big for the board's free space, and an index that went away (the cache) each say what happened
// and leave the board's /lib as it was.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageIndexServer } from '../../support/PackageIndexServer.js';
import { ensureCliBuilt, eventually, runCli, show, startCliBoard, treeOf, type CliBoard, type CliResult } from './cliHarness.js';

beforeAll(() => ensureCliBuilt(), 120_000);

const boardPython = (name: string) => fs.readFileSync(new URL(`../../support/boardPython/${name}`, import.meta.url), 'utf8');
const TINYMQTT = boardPython('tinymqtt.py');
const TINYROBUST = boardPython('tinyrobust.py');

describe('pinwheel mip install', () => {
  let vb: CliBoard;
  let index: PackageIndexServer;
  let dataDir: string;
  const cli = (...args: string[]) => runCli(args, { port: vb.port, env: { PINWHEEL_DATA_DIR: dataDir, PINWHEEL_PACKAGE_INDEX: index.url } });
  const ok = (r: CliResult) => expect(r.code, show(r)).toBe(0);
  const lib = () => (fs.existsSync(vb.flash('/lib')) ? treeOf(vb.flash('/lib')) : []);

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-mip-data-'));
    index = await new PackageIndexServer(
      {
        'umqtt.simple': { version: '1.4.0', files: { 'umqtt/simple.py': TINYMQTT } },
        'umqtt.robust': { version: '1.0.2', files: { 'umqtt/robust.py': TINYROBUST }, deps: [['umqtt.simple', '1.4.0']] },
        broken: { version: '0.1', files: { 'broken.py': 'import ghost\n' }, deps: [['ghost', 'latest']] },
        // Bigger than the virtual board's 2 MB filesystem.
        huge: { version: '1.0', files: { 'huge/data.bin': new Uint8Array(2600 * 1024).fill(0x41) } },
      },
      {
        // A package hosted elsewhere: a package.json with `urls` (relative and absolute), as on GitHub.
        '/elsewhere/blinker/package.json': { urls: [['blinker/__init__.py', 'core.py'], ['blinker/extra.py', '/elsewhere/blinker/extra.py']], version: '0.3' },
        '/elsewhere/blinker/core.py': 'def blink():\n    return "blinked"\n',
        '/elsewhere/blinker/extra.py': 'EXTRA = 42\n',
        '/elsewhere/single.py': 'VALUE = "single file"\n',
      },
    ).start();
    vb = await startCliBoard('uart');
  });

  afterAll(async () => {
    await vb?.stop();
    await index?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('installs a package and its dependency into /lib, and the board imports them', async () => {
    const r = await cli('mip', 'install', 'umqtt.robust');
    ok(r);
    expect(r.stdout).toContain('umqtt.robust 1.0.2: 1 file, needs umqtt.simple');
    expect(r.stdout).toContain('umqtt.simple 1.4.0: 1 file');
    expect(r.stdout).toMatch(/Installed to \/lib: 2 files/);
    // The board reports .mpy version 6; the fixture has only sources, and the note says so.
    expect(r.stderr).toContain('no files compiled for this board\'s .mpy version 6; installing the source (.py) files');
    await eventually(() => expect(lib()).toEqual(['umqtt/', 'umqtt/robust.py', 'umqtt/simple.py']));
    expect(fs.readFileSync(vb.flash('/lib/umqtt/simple.py'), 'utf8')).toBe(TINYMQTT);
    const imported = await runCli(['exec', 'from umqtt.robust import MQTTClient; print(hasattr(MQTTClient, "reconnect"), hasattr(MQTTClient, "subscribe"))'], { port: vb.port });
    ok(imported);
    expect(imported.stdout.trim()).toBe('True True');
  });

  it('installs from a package.json URL (relative and absolute file URLs) and a single-file URL; --json says what it did', async () => {
    const r = await cli('--json', 'mip', 'install', `${index.url}/elsewhere/blinker`, `${index.url}/elsewhere/single.py`);
    ok(r);
    const result = JSON.parse(r.stdout) as { files: string[]; packages: Array<{ name: string; version?: string }> };
    expect(result.files.sort()).toEqual(['/lib/blinker/__init__.py', '/lib/blinker/extra.py', '/lib/single.py']);
    expect(result.packages.map((p) => p.version)).toEqual(['0.3', undefined]);
    const used = await runCli(['exec', 'import blinker, blinker.extra, single; print(blinker.blink(), blinker.extra.EXTRA, single.VALUE)'], { port: vb.port });
    ok(used);
    expect(used.stdout.trim()).toBe('blinked 42 single file');
  });

  it('says which package is missing, and who needed it, installing nothing', async () => {
    const before = lib();
    const missing = await cli('mip', 'install', 'nosuch');
    expect(missing.code, show(missing)).toBe(1);
    expect(missing.stderr).toContain(`The package index (${index.url}) has no package named "nosuch".`);
    const dep = await cli('mip', 'install', 'broken');
    expect(dep.code, show(dep)).toBe(1);
    expect(dep.stderr).toContain('has no package named "ghost" (needed by broken)');
    const version = await cli('mip', 'install', 'umqtt.simple@9.9');
    expect(version.code, show(version)).toBe(1);
    expect(version.stderr).toContain('has no version 9.9 of "umqtt.simple"');
    const bad = await cli('mip', 'install', 'ftp://example.com/x.py');
    expect(bad.code, show(bad)).toBe(1);
    expect(bad.stderr).toContain('only http(s)://, github: and gitlab: addresses');
    expect(lib()).toEqual(before);
  });

  it('refuses a package the board has no room for, before writing anything', async () => {
    const before = lib();
    const r = await cli('mip', 'install', 'huge');
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).toMatch(/The board has [\d.]+ [MK]B free; huge need about 2\.\d+ MB \(1 files\)\. Nothing was installed/);
    expect(lib()).toEqual(before);
  });

  it('installs from the cache when the index is gone, and says so', async () => {
    const requestsBefore = index.requests.length;
    const port = new URL(index.url).port;
    await index.stop();
    try {
      ok(await runCli(['rm', '-r', ':/lib/umqtt'], { port: vb.port }));
      const r = await cli('mip', 'install', 'umqtt.robust');
      ok(r);
      expect(r.stderr).toContain('Used the copy kept from an earlier install');
      expect(r.stderr).toContain(`127.0.0.1:${port}`);
      await eventually(() => expect(fs.readFileSync(vb.flash('/lib/umqtt/robust.py'), 'utf8')).toBe(TINYROBUST));
    } finally {
      await index.start();
    }
    expect(index.requests.length).toBe(requestsBefore);
    // Nothing is left of the staging folders.
    expect(lib().filter((p) => p.startsWith('.pinwheel-staging'))).toEqual([]);
  });
});
