// The engine's two ways of sending a command, against scripted board bytes:
// raw-paste within the window the board grants, and the fallbacks to paced
// plain raw mode for firmware that refuses raw-paste or does not know it.
import { describe, expect, it } from 'vitest';
import { ScriptedLink, type ScriptStep } from '../../support/ScriptedLink.js';
import { BoardSession } from '../../../electron/common/board/BoardSession.js';
import { BoardExecError } from '../../../electron/common/board/BoardError.js';
import { FAST_TIMING, RAW_BANNER, enterRaw, exitRaw } from './scripts.js';

function session(steps: ScriptStep[]) {
  const link = new ScriptedLink(steps);
  const s = new BoardSession(link, { timing: FAST_TIMING });
  return { link, s };
}

const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('BoardSession: raw-paste flow control and fallbacks', () => {
  it('never writes beyond the window the board granted', async () => {
    const code = 'print("abcdefghijklmnopqrstuvwxyz0123456789")'; // 45 bytes, window 16
    const { link, s } = session([
      ...enterRaw(),
      { expect: '\x05A\x01' },
      { send: 'R\x01\x10\x00' }, // window 16, the implicit first window only
      { expect: code.slice(0, 16) },
      { wait: 30 },
      { send: '\x01' },
      { expect: code.slice(16, 32) },
      { wait: 30 },
      { send: '\x01\x01' },
      { expect: code.slice(32) + '\x04' },
      { send: '\x01\x04abc...\r\n\x04\x04>' },
      ...exitRaw(),
    ]);
    await expect(s.exec(code)).resolves.toEqual({ stdout: 'abc...\r\n', stderr: '', stdoutTruncated: false, stderrTruncated: false });
    await link.whenDone();
    link.assertDone();
    // Order check: the host's second window was written only after the board's first \x01.
    const t = link.transcript;
    const firstGrant = t.findIndex((e) => e.from === 'board' && e.data instanceof Uint8Array && e.data.length === 1 && e.data[0] === 1);
    let hostBytes = 0;
    let byteSixteenAt = -1;
    t.forEach((e, i) => {
      if (e.from !== 'host' || !(e.data instanceof Uint8Array)) return;
      const d = dec(e.data);
      if (d.startsWith('\r') || d === '\x05A\x01') return;
      if (hostBytes <= 16 && hostBytes + e.data.length > 16 && byteSixteenAt < 0) byteSixteenAt = i;
      hostBytes += e.data.length;
    });
    expect(firstGrant).toBeGreaterThan(0);
    expect(byteSixteenAt).toBeGreaterThan(firstGrant);
  });

  it('stops and acknowledges when the board aborts the upload (syntax error)', async () => {
    const code = 'x = (' + '1'.repeat(40);
    const { link, s } = session([
      ...enterRaw(),
      { expect: '\x05A\x01' },
      { send: 'R\x01\x10\x00' },
      { expect: code.slice(0, 16) },
      { send: '\x04' },
      { expect: '\x04', note: 'host acknowledges the abort' },
      { send: '\x04Traceback (most recent call last):\r\n  File "<stdin>", line 1\r\nSyntaxError: invalid syntax\r\n\x04>' },
      ...exitRaw(),
    ]);
    const err = (await s.exec(code).catch((e: unknown) => e)) as BoardExecError;
    expect(err).toBeInstanceOf(BoardExecError);
    expect(err.exceptionType).toBe('SyntaxError');
    await link.whenDone();
    link.assertDone();
  });

  it('falls back to plain raw mode on R\\x00 and remembers it', async () => {
    const { link, s } = session([
      ...enterRaw(),
      { expect: '\x05A\x01' },
      { send: 'R\x00' },
      { expectUntil: '\x04', check: (w) => expect(dec(w)).toBe('print(1)\x04') },
      { send: 'OK1\r\n\x04\x04>' },
      { expectUntil: '\x04', check: (w) => expect(dec(w)).toBe('print(2)\x04') },
      { send: 'OK2\r\n\x04\x04>' },
      ...exitRaw(),
    ]);
    const out = await s.run(async (r) => [await r.eval('1'), await r.eval('2')]);
    expect(out).toEqual(['1', '2']);
    expect(s.rawPasteSupported).toBe(false);
    await link.whenDone();
    link.assertDone();
  });

  it('falls back on 1.9-era firmware (banner again) and paces writes without splitting UTF-8', async () => {
    const code = "print('héllo wörld ✓ ✓ ✓ 𝄞 ok')";
    const { link, s } = session([
      ...enterRaw(),
      { expect: '\x05A\x01' },
      { send: `${RAW_BANNER}`, chunkBytes: 5, chunkDelayMs: 1 },
      { expectUntil: '\x04' },
      { send: 'OK', delayMs: 5 },
      { send: 'ok\r\n\x04\x04>' },
      ...exitRaw(),
    ]);
    await expect(s.exec(code)).resolves.toEqual({ stdout: 'ok\r\n', stderr: '', stdoutTruncated: false, stderrTruncated: false });
    await link.whenDone();
    link.assertDone();
    const writes = link.transcript.filter((e) => e.from === 'host').map((e) => e.data as Uint8Array);
    const codeWrites = writes.filter((w) => w.length > 2 && w[0] !== 0x0d && w[0] !== 0x05);
    expect(codeWrites.length).toBeGreaterThan(2);
    for (const w of codeWrites) {
      expect(w.length).toBeLessThanOrEqual(FAST_TIMING.RAW_CHUNK_BYTES!);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(w)).not.toThrow();
    }
  });

  it('falls back for good when the raw-paste request gets no answer (USB-Serial-JTAG quirk)', async () => {
    const { link, s } = session([
      ...enterRaw(),
      { expect: '\x05A\x01' },
      { wait: 120 },
      { expect: '\r\x03' },
      { send: '\r\n' },
      { expect: '\r\x01' },
      { send: `\r\n${RAW_BANNER}` },
      { expectUntil: '\x04' },
      { send: 'OKyes\r\n\x04\x04>' },
      ...exitRaw(),
    ]);
    await expect(s.eval('1')).resolves.toBe('yes');
    expect(s.rawPasteSupported).toBe(false);
    await link.whenDone();
    link.assertDone();
  });
});
