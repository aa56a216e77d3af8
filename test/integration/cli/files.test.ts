// `pinwheel` file commands (put, get, cat, ls, rm, mkdir, mv, df) run as a
// child process against a virtual board on a pty, in both serial models;
// what they did is checked in the board's flash folder and through the CLI.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS, ensureCliBuilt, eventually, runCli, show, startCliBoard, treeOf, type CliBoard, type CliResult } from './cliHarness.js';
import { SeededRandom } from '../../helpers/random.js';

beforeAll(() => ensureCliBuilt(), 120_000);

/** Every byte value, in order and then shuffled (so 0x03, 0x04, \r, \n and 0xff appear in every context). */
function allByteValues(): Buffer {
  const ordered = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const shuffled = Buffer.from(new SeededRandom(12345).shuffled([...ordered]));
  return Buffer.concat([ordered, shuffled, ordered.reverse(), Buffer.alloc(300, 0x03), shuffled]);
}

describe.each(MODELS)('pinwheel file commands, %s model', (model) => {
  let vb: CliBoard;
  let work: string;
  const cli = (...args: string[]) => runCli(args, { port: vb.port, cwd: work });
  const ok = (r: CliResult) => expect(r.code, show(r)).toBe(0);
  const local = (...parts: string[]) => path.join(work, ...parts);

  beforeAll(async () => {
    vb = await startCliBoard(model);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-cli-work-'));
  });

  afterAll(async () => {
    await vb?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('put and get a text file; an unchanged re-put is skipped, --force sends it again', async () => {
    const text = '# héllo\nprint("héllo wörld ☃")\n'.repeat(20);
    fs.writeFileSync(local('hello.py'), text);

    const put = await cli('put', 'hello.py', ':hello.py');
    ok(put);
    expect(put.stdout).toMatch(/hello\.py -> \/hello\.py \(\d/);
    await eventually(() => expect(fs.readFileSync(vb.flash('/hello.py'), 'utf8')).toBe(text));

    const again = await cli('put', 'hello.py', ':hello.py');
    ok(again);
    expect(again.stdout.trim()).toBe('/hello.py unchanged (skipped)');
    const againJson = await cli('--json', 'put', 'hello.py', ':hello.py');
    ok(againJson);
    expect(JSON.parse(againJson.stdout)).toMatchObject([{ remote: '/hello.py', skipped: true, wireBytes: 0, encoding: 'none' }]);
    const forced = await cli('--json', 'put', '--force', 'hello.py', ':hello.py');
    ok(forced);
    const [sent] = JSON.parse(forced.stdout) as Array<{ skipped: boolean; wireBytes: number; bytes: number; atomic: boolean; hashVerified: boolean }>;
    expect(sent).toMatchObject({ skipped: false, bytes: Buffer.byteLength(text), atomic: true, hashVerified: true });
    expect(sent!.wireBytes).toBeGreaterThan(0);

    const get = await cli('get', ':hello.py', 'back/hello.py');
    ok(get);
    expect(get.stdout).toContain('/hello.py -> ');
    expect(fs.readFileSync(local('back', 'hello.py'), 'utf8')).toBe(text);
    const cat = await cli('cat', ':hello.py');
    ok(cat);
    expect(cat.stdout).toBe(text);
  });

  it('binary data with all 256 byte values round trips through put, get and cat', async () => {
    const data = allByteValues();
    fs.writeFileSync(local('all.bin'), data);
    ok(await cli('put', 'all.bin', ':all.bin'));
    await eventually(() => expect(fs.readFileSync(vb.flash('/all.bin')).equals(data)).toBe(true));
    const get = await cli('--json', 'get', ':all.bin', 'fetched.bin');
    ok(get);
    expect(JSON.parse(get.stdout)).toMatchObject({ files: [{ remote: '/all.bin', local: local('fetched.bin'), bytes: data.length }] });
    expect(fs.readFileSync(local('fetched.bin')).equals(data)).toBe(true);
    const cat = await cli('cat', ':all.bin');
    ok(cat);
    expect(cat.stdoutBytes.equals(data)).toBe(true);
  });

  it('puts and gets folders, lists them recursively, and skips the unchanged ones', async () => {
    const src = local('proj');
    fs.mkdirSync(path.join(src, 'lib', 'deep'), { recursive: true });
    fs.mkdirSync(path.join(src, 'empty'));
    fs.writeFileSync(path.join(src, 'main.py'), 'import util\nprint(util.VALUE)\n');
    fs.writeFileSync(path.join(src, 'lib', 'util.py'), 'VALUE = 42\n');
    fs.writeFileSync(path.join(src, 'lib', 'deep', 'blob.bin'), allByteValues().subarray(0, 700));

    const put = await cli('put', 'proj', ':proj');
    ok(put);
    await eventually(() => expect(treeOf(path.join(vb.flashDir, 'proj'))).toEqual(treeOf(src)));
    expect(fs.readFileSync(vb.flash('/proj/lib/deep/blob.bin')).equals(fs.readFileSync(path.join(src, 'lib', 'deep', 'blob.bin')))).toBe(true);

    const ls = await cli('ls', '-r', ':proj');
    ok(ls);
    expect(ls.stdout).toMatch(/^\s+11 {2}\/proj\/lib\/util\.py$/m);
    expect(ls.stdout).toMatch(/^\s+- {2}\/proj\/empty\/$/m);
    const lsJson = await cli('--json', 'ls', '-r', ':proj');
    ok(lsJson);
    const entries = JSON.parse(lsJson.stdout) as Array<{ path: string; type: string; size: number }>;
    expect(entries.map((e) => `${e.type} ${e.path}`).sort()).toEqual([
      'dir /proj/empty',
      'dir /proj/lib',
      'dir /proj/lib/deep',
      'file /proj/lib/deep/blob.bin',
      'file /proj/lib/util.py',
      'file /proj/main.py',
    ]);
    const flat = await cli('--json', 'ls', ':proj');
    expect((JSON.parse(flat.stdout) as unknown[]).length).toBe(3);

    const again = await cli('put', 'proj', ':proj');
    ok(again);
    expect(again.stdout.trim().split('\n').sort()).toEqual(['/proj/lib/deep/blob.bin unchanged (skipped)', '/proj/lib/util.py unchanged (skipped)', '/proj/main.py unchanged (skipped)']);

    const get = await cli('get', ':proj', 'proj-back');
    ok(get);
    expect(treeOf(local('proj-back'))).toEqual(treeOf(src));
    for (const f of ['main.py', 'lib/util.py', 'lib/deep/blob.bin']) {
      expect(fs.readFileSync(local('proj-back', f)).equals(fs.readFileSync(path.join(src, f)))).toBe(true);
    }
  });

  it('handles unicode and quotes in file names', async () => {
    const name = `naïve 'single' "double" ☃ \\back.py`;
    const text = 'print("quoted")\n';
    fs.writeFileSync(local(name), text);
    ok(await cli('put', name, `:${name}`));
    await eventually(() => expect(fs.readFileSync(vb.flash(`/${name}`), 'utf8')).toBe(text));
    const ls = await cli('--json', 'ls');
    expect((JSON.parse(ls.stdout) as Array<{ path: string }>).map((e) => e.path)).toContain(`/${name}`);
    expect((await cli('cat', `:${name}`)).stdout).toBe(text);
    const exact = await cli('get', `:${name}`, 'exact.py');
    ok(exact);
    expect(fs.readFileSync(local('exact.py'), 'utf8')).toBe(text);
    // Into a folder the name is made safe for every OS: " becomes _, a trailing space _, and the
    // backslash is a separator (Windows would take it as one), so the file lands one level down.
    fs.mkdirSync(local('into'));
    ok(await cli('get', `:${name}`, 'into'));
    expect(treeOf(local('into'))).toEqual([`naïve 'single' _double_ ☃_/`, `naïve 'single' _double_ ☃_/back.py`]);
    const renamed = `/${name.replace('naïve', 'ünïcode')}`;
    ok(await cli('mv', `:${name}`, `:${renamed}`));
    await eventually(() => expect(fs.readFileSync(vb.flash(renamed), 'utf8')).toBe(text));
    ok(await cli('rm', `:${renamed}`));
    await eventually(() => expect(fs.existsSync(vb.flash(renamed))).toBe(false));
  });

  it('get never writes outside the target folder, whatever the board names its files', async () => {
    // Names a hostile board could hold: backslashes are ordinary characters on the board's VFS.
    const made = await cli(
      'exec',
      'import os\nos.mkdir("trap")\n' +
        'for n in ("trap/..\\\\..\\\\escape.txt", "trap/..\\\\up.txt", "trap/ok.txt", "..\\\\root-escape.txt"):\n' +
        ' f=open(n,"w");f.write(n);f.close()\n' +
        'print(sorted(os.listdir("trap")))',
    );
    ok(made);
    expect(made.stdout.trim()).toBe("['..\\\\..\\\\escape.txt', '..\\\\up.txt', 'ok.txt']");
    const dest = local('jail', 'inner');
    fs.mkdirSync(dest, { recursive: true });
    const before = treeOf(work).filter((p) => !p.startsWith('jail/'));

    const folder = await cli('get', ':trap', 'jail/inner/trap');
    ok(folder);
    const single = await cli('get', ':..\\root-escape.txt', 'jail/inner');
    ok(single);
    expect(treeOf(work).filter((p) => !p.startsWith('jail/'))).toEqual(before);
    expect(treeOf(local('jail'))).toEqual(['inner/', 'inner/root-escape.txt', 'inner/trap/', 'inner/trap/escape.txt', 'inner/trap/ok.txt', 'inner/trap/up.txt']);
    expect(fs.readFileSync(local('jail', 'inner', 'trap', 'escape.txt'), 'utf8')).toBe('trap/..\\..\\escape.txt');
    expect(fs.existsSync(path.join(os.tmpdir(), 'escape.txt'))).toBe(false);
    // `..` in a remote path climbs on the board, never above its root.
    const climbed = await cli('get', ':../../../trap/ok.txt', 'jail/climbed.txt');
    ok(climbed);
    expect(fs.readFileSync(local('jail', 'climbed.txt'), 'utf8')).toBe('trap/ok.txt');
    ok(await cli('rm', '-r', ':trap', ':..\\root-escape.txt'));
  });

  it('mkdir -p, mv and rm -r change the board as asked', async () => {
    const mk = await cli('mkdir', ':a/b/c', ':x');
    ok(mk);
    await eventually(() => expect(fs.statSync(vb.flash('/a/b/c')).isDirectory()).toBe(true));
    expect(fs.statSync(vb.flash('/x')).isDirectory()).toBe(true);
    ok(await cli('mkdir', ':a/b')); // an existing folder is fine
    fs.writeFileSync(local('f.txt'), 'moved\n');
    ok(await cli('put', 'f.txt', ':a/b/c/'));
    await eventually(() => expect(fs.readFileSync(vb.flash('/a/b/c/f.txt'), 'utf8')).toBe('moved\n'));
    const fileOnFile = await cli('mkdir', ':a/b/c/f.txt');
    expect(fileOnFile.code, show(fileOnFile)).toBe(1);
    expect(fileOnFile.stderr).toMatch(/^pinwheel: .*already exists/m);

    const mv = await cli('mv', ':a/b/c/f.txt', ':a/g.txt');
    ok(mv);
    expect(mv.stdout.trim()).toBe('/a/b/c/f.txt -> /a/g.txt');
    const mvJson = await cli('--json', 'mv', ':a/g.txt', ':x');
    ok(mvJson);
    expect(JSON.parse(mvJson.stdout)).toEqual({ from: '/a/g.txt', to: '/x/g.txt' });
    await eventually(() => expect(fs.readFileSync(vb.flash('/x/g.txt'), 'utf8')).toBe('moved\n'));
    expect(fs.existsSync(vb.flash('/a/g.txt'))).toBe(false);
    ok(await cli('mv', ':x', ':a/b/c/moved-dir'));
    await eventually(() => expect(fs.readFileSync(vb.flash('/a/b/c/moved-dir/g.txt'), 'utf8')).toBe('moved\n'));

    const notEmpty = await cli('rm', ':a');
    expect(notEmpty.code, show(notEmpty)).toBe(1);
    expect(notEmpty.stderr).toMatch(/^pinwheel: .*not empty/m);
    expect(fs.existsSync(vb.flash('/a/b/c/moved-dir/g.txt'))).toBe(true);
    const rmJson = await cli('--json', 'rm', '-r', ':a');
    ok(rmJson);
    expect(JSON.parse(rmJson.stdout)).toEqual({ removed: ['/a'] });
    await eventually(() => expect(fs.existsSync(vb.flash('/a'))).toBe(false));
    const rootRefused = await cli('rm', '-r', ':/');
    expect(rootRefused.code).toBe(1);
    expect(rootRefused.stderr).toMatch(/^pinwheel: Refusing to remove/m);
  });

  it('df shows the storage use as text and as JSON', async () => {
    const text = await cli('df');
    ok(text);
    expect(text.stdout).toMatch(/^\/: [\d.]+ (B|KB|MB) used of [\d.]+ (KB|MB) \(\d+%\), [\d.]+ (KB|MB) free$/m);
    const json = await cli('--json', 'df', ':/');
    ok(json);
    const usage = JSON.parse(json.stdout) as { path: string; totalBytes: number; usedBytes: number; freeBytes: number };
    expect(usage.path).toBe('/');
    expect(usage.totalBytes).toBeGreaterThan(0);
    expect(usage.usedBytes + usage.freeBytes).toBeLessThanOrEqual(usage.totalBytes);
    expect(usage.freeBytes).toBeGreaterThan(0);
  });

  it('a missing remote file is a clear error with exit code 1', async () => {
    for (const args of [['cat', ':nope.py'], ['get', ':nope.py', 'nope.py'], ['rm', ':nope.py'], ['ls', ':nope']]) {
      const r = await cli(...args);
      expect(r.code, show(r)).toBe(1);
      expect(r.stderr).toMatch(/^pinwheel: No such file or folder on the board: \/nope(\.py)?$/m);
      expect(r.stderr).not.toContain('Unexpected error');
    }
    expect(fs.existsSync(local('nope.py'))).toBe(false);
    const localMissing = await cli('put', 'no-such-local.py');
    expect(localMissing.code, show(localMissing)).toBe(1);
    expect(localMissing.stderr).toBe('pinwheel: No such local file or folder: no-such-local.py\n');
    const json = await cli('--json', 'cat', ':nope.py');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ error: 'No such file or folder on the board: /nope.py', exitCode: 1 });
  });
});
