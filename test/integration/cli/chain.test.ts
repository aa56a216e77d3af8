// `pinwheel A + B + C`: chained steps run as a child process against a virtual
// board on a pty: one connection for the whole chain, a reset in the middle that
// leaves the board usable, the first failure ending the chain with its step named,
// and usage errors in any step reported before anything touches the board.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS, ensureCliBuilt, eventually, runCli, show, startCliBoard, type CliBoard, type CliResult } from './cliHarness.js';

beforeAll(() => ensureCliBuilt(), 120_000);

/** --debug lines that say the port was opened and closed (BoardConnection). */
const opened = (r: CliResult) => r.stderr.split('\n').filter((l) => l.startsWith('[pinwheel] opened ')).length;
const closed = (r: CliResult) => r.stderr.split('\n').filter((l) => l.startsWith('[pinwheel] closed ')).length;
const lines = (text: string) => text.replace(/\r\n/g, '\n');

describe.each(MODELS)('pinwheel chains, %s model', (model) => {
  let vb: CliBoard;
  let work: string;
  const cli = (...args: string[]) => runCli(args, { port: vb.port, cwd: work });

  beforeAll(async () => {
    vb = await startCliBoard(model);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-cli-chain-'));
  });

  afterAll(async () => {
    await vb?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("runs the issue's example (put + exec + reset) over one connection, opened and closed once", async () => {
    fs.writeFileSync(path.join(work, 'main.py'), `print("main.py ran on ${model}")\n`);
    const r = await cli('--debug', 'put', 'main.py', ':', '+', 'exec', 'import machine', '+', 'reset');
    expect(r.code, show(r)).toBe(0);
    expect(opened(r)).toBe(1);
    expect(closed(r)).toBe(1);
    expect(r.stdout).toMatch(/main\.py -> \/main\.py \(/);
    expect(r.stdout).toContain(`main.py ran on ${model}`);
    await eventually(() => expect(fs.readFileSync(vb.flash('/main.py'), 'utf8')).toBe(`print("main.py ran on ${model}")\n`));
    ok(await cli('rm', ':main.py'));
  });

  it('leaves the connection usable after a reset in the middle: put + exec + reset + exec', async () => {
    fs.writeFileSync(path.join(work, 'main.py'), 'print("booted")\nfrom_main = 7\n');
    const r = await cli('--debug', 'put', 'main.py', ':main.py', '+', 'exec', 'before_reset = 1', '+', 'reset', '+', 'exec', 'print("after", "before_reset" in globals(), from_main)');
    expect(r.code, show(r)).toBe(0);
    expect(opened(r)).toBe(1);
    const out = lines(r.stdout);
    // The soft reset cleared the REPL's globals and ran main.py, whose globals the last step sees.
    expect(out).toContain('booted\n');
    expect(out).toMatch(/^after False 7$/m);
    expect(out.indexOf('booted')).toBeLessThan(out.indexOf('after False'));
    // Two raw REPL entries: once at the start and once after the reset; none between the other steps.
    expect(r.stderr.split('\n').filter((l) => l.includes('raw REPL entered')).length).toBe(2);
    ok(await cli('rm', ':main.py'));
  });

  it('runs a hard reset in the middle of a chain too', async () => {
    const r = await cli('exec', 'hard_marker = 1', '+', 'reset', '--hard', '+', 'exec', 'print("after hard", "hard_marker" in globals())');
    expect(r.code, show(r)).toBe(0);
    expect(lines(r.stdout)).toMatch(/^Hard reset \(machine\.reset\(\)\)\.\nafter hard False$/m);
  });

  it('ends a chain with repl: the REPL gets the friendly prompt after steps that kept the board in the raw REPL', async () => {
    const r = await runCli(['exec', 'chained_value = 41', '+', 'repl'], { port: vb.port, cwd: work, input: 'print("answer", chained_value + 1)\n' });
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toMatch(/answer 42\r?\n>>> /);
    expect(r.stdout).not.toContain('raw REPL');
  });

  it('stops at the first failing step with its message and exit code; later steps do not run', async () => {
    const r = await cli('exec', 'print("one")', '+', 'exec', '1/0', '+', 'exec', 'print("three")');
    expect(r.code, show(r)).toBe(1);
    expect(lines(r.stdout)).toBe('one\n');
    expect(r.stderr).toMatch(/ZeroDivisionError/);
    expect(r.stderr).toMatch(/^pinwheel: step 2 \(exec\): ZeroDivisionError: divide by zero$/m);
    expect(r.stderr).not.toContain('three');

    const missing = await cli('exec', 'chain_mark = 1', '+', 'put', 'no-such-file.py', '+', 'exec', 'chain_mark = 3');
    expect(missing.code, show(missing)).toBe(1);
    expect(missing.stderr).toBe('pinwheel: step 2 (put): No such local file or folder: no-such-file.py\n');
    const mark = await cli('exec', 'print(chain_mark)');
    expect(mark.stdout.trim()).toBe('1');

    const json = await cli('--json', 'exec', 'print(1)', '+', 'cat', ':no-such-file');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout.slice(json.stdout.indexOf('{')))).toEqual({ error: 'No such file or folder on the board: /no-such-file', exitCode: 1, step: 2, command: 'cat' });
  });

  it('reports a usage error in a later step before touching the board', async () => {
    fs.writeFileSync(path.join(work, 'untouched.txt'), 'never sent\n');
    const r = await cli('--debug', 'put', 'untouched.txt', ':untouched.txt', '+', 'exec', 'print(1)', '+', 'ls', '--force');
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toBe('pinwheel: step 3 (ls): `pinwheel ls` does not take --force. Usage: pinwheel ls [-r] [:PATH]\n');
    expect(r.stdout).toBe('');
    expect(opened(r)).toBe(0);
    const ls = await cli('--json', 'ls');
    expect((JSON.parse(ls.stdout) as Array<{ path: string }>).map((e) => e.path)).not.toContain('/untouched.txt');
    // Not even the port is tried: a port that does not exist is not what the user hears about.
    const noPort = await runCli(['--port', '/dev/pinwheel-no-such-port', 'exec', 'print(1)', '+', 'cat'], { cwd: work });
    expect(noPort.code, show(noPort)).toBe(2);
    expect(noPort.stderr).toBe('pinwheel: step 2 (cat): Usage: pinwheel cat :PATH\n');
  });
});

describe('pinwheel chains without a board', () => {
  it('chains commands that need no board, and opens none', async () => {
    const r = await runCli(['--debug', 'ports', '+', '--json', 'ports']);
    expect(r.code, show(r)).toBe(0);
    expect(opened(r)).toBe(0);
    // The second step's JSON is the last thing printed; --json held for the first step too.
    const texts = r.stdout.trim().split(/\n(?=\[)/);
    expect(texts).toHaveLength(2);
    for (const t of texts) expect(Array.isArray(JSON.parse(t))).toBe(true);
  });
});

function ok(r: CliResult) {
  expect(r.code, show(r)).toBe(0);
}
