import { describe, expect, it } from 'vitest';
import { ScriptedLink } from '../../support/ScriptedLink.js';
import { LinkError } from '../../../electron/common/link/Link.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('ScriptedLink', () => {
  it('matches host bytes however they are split and answers in scripted chunks', async () => {
    const link = new ScriptedLink([{ expect: 'hello' }, { send: 'world!', chunkBytes: 2 }, { expectUntil: '\n', check: (w) => expect(new TextDecoder().decode(w)).toBe('any text\n') }]);
    const got: string[] = [];
    link.onData((d) => got.push(new TextDecoder().decode(d)));
    await link.write(bytes('hel'));
    await link.write(bytes('lo'));
    await new Promise((r) => setTimeout(r, 5));
    expect(got).toEqual(['wo', 'rl', 'd!']);
    await link.write(bytes('any '));
    await link.write(bytes('text\n'));
    await link.whenDone();
    link.assertDone();
  });

  it('fails on unexpected writes: the write rejects and assertDone throws', async () => {
    const link = new ScriptedLink([{ expect: 'abc' }]);
    await expect(link.write(bytes('abX'))).rejects.toThrow(/expected host to write "abc", got "abX"/);
    expect(() => link.assertDone()).toThrow(/expected host/);
    const done = new ScriptedLink([]);
    await expect(done.write(bytes('late'))).rejects.toThrow(/after the script ended/);
  });

  it('reports unplayed steps, checks modem signals and simulates link loss', async () => {
    const link = new ScriptedLink([{ expectSignals: { dtr: false, rts: true } }, { close: new LinkError('DISCONNECTED', 'gone') }]);
    const closed: Array<LinkError | undefined> = [];
    link.onClose((e) => closed.push(e));
    expect(() => link.assertDone()).toThrow(/not played/);
    await link.setSignals({ dtr: false, rts: true });
    await link.whenDone();
    expect(closed[0]?.code).toBe('DISCONNECTED');
    expect(link.isOpen).toBe(false);
    await expect(link.write(bytes('x'))).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
