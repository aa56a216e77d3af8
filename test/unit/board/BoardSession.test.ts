import { describe, expect, it } from 'vitest';
import { ScriptedLink, type ScriptStep } from '../../support/ScriptedLink.js';
import { LinkError } from '../../../electron/common/link/Link.js';
import { BoardSession } from '../../../electron/common/board/BoardSession.js';
import { BoardError, BoardExecError } from '../../../electron/common/board/BoardError.js';
import { ApiError } from '../../../electron/common/api/errors.js';
import { FAST_TIMING, RAW_BANNER, enterRaw, exitRaw, rawPasteExec } from './scripts.js';

function session(steps: ScriptStep[]) {
  const link = new ScriptedLink(steps);
  const s = new BoardSession(link, { timing: FAST_TIMING });
  return { link, s };
}

const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('BoardSession: entering the raw REPL', () => {
  it('runs code through raw-paste, streams stdout, and returns to the friendly REPL', async () => {
    const { link, s } = session([
      ...enterRaw(),
      ...rawPasteExec({ stdout: 'hello\r\n', check: (code) => expect(code).toBe("print('hello')") }),
      ...exitRaw(),
    ]);
    const chunks: string[] = [];
    const terminal: string[] = [];
    s.onTerminalData((d) => terminal.push(dec(d)));
    const r = await s.exec("print('hello')", { onStdout: (t) => chunks.push(t) });
    expect(r).toEqual({ stdout: 'hello\r\n', stderr: '', stdoutTruncated: false, stderrTruncated: false });
    expect(chunks.join('')).toBe('hello\r\n');
    expect(s.rawPasteSupported).toBe(true);
    await link.whenDone();
    link.assertDone();
    // The friendly banner after the operation belongs to the terminal.
    expect(terminal.join('')).toContain('>>> ');
    expect(s.busy).toBe(false);
  });

  it('accepts custom prompts (aiorepl "--> "), a \\x00 after reset and soft-reboot text before the raw banner', async () => {
    const { link, s } = session([
      { expect: '\r\x03' },
      { send: '\x00MPY: soft reboot\r\nboot.py says hi\r\n--> ' },
      { expect: '\r\x01' },
      { send: `\r\n${RAW_BANNER}`, chunkBytes: 3, chunkDelayMs: 1 },
      ...rawPasteExec({ stdout: '42\r\n' }),
      ...exitRaw('--> '),
    ]);
    expect(await s.eval('6*7')).toBe('42');
    await link.whenDone();
    link.assertDone();
  });

  it("asks for the raw REPL in the same write as the first rung's Ctrl-C, without waiting for the output to pause", async () => {
    const { link, s } = session([...enterRaw(), ...rawPasteExec({ stdout: '1\r\n' }), ...exitRaw()]);
    expect(await s.eval('1')).toBe('1');
    await link.whenDone();
    link.assertDone();
    const firstWrite = link.transcript.find((e) => e.from === 'host')!;
    expect(dec(firstWrite.data as Uint8Array)).toBe('\r\x03\r\x01');
  });

  it('after a cancelled entry, the first rung drains its late banner before asking again, so raw-paste is not mistaken for missing', async () => {
    const link = new ScriptedLink([
      { expect: '\r\x03\r\x01', note: 'first operation: the fast first rung, then it is cancelled' },
      { expect: '\r\x03', note: 'second operation: Ctrl-C alone, since the first banner may still come' },
      { send: `\r\n>>> \r\n>>> \r\n${RAW_BANNER}`, note: 'the late answer to the first operation' },
      { expect: '\r\x01' },
      { send: `\r\n${RAW_BANNER}`, delayMs: 10, note: 'the answer to the second operation, a moment later' },
      ...rawPasteExec({ stdout: '2\r\n' }),
      ...exitRaw(),
    ]);
    const s = new BoardSession(link, { timing: { ...FAST_TIMING, INTERRUPT_QUIET_MS: 30 } });
    const cancel = new AbortController();
    const first = s.eval('1', { signal: cancel.signal });
    while (!link.transcript.some((e) => e.from === 'host')) await new Promise((r) => setTimeout(r, 1));
    cancel.abort();
    await expect(first).rejects.toMatchObject({ code: 'CANCELLED' });

    expect(await s.eval('2')).toBe('2');
    expect(s.rawPasteSupported).toBe(true);
    await link.whenDone();
    link.assertDone();
  });

  it('climbs the interrupt ladder when main.py keeps printing and swallows the first Ctrl-C', async () => {
    const spam = 'tick\r\n'.repeat(5);
    const { link, s } = session([
      { expect: '\r\x03', note: 'rung 1' },
      { send: spam, chunkBytes: 6, chunkDelayMs: 2 },
      { expect: '\r\x01', note: 'buffered by the running program: ignored' },
      { send: spam, chunkBytes: 6, chunkDelayMs: 10 },
      { expect: '\r\x03\x03', note: 'rung 2: two Ctrl-C' },
      { send: 'Traceback (most recent call last):\r\nKeyboardInterrupt: \r\n>>> ' },
      { expect: '\r\x01' },
      { send: `\r\n${RAW_BANNER}` },
      ...rawPasteExec({ stdout: 'ok\r\n' }),
      ...exitRaw(),
    ]);
    await expect(s.exec('print("ok")')).resolves.toEqual({ stdout: 'ok\r\n', stderr: '', stdoutTruncated: false, stderrTruncated: false });
    await link.whenDone();
    link.assertDone();
  });

  it('fails with NO_PROMPT and advice when the board never answers, without hanging', async () => {
    const { s } = session([{ ignoreRest: true }]);
    const started = Date.now();
    const err = await s.exec('print(1)').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BoardError);
    expect((err as BoardError).code).toBe('NO_PROMPT');
    expect((err as BoardError).message).toMatch(/did not answer Ctrl-C within \d+ s\. Is another program using it, or is it in the bootloader\? Press the board's reset button/);
    expect((err as BoardError).message).toContain('It sent nothing at all');
    expect(ApiError.toShape(err).code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports what a board in the bootloader printed instead of a prompt', async () => {
    const { s } = session([
      { expect: '\r\x03' },
      { send: 'waiting for download\r\n' },
      { ignoreRest: true },
    ]);
    const err = (await s.exec('print(1)').catch((e: unknown) => e)) as BoardError;
    expect(err.code).toBe('NO_PROMPT');
    expect(err.message).toContain('waiting for download');
  });
});

describe('BoardSession: exec output and errors', () => {
  it('separates stdout from the traceback and parses "[Errno 2] ENOENT"', async () => {
    const tb = 'Traceback (most recent call last):\r\n  File "<stdin>", line 1, in <module>\r\nOSError: [Errno 2] ENOENT\r\n';
    const { link, s } = session([...enterRaw(), ...rawPasteExec({ stdout: 'before\r\n', stderr: tb }), ...exitRaw()]);
    const errs: string[] = [];
    const err = (await s.exec("print('before'); open('nope')", { onStderr: (t) => errs.push(t) }).catch((e: unknown) => e)) as BoardExecError;
    expect(err).toBeInstanceOf(BoardExecError);
    expect(err.stdout).toBe('before\r\n');
    expect(err.traceback).toBe(tb);
    expect(errs.join('')).toBe(tb);
    expect(err.errno).toBe(2);
    expect(err.apiCode).toBe('NOT_FOUND');
    expect(err.exceptionType).toBe('OSError');
    await link.whenDone();
    link.assertDone();
  });

  it('parses the old "OSError: 2" form and leaves non-OSErrors without errno', async () => {
    const { s } = session([
      ...enterRaw(),
      ...rawPasteExec({ stderr: 'Traceback (most recent call last):\r\n  File "<stdin>", line 1\r\nOSError: 2\r\n' }),
      ...rawPasteExec({ stderr: 'Traceback (most recent call last):\r\nMemoryError: memory allocation failed\r\n' }),
      ...exitRaw(),
    ]);
    const [e1, e2] = (await s.run(async (r) => [await r.exec('x').catch((e: unknown) => e), await r.exec('y').catch((e: unknown) => e)])) as BoardExecError[];
    expect(e1!.errno).toBe(2);
    expect(e2!.errno).toBeUndefined();
    expect(e2!.exceptionType).toBe('MemoryError');
  });

  it('rejects a board that answers with the wrong byte instead of the raw prompt (malformed output)', async () => {
    const { s } = session([
      ...enterRaw(),
      { expect: '\x05A\x01' },
      { send: 'R\x01\x80\x00\x01' },
      { expectUntil: '\x04' },
      { send: '\x04out\x04\x04#' },
      { ignoreRest: true },
    ]);
    const err = (await s.exec('x').catch((e: unknown) => e)) as BoardError;
    expect(err.code).toBe('PROTOCOL');
    expect(err.message).toContain('#');
  });

  it('turns a link lost in the middle of the output (truncated) into LINK_LOST / DISCONNECTED', async () => {
    const { s } = session([
      ...enterRaw(),
      { expect: '\x05A\x01' },
      { send: 'R\x01\x80\x00\x01' },
      { expectUntil: '\x04' },
      { send: '\x04partial out' },
      { close: new LinkError('DISCONNECTED', 'device vanished') },
    ]);
    const err = (await s.exec('x').catch((e: unknown) => e)) as BoardError;
    expect(err.code).toBe('LINK_LOST');
    expect(err.apiCode).toBe('DISCONNECTED');
    expect(err.message).toContain('device vanished');
    await expect(s.exec('y')).rejects.toMatchObject({ code: 'LINK_LOST' });
  });

  it('interrupts a program that runs too long with Ctrl-C and stays in step for the next command', async () => {
    const { link, s } = session([
      ...enterRaw(),
      { expect: '\x05A\x01' },
      { send: 'R\x01\x80\x00\x01' },
      { expectUntil: '\x04' },
      { send: '\x04working\r\n' },
      { expect: '\x03', note: 'Ctrl-C after the timeout' },
      { send: '\x04Traceback (most recent call last):\r\nKeyboardInterrupt: \r\n\x04>' },
      ...rawPasteExec({ stdout: 'fine\r\n' }),
      ...exitRaw(),
    ]);
    const out = await s.run(async (r) => {
      const err = (await r.exec('while True: pass', { timeoutMs: 50 }).catch((e: unknown) => e)) as BoardError;
      expect(err.code).toBe('TIMEOUT');
      expect(err.message).toMatch(/did not finish within 0\.1 s; it was stopped with Ctrl-C/);
      return r.exec('print("fine")');
    });
    expect(out.stdout).toBe('fine\r\n');
    await link.whenDone();
    link.assertDone();
  });

  it('cancels with interrupt() (Ctrl-C) and with an AbortSignal', async () => {
    const { link, s } = session([
      ...enterRaw(),
      { expect: '\x05A\x01' },
      { send: 'R\x01\x80\x00\x01' },
      { expectUntil: '\x04' },
      { send: '\x04' },
      { expect: '\x03' },
      { send: '\x04Traceback (most recent call last):\r\nKeyboardInterrupt: \r\n\x04>' },
      ...exitRaw(),
      { expect: '\r\x03' },
      { send: '\r\n>>> ' },
      { expect: '\r\x01' },
      { send: `\r\n${RAW_BANNER}` },
      { expect: '\x05A\x01' },
      { send: 'R\x01\x80\x00\x01' },
      { expectUntil: '\x04' },
      { send: '\x04' },
      { expect: '\x03' },
      { send: '\x04\x04>' },
      ...exitRaw(),
    ]);
    const p = s.exec('while True: pass', { timeoutMs: 5000 });
    setTimeout(() => void s.interrupt(), 30);
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED', apiCode: 'CANCELLED' });
    const ac = new AbortController();
    const p2 = s.exec('while True: pass', { timeoutMs: 5000, signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    await expect(p2).rejects.toMatchObject({ code: 'CANCELLED' });
    await link.whenDone();
    link.assertDone();
  });
});

describe('BoardSession: terminal passthrough and the queue', () => {
  it('passes bytes both ways when idle and holds keystrokes during an operation', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const { link, s } = session([
      { send: 'boot text\r\n>>> ' },
      { expect: 'x = 1\r' },
      { send: 'x = 1\r\n>>> ' },
      ...enterRaw(),
      ...rawPasteExec({ stdout: 'A\r\n' }),
      ...exitRaw(),
      { expect: 'x\r', note: 'held keystroke, sent after the operation' },
      { send: 'x\r\n1\r\n>>> ' },
    ]);
    const seen: string[] = [];
    s.onTerminalData((d) => seen.push(dec(d)));
    await new Promise((r) => setTimeout(r, 10));
    await s.writeTerminal('x = 1\r');
    await new Promise((r) => setTimeout(r, 10));
    const op = s.run(async (r) => {
      await s.writeTerminal('x\r');
      await gate;
      return r.exec('print("A")');
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(s.busy).toBe(true);
    release();
    await op;
    await link.whenDone();
    await new Promise((r) => setTimeout(r, 10));
    link.assertDone();
    const all = seen.join('');
    expect(all).toContain('boot text');
    expect(all).toContain('x = 1\r\n>>> ');
    // Leaving the raw REPL: the Ctrl-B banner is swallowed and the line is redrawn as a fresh prompt.
    expect(all).not.toContain('MicroPython v1.22.0');
    expect(all).toContain('\r\x1b[K>>> ');
    expect(all).toContain('x\r\n1\r\n>>> ');
    // The operation's own bytes never reached the terminal.
    expect(all).not.toContain('raw REPL');
    expect(all).not.toContain('A\r\n');
  });

  it('queues operations one at a time and enters the raw REPL only once', async () => {
    const { link, s } = session([
      ...enterRaw(),
      ...rawPasteExec({ stdout: 'one\r\n' }),
      ...rawPasteExec({ stdout: 'two\r\n' }),
      ...exitRaw(),
    ]);
    const [a, b] = await Promise.all([s.eval('"one"'), s.eval('"two"')]);
    expect([a, b]).toEqual(['one', 'two']);
    await link.whenDone();
    link.assertDone();
  });
});

describe('BoardSession: resets', () => {
  for (const [name, bootText] of [
    ['MicroPython >= 1.20', 'MPY: soft reboot\r\nfrom boot.py\r\n'],
    ['older MicroPython', 'soft reboot\r\nfrom boot.py\r\n'],
    ['CircuitPython', '\r\nsoft reboot\r\n\r\nAuto-reload is off.\r\nfrom boot.py\r\n'],
  ] as const) {
    it(`soft reset returns boot output (${name})`, async () => {
      const { link, s } = session([
        ...enterRaw(),
        { expect: '\x04' },
        { send: bootText + RAW_BANNER, chunkBytes: 7, chunkDelayMs: 1 },
        ...exitRaw(),
      ]);
      const out = await s.softReset();
      expect(out).toContain('from boot.py\r\n');
      expect(out).not.toContain('soft reboot');
      await link.whenDone();
      link.assertDone();
    });
  }

  it('hard reset pulses RTS with DTR released and hands the boot text to the terminal', async () => {
    const { link, s } = session([
      { expectSignals: { dtr: false, rts: true } },
      { expectSignals: { dtr: false, rts: false } },
      { send: '\x00ets Jun  8 2016 00:22:57\r\nrst:0x1 (POWERON_RESET)\r\n', delayMs: 5 },
    ]);
    const term: string[] = [];
    s.onTerminalData((d) => term.push(dec(d)));
    await expect(s.hardReset()).resolves.toBe('signals');
    await link.whenDone();
    link.assertDone();
    expect(term.join('')).toContain('POWERON_RESET');
    expect(link.signalLog).toEqual([
      { dtr: false, rts: true },
      { dtr: false, rts: false },
    ]);
  });

  it('hard reset falls back to machine.reset() when the link has no modem lines', async () => {
    const { link, s } = session([
      { expectSignals: { dtr: false, rts: true } },
      { expectSignals: { dtr: false, rts: false } },
      ...enterRaw(),
      { expect: '\x05A\x01' },
      { send: 'R\x01\x80\x00\x01' },
      { expectUntil: '\x04', check: (w) => expect(dec(w)).toContain('machine.reset()') },
      { send: '\x04' },
      { ignoreRest: true },
    ]);
    await expect(s.hardReset()).resolves.toBe('machine');
    link.assertDone();
  });

  it('enterBootloader runs machine.bootloader() and counts the USB port going away as success', async () => {
    const { link, s } = session([
      ...enterRaw(),
      { expect: '\x05A\x01' },
      { send: 'R\x01\x80\x00\x01' },
      { expectUntil: '\x04', check: (w) => expect(dec(w)).toContain('machine.bootloader()') },
      { send: '\x04' },
      { close: new LinkError('DISCONNECTED', 'The device has been lost.') },
    ]);
    await expect(s.enterBootloader()).resolves.toBeUndefined();
    link.assertDone();
  });

  it('enterBootloader says what to do instead when the firmware has no machine.bootloader()', async () => {
    const { link, s } = session([
      ...enterRaw(),
      ...rawPasteExec({ stderr: "Traceback (most recent call last):\r\n  File \"<stdin>\", line 2, in <module>\r\nAttributeError: 'module' object has no attribute 'bootloader'\r\n" }),
      { ignoreRest: true },
    ]);
    await expect(s.enterBootloader()).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: "The board did not go into its bootloader: AttributeError: 'module' object has no attribute 'bootloader'. Hold its BOOT (BOOTSEL) button while plugging it in instead.",
    });
    link.assertDone();
  });
});

describe('BoardSession: staying in the raw REPL between operations (idleRepl "raw", the CLI)', () => {
  it('runs operations one after another with no Ctrl-B or interrupt ladder between them, and close() sends Ctrl-B without waiting', async () => {
    const link = new ScriptedLink([
      ...enterRaw(),
      ...rawPasteExec({ stdout: '1\r\n' }),
      ...rawPasteExec({ stdout: '2\r\n' }),
      { expect: '\r\x02', note: 'close: back to the friendly REPL' },
    ]);
    const s = new BoardSession(link, { timing: FAST_TIMING, idleRepl: 'raw' });
    expect(await s.eval('1')).toBe('1');
    expect(s.busy).toBe(false);
    expect(await s.eval('2')).toBe('2');
    await s.close();
    await link.whenDone();
    link.assertDone();
  });

  it('leaveRaw() returns to the friendly REPL before a terminal takes over, its prompt going to the terminal', async () => {
    const link = new ScriptedLink([...enterRaw(), ...rawPasteExec({ stdout: 'x\r\n' }), ...exitRaw()]);
    const s = new BoardSession(link, { timing: FAST_TIMING, idleRepl: 'raw' });
    const terminal: string[] = [];
    s.onTerminalData((d) => terminal.push(dec(d)));
    await s.exec('print("x")');
    expect(terminal.join('')).toBe('');
    await s.leaveRaw();
    await link.whenDone();
    link.assertDone();
    expect(terminal.join('')).toContain('>>> ');
    // Nothing is left to leave: close() sends nothing more (the script would reject an unexpected write).
    await s.close();
    link.assertDone();
  });

  it('close() leaves a friendly session alone', async () => {
    const link = new ScriptedLink([...enterRaw(), ...rawPasteExec({ stdout: '3\r\n' }), ...exitRaw()]);
    const s = new BoardSession(link, { timing: FAST_TIMING });
    expect(await s.eval('3')).toBe('3');
    await s.close();
    await link.whenDone();
    link.assertDone();
  });
});
