// The engine's side of running a user's program: the command it sends, the
// traceback it hands on, and how much of the output it keeps.
import { describe, expect, it } from 'vitest';
import { BoardSession, STREAMED_OUTPUT_TAIL_CHARS } from '../../../electron/common/board/BoardSession.js';
import { BoardExecError } from '../../../electron/common/board/BoardError.js';
import { RUN_WRAPPER_FRAME, runPy } from '../../../electron/common/board/python/runPy.js';
import { ScriptedLink, type ScriptStep } from '../../support/ScriptedLink.js';
import { FAST_TIMING, enterRaw, exitRaw, rawPasteExec } from './scripts.js';

function session(steps: ScriptStep[]) {
  const link = new ScriptedLink(steps);
  return { link, s: new BoardSession(link, { timing: FAST_TIMING }) };
}

const SOURCE = 'x = "it\'s"\nprint(x)\nundefined_name\n';

describe('BoardSession.runProgram', () => {
  it('has the board compile the program under its name, and hands on its traceback without the wrapper frame', async () => {
    const tb = ['Traceback (most recent call last):', RUN_WRAPPER_FRAME, '  File "main.py", line 3, in <module>', "NameError: name 'undefined_name' isn't defined", ''].join('\r\n');
    const { link, s } = session([
      ...enterRaw(),
      ...rawPasteExec({ stdout: "it's\r\n", stderr: tb, check: (code) => expect(code).toBe(runPy(SOURCE, 'main.py').text) }),
      ...exitRaw(),
    ]);
    const out: string[] = [];
    const errs: string[] = [];
    const err = (await s.runProgram(SOURCE, { name: 'main.py', onStdout: (t) => out.push(t), onStderr: (t) => errs.push(t) }).catch((e: unknown) => e)) as BoardExecError;
    const shown = tb.replace(RUN_WRAPPER_FRAME + '\r\n', '');
    expect(err).toBeInstanceOf(BoardExecError);
    expect(err.traceback).toBe(shown);
    expect(err.exceptionType).toBe('NameError');
    expect(errs.join('')).toBe(shown);
    expect(out.join('')).toBe("it's\r\n");
    await link.whenDone();
    link.assertDone();
  });

  it('sends the source as it is without a name', async () => {
    const { link, s } = session([...enterRaw(), ...rawPasteExec({ stdout: 'ok\r\n', check: (code) => expect(code).toBe('print("ok")') }), ...exitRaw()]);
    await expect(s.runProgram('print("ok")')).resolves.toMatchObject({ stdout: 'ok\r\n' });
    await link.whenDone();
    link.assertDone();
  });

  it('quotes any source into the command: quotes, backslashes, control and non-ASCII characters', () => {
    const code = runPy('print("a\\tb", \'\x04\')\n# ünïcode ✓\r\n', 'dir/my "file".py').text;
    expect(code).not.toMatch(/[\x00-\x1f]/);
    expect(code).toBe(`exec(getattr(__import__("builtins"),"compile",lambda s,n,m:s)('print("a\\\\tb", \\'\\x04\\')\\n# ünïcode ✓\\r\\n','dir/my "file".py',"exec"),globals())`);
  });
});

describe('exec keeps a bounded tail of streamed output', () => {
  const big = Array.from({ length: 20_000 }, (_, i) => `line ${i}\r\n`).join('');

  it('streams every character but keeps only the tail when the caller streams', async () => {
    const { link, s } = session([...enterRaw(), ...rawPasteExec({ stdout: big, stderr: 'E'.repeat(STREAMED_OUTPUT_TAIL_CHARS + 10) }), ...exitRaw()]);
    const chunks: string[] = [];
    const errs: string[] = [];
    const err = (await s.exec('flood()', { onStdout: (t) => chunks.push(t), onStderr: (t) => errs.push(t) }).catch((e: unknown) => e)) as BoardExecError;
    expect(chunks.join('')).toBe(big);
    expect(errs.join('')).toHaveLength(STREAMED_OUTPUT_TAIL_CHARS + 10);
    expect(err.stdout).toBe(big.slice(-STREAMED_OUTPUT_TAIL_CHARS));
    expect(err.traceback).toHaveLength(STREAMED_OUTPUT_TAIL_CHARS);
    await link.whenDone();
    link.assertDone();
  });

  it('says so in the result, and keeps all of it for callers that read the result', async () => {
    const { link, s } = session([...enterRaw(), ...rawPasteExec({ stdout: big }), ...rawPasteExec({ stdout: big }), ...exitRaw()]);
    const [streamed, read] = await s.run(async (r) => [await r.exec('flood()', { onStdout: () => undefined }), await r.exec('flood()')]);
    expect(streamed).toEqual({ stdout: big.slice(-STREAMED_OUTPUT_TAIL_CHARS), stderr: '', stdoutTruncated: true, stderrTruncated: false });
    expect(read).toEqual({ stdout: big, stderr: '', stdoutTruncated: false, stderrTruncated: false });
    await link.whenDone();
    link.assertDone();
  });
});
