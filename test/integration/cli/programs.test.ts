// `pinwheel` program commands (exec, run, repl, reset) run as a child process
// against a virtual board on a pty, in both serial models: streaming output,
// Ctrl-C (SIGINT), tracebacks, piped REPL input (keys and bracketed pastes), soft and hard resets.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS, ensureCliBuilt, eventually, runCli, show, spawnCli, startCliBoard, type CliBoard, type CliResult } from './cliHarness.js';

beforeAll(() => ensureCliBuilt(), 120_000);

/** After SIGINT the CLI must stop the program and exit within this. */
const INTERRUPT_EXIT_MS = 5000;

describe.each(MODELS)('pinwheel program commands, %s model', (model) => {
  let vb: CliBoard;
  let work: string;
  const cli = (...args: string[]) => runCli(args, { port: vb.port, cwd: work });
  const ok = (r: CliResult) => expect(r.code, show(r)).toBe(0);

  beforeAll(async () => {
    vb = await startCliBoard(model);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-cli-run-'));
  });

  afterAll(async () => {
    await vb?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('exec streams the output while the program runs', async () => {
    const p = spawnCli(['exec', 'import time\nfor i in range(3):\n    print("tick", i)\n    time.sleep(0.4)\nprint("done")'], { port: vb.port, cwd: work });
    const r = await p.done;
    ok(r);
    expect(r.stdout.replace(/\r\n/g, '\n')).toBe('tick 0\ntick 1\ntick 2\ndone\n');
    // The first line came while the board still had ~1.2 s of sleeping to do.
    // A line may arrive split over chunks: find when the output so far first held it.
    const seenAt = (text: string) => {
      let so = '';
      return p.chunks.find((c) => (so += c.text).includes(text))!.at;
    };
    expect(seenAt('done') - seenAt('tick 0')).toBeGreaterThan(900);
    expect(r.stderr).toBe('');
  });

  it('run executes a local file without saving it, streaming its output', async () => {
    fs.writeFileSync(path.join(work, 'count.py'), 'import time\nfor i in range(3):\n    print("line", i)\n    time.sleep(0.3)\n');
    const p = spawnCli(['run', 'count.py'], { port: vb.port, cwd: work });
    await p.waitForStdout('line 0');
    expect(p.child.exitCode).toBeNull();
    const r = await p.done;
    ok(r);
    expect(r.stdout.replace(/\r\n/g, '\n')).toBe('line 0\nline 1\nline 2\n');
    const ls = await cli('--json', 'ls');
    expect((JSON.parse(ls.stdout) as Array<{ path: string }>).map((e) => e.path)).not.toContain('/count.py');
  });

  it('Ctrl-C (SIGINT) stops a while-True program with exit 130, and the board answers the next command', async () => {
    fs.writeFileSync(path.join(work, 'forever.py'), 'n = 0\nprint("looping")\nwhile True:\n    n += 1\n');
    const p = spawnCli(['run', 'forever.py'], { port: vb.port, cwd: work });
    await p.waitForStdout('looping');
    const t0 = performance.now();
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code, show(r)).toBe(130);
    expect(performance.now() - t0).toBeLessThan(INTERRUPT_EXIT_MS);
    const next = await cli('exec', 'print("alive", n > 0)');
    ok(next);
    expect(next.stdout.trim()).toBe('alive True');
  });

  it('a sleep after an interrupted sleep loop takes its time (issue: it hung until a soft reset)', async () => {
    const timedSleep = 'import time; t=time.ticks_ms(); time.sleep(0.3); print(time.ticks_diff(time.ticks_ms(), t))';
    const before = await cli('exec', timedSleep);
    ok(before);
    expect(Number(before.stdout.trim())).toBeGreaterThanOrEqual(295);
    // As `timeout 2 pinwheel exec ...` does: the CLI is killed, the loop keeps running on the board...
    const loop = spawnCli(['exec', 'import time\nprint("looping")\nwhile True: time.sleep_ms(10)'], { port: vb.port, cwd: work });
    await loop.waitForStdout('looping');
    loop.child.kill('SIGTERM');
    await loop.done;
    // ...until the next command's Ctrl-C interrupts it inside a sleep.
    const after = await cli('exec', timedSleep);
    ok(after);
    expect(Number(after.stdout.trim())).toBeGreaterThanOrEqual(295);
    expect(Number(after.stdout.trim())).toBeLessThan(360);
  });

  it('a traceback exits 1 with the error on stderr; output before it stays on stdout', async () => {
    fs.writeFileSync(path.join(work, 'boom.py'), 'print("before")\ndef f():\n    raise ValueError("boom")\nf()\n');
    const r = await cli('run', 'boom.py');
    expect(r.code, show(r)).toBe(1);
    expect(r.stdout.replace(/\r\n/g, '\n')).toBe('before\n');
    expect(r.stderr).toContain('Traceback (most recent call last)');
    // The board names the file that was run, with its own line numbers and no frame of the CLI's.
    expect(r.stderr).toMatch(/^ {2}File "boom\.py", line 4, in <module>\r?\n {2}File "boom\.py", line 3, in f\r?\nValueError: boom\r?$/m);
    expect(r.stderr).not.toContain('<stdin>');
    expect(r.stderr).toMatch(/^pinwheel: ValueError: boom$/m);
    const e = await cli('exec', '1/0');
    expect(e.code).toBe(1);
    expect(e.stderr).toMatch(/ZeroDivisionError/);
    expect(e.stdout).toBe('');
    const missing = await cli('run', 'no-such-file.py');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^pinwheel: Cannot read no-such-file\.py: no such file\.$/m);
  });

  it('repl takes piped input and prints what the board answers', async () => {
    const r = await runCli(['repl'], { port: vb.port, cwd: work, input: 'x = 6 * 7\nprint("answer", x)\n' });
    ok(r);
    expect(r.stdout).toContain('>>> x = 6 * 7');
    expect(r.stdout).toMatch(/answer 42\r?\n>>> /);
    expect(r.stderr).toBe('');
  });

  it('repl sends a bracketed paste through paste mode, between typed lines', async () => {
    // Typed line by line, the blank line would end the function and "return" would be an IndentationError.
    const pasted = 'def f():\n    a = x\n\n    return a * 7\nprint("pasted", f())\n';
    const r = await runCli(['repl'], { port: vb.port, cwd: work, input: `x = 6\n\x1b[200~${pasted}\x1b[201~print("after")\n` });
    ok(r);
    expect(r.stdout).toContain('=== ');
    expect(r.stdout).toMatch(/pasted 42\r?\n/);
    expect(r.stdout).toMatch(/after\r?\n>>> /);
    expect(r.stdout).not.toMatch(/Error/);
    expect(r.stdout).not.toContain('\x1b[20');
    expect(r.stderr).toBe('');
  });

  it('reset soft-resets the board: main.py runs and its output appears', async () => {
    fs.writeFileSync(path.join(work, 'main.py'), `print("main.py ran on ${model}")\n`);
    ok(await cli('put', 'main.py', ':main.py'));
    try {
      ok(await cli('exec', 'soft_marker = 1'));
      const r = await cli('reset');
      ok(r);
      expect(r.stdout).toContain(`main.py ran on ${model}`);
      const json = await cli('--json', 'reset');
      ok(json);
      const parsed = JSON.parse(json.stdout) as { reset: string; output: string };
      expect(parsed.reset).toBe('soft');
      expect(parsed.output).toContain(`main.py ran on ${model}`);
      const gone = await cli('exec', 'print("soft_marker" in globals())');
      expect(gone.stdout.trim()).toBe('False');
    } finally {
      ok(await cli('rm', ':main.py'));
    }
  });

  it('reset --hard restarts the chip: variables are gone, files stay, and it answers', async () => {
    fs.writeFileSync(path.join(work, 'keep.txt'), 'kept\n');
    ok(await cli('put', 'keep.txt', ':keep.txt'));
    ok(await cli('exec', 'hard_marker = 1'));
    const r = await cli('reset', '--hard');
    ok(r);
    expect(r.stdout.trim()).toBe('Hard reset (machine.reset()).');
    const after = await cli('exec', 'print("hard_marker" in globals(), open("keep.txt").read().strip())');
    ok(after);
    expect(after.stdout.trim()).toBe('False kept');
    const json = await cli('--json', 'reset', '--hard');
    ok(json);
    expect(JSON.parse(json.stdout)).toEqual({ reset: 'hard', method: 'machine' });
    await eventually(() => expect(fs.readFileSync(vb.flash('/keep.txt'), 'utf8')).toBe('kept\n'));
    ok(await cli('exec', 'print("up")'));
  });

  it('PINWHEEL_PORT works like --port', async () => {
    const r = await runCli(['exec', 'print("via env")'], { cwd: work, env: { PINWHEEL_PORT: vb.port } });
    ok(r);
    expect(r.stdout.trim()).toBe('via env');
  });
});
