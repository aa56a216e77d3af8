// Every `pinwheel` command on a 1.9-era board: the virtual board's
// '1.9-minimal' profile (flat filesystem, no raw-paste, no stdin, no hashlib
// or binascii, a 10 KB heap, a 64-byte UART receive buffer) on a pty, the CLI
// run as a child process. The first test is the table from the issue that
// asked for these boards: each of those commands failed on real 1.9 firmware.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, eventually, runCli, show, startCliBoard, type CliBoard, type CliResult } from './cliHarness.js';
import { makePythonSource } from '../../bench/upload.js';

beforeAll(() => ensureCliBuilt(), 120_000);

describe('pinwheel on a 1.9-era board', () => {
  let vb: CliBoard;
  let work: string;
  const cli = (...args: string[]) => runCli(args, { port: vb.port, cwd: work });
  const ok = (r: CliResult) => expect(r.code, show(r)).toBe(0);
  const failsWith = (r: CliResult, message: RegExp) => {
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).toMatch(message);
  };

  beforeAll(async () => {
    vb = await startCliBoard('uart', { profile: '1.9-minimal' });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-cli-19-'));
  });

  afterAll(async () => {
    await vb?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('ls on an empty board, put, cat and rm: the commands that failed on 1.9.2', async () => {
    const ls = await cli('ls');
    ok(ls);
    expect(ls.stdout).toBe('');

    fs.writeFileSync(path.join(work, 'main.py'), 'print("hello from 1.9")\n');
    ok(await cli('put', 'main.py', ':main.py'));
    // A flat filesystem: the file is `main.py` at the top, whether asked for as :main.py or :/main.py.
    await eventually(() => expect(fs.readFileSync(vb.flash('main.py'), 'utf8')).toBe('print("hello from 1.9")\n'));
    fs.writeFileSync(path.join(work, 'a.txt'), 'alpha\n');
    ok(await cli('put', 'a.txt', ':/a.txt'));
    const listed = await cli('ls');
    ok(listed);
    expect(listed.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/)).sort()).toEqual([['24', '/main.py'], ['6', '/a.txt']]);

    for (const name of [':a.txt', ':/a.txt']) {
      const cat = await cli('cat', name);
      ok(cat);
      expect(cat.stdout).toBe('alpha\n');
    }
    ok(await cli('get', ':main.py', 'back.py'));
    expect(fs.readFileSync(path.join(work, 'back.py'), 'utf8')).toBe('print("hello from 1.9")\n');

    ok(await cli('rm', ':a.txt'));
    await eventually(() => expect(fs.existsSync(vb.flash('a.txt'))).toBe(false));
    failsWith(await cli('cat', ':a.txt'), /No such file.*\/a\.txt/);
  });

  it('a folder, mkdir and df say what the board lacks', async () => {
    fs.mkdirSync(path.join(work, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(work, 'lib', 'x.py'), 'x = 1\n');
    failsWith(await cli('put', 'lib', ':lib'), /no folders/);
    failsWith(await cli('put', 'lib/x.py', ':lib/x.py'), /no folders/);
    failsWith(await cli('mkdir', ':lib'), /no folders/);
    failsWith(await cli('df'), /disk usage/);
  });

  it('exec, run (its traceback names the file), reset', async () => {
    const exec = await cli('exec', 'import os; print(sorted(os.listdir()))');
    ok(exec);
    expect(exec.stdout.trim()).toBe("['main.py']");

    fs.writeFileSync(path.join(work, 'boom.py'), 'print("before")\nx = 1\nraise ValueError("boom")\n');
    const run = await cli('run', 'boom.py');
    expect(run.code, show(run)).toBe(1);
    expect(run.stdout.replace(/\r\n/g, '\n')).toBe('before\n');
    expect(run.stderr).toMatch(/File "boom\.py", line 3/);

    ok(await cli('reset'));
    const after = await cli('exec', 'print(6 * 7)');
    ok(after);
    expect(after.stdout.trim()).toBe('42');
  });

  it('repl talks to the board', async () => {
    const r = await runCli(['repl'], { port: vb.port, cwd: work, input: 'x = 6 * 7\nprint("answer", x)\n' });
    ok(r);
    expect(r.stdout).toMatch(/answer 42/);
  });

  it('a 50 KB upload over the 64-byte buffer arrives whole, and no byte was dropped all along', async () => {
    const source = makePythonSource(50 * 1024);
    fs.writeFileSync(path.join(work, 'big.py'), source);
    ok(await cli('put', 'big.py', ':big.py'));
    await eventually(() => expect(fs.readFileSync(vb.flash('big.py'), 'utf8')).toBe(source));
    expect(vb.board.stats.rxDroppedBytes).toBe(0);
  });
});
