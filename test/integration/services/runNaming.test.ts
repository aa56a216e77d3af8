// board.run with the buffer's name, on the built-in virtual board (real
// MicroPython behind the real raw REPL): the board compiles the program under
// that name, so its traceback names the file and its lines, with no frame of
// the engine's; the program sees the REPL's globals; Ctrl-C still stops it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIRTUAL_BOARD_PATH } from '../../../electron/common/api/contract.js';
import { startTestBackend, type TestBackend } from './harness.js';

/** Stop interrupts a running program this fast (the engine waits a moment, then sends Ctrl-C). */
const STOP_WITHIN_MS = 3000;

let t: TestBackend;

beforeAll(async () => {
  t = await startTestBackend();
  await t.client.call('board.connect', { path: VIRTUAL_BOARD_PATH });
});

afterAll(async () => {
  await t?.close();
});

/** Runs `code` as `name` and returns the result with what the terminal showed up to the prompt after it. */
async function run(code: string, name?: string) {
  await t.terminal.settle();
  const result = await t.client.call('board.run', { code, ...(name ? { name } : {}) });
  const shown = await t.terminal.waitFor('>>> ');
  return { result, shown };
}

describe('board.run names the program in its traceback', () => {
  it('says File "main.py" with the program\'s own line numbers, and nothing of the wrapper', async () => {
    const code = ['print("about to fail")', 'def f(x):', '    return x + undefined_name', 'f(1)', 'print("never")'].join('\n');
    const { result, shown } = await run(code, 'main.py');
    expect(result).toMatchObject({ ok: false, interrupted: false, error: expect.stringMatching(/^NameError: .*undefined_name/) });
    expect(shown).toMatch(/about to fail\r?\nTraceback \(most recent call last\):\r?\n {2}File "main\.py", line 4, in <module>\r?\n {2}File "main\.py", line 3, in f\r?\nNameError: /);
    expect(shown).not.toContain('<stdin>');
    expect(shown).not.toContain('never');
  });

  it('names a syntax error\'s line in the file', async () => {
    const { result, shown } = await run('x = 1\ny = (\nprint(x)\n', 'broken.py');
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^SyntaxError/) });
    expect(shown).toMatch(/Traceback \(most recent call last\):\r?\n {2}File "broken\.py", line \d+\r?\nSyntaxError/);
    expect(shown).not.toContain('<stdin>');
  });

  it('runs in the REPL\'s globals as __main__, and leaves no names of its own behind', async () => {
    await run('before = set(globals())\nshared = 6');
    const { result, shown } = await run('print("name", __name__)\nprint("shared", shared * 7)\nmade = "by the program"\n', 'globals.py');
    expect(result).toEqual({ ok: true, interrupted: false });
    expect(shown).toMatch(/name __main__\r?\nshared 42\r?\n/);
    const after = await run('print("new", sorted(set(globals()) - before - {"before", "shared"}))');
    expect(after.shown).toMatch(/new \['made'\]\r?\n/);
  });

  it('stops on board.stop, and the board goes on with what the program left', async () => {
    await t.terminal.settle();
    const running = t.client.call('board.run', { code: 'print("spinning")\nspins = 0\nwhile True:\n    spins += 1\n', name: 'spin.py' }, { timeoutMs: 0 });
    await t.terminal.waitFor('spinning');
    const stopped = performance.now();
    await t.client.call('board.stop', {});
    expect(await running).toMatchObject({ ok: false, interrupted: true });
    expect(performance.now() - stopped).toBeLessThan(STOP_WITHIN_MS);
    const { shown } = await run('print("spun", spins > 0)');
    expect(shown).toMatch(/spun True\r?\n/);
  });

  it('reports a KeyboardInterrupt the program raises as an interruption, in the named file', async () => {
    const { result, shown } = await run('def stop():\n    raise KeyboardInterrupt\nstop()\n', 'ki.py');
    expect(result).toMatchObject({ ok: false, interrupted: true });
    expect(shown).toMatch(/Traceback \(most recent call last\):\r?\n {2}File "ki\.py", line 3, in <module>\r?\n {2}File "ki\.py", line 2, in stop\r?\nKeyboardInterrupt/);
    expect(shown).not.toContain('<stdin>');
  });

  it('keeps <stdin> for code run without a name', async () => {
    const { shown } = await run('1/0');
    expect(shown).toMatch(/File "<stdin>", line 1, in <module>\r?\nZeroDivisionError/);
  });
});
