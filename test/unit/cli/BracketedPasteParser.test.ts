import { describe, expect, it } from 'vitest';
import { BracketedPasteParser, type TerminalInput } from '../../../electron/cli/BracketedPasteParser.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (events: TerminalInput[]) => events.map((e) => ('paste' in e ? { paste: e.paste } : { keys: new TextDecoder().decode(e.keys) }));

describe('BracketedPasteParser', () => {
  it('passes keystrokes through and cuts a bracketed paste out of them', () => {
    const p = new BracketedPasteParser();
    expect(text(p.push(bytes('x = 1\r')))).toEqual([{ keys: 'x = 1\r' }]);
    expect(text(p.push(bytes('ab\x1b[200~def f():\n    return 1\n\x1b[201~cd')))).toEqual([
      { keys: 'ab' },
      { paste: 'def f():\n    return 1\n' },
      { keys: 'cd' },
    ]);
    expect(p.holding).toBe(false);
  });

  it('finds markers split over chunks, byte by byte', () => {
    const p = new BracketedPasteParser();
    const all = '\x1b[A\x1b[200~print("é")\r\nx\x1b[201~\x1b[200~\x1b[201~z';
    const events = [...bytes(all)].flatMap((b) => p.push(Uint8Array.of(b)));
    const merged: Array<{ keys?: string; paste?: string }> = [];
    for (const e of text(events)) {
      const last = merged[merged.length - 1];
      if ('keys' in e && last?.keys !== undefined) last.keys += e.keys;
      else merged.push({ ...e });
    }
    expect(merged).toEqual([{ keys: '\x1b[A' }, { paste: 'print("é")\r\nx' }, { paste: '' }, { keys: 'z' }]);
  });

  it('holds a lone Esc until told no more input follows', () => {
    const p = new BracketedPasteParser();
    expect(p.push(bytes('\x1b'))).toEqual([]);
    expect(p.holding).toBe(true);
    expect(text(p.flushKeys())).toEqual([{ keys: '\x1b' }]);
    expect(p.holding).toBe(false);
    expect(text(p.push(bytes('\x1b[')))).toEqual([]);
    expect(text(p.push(bytes('B')))).toEqual([{ keys: '\x1b[B' }]);
  });

  it('keeps a paste together until its end marker, and ends an unfinished one as a paste', () => {
    const p = new BracketedPasteParser();
    expect(p.push(bytes('\x1b[200~line 1\n'))).toEqual([]);
    expect(p.flushKeys()).toEqual([]);
    expect(p.push(bytes('line 2\x1b[20'))).toEqual([]);
    expect(text(p.end())).toEqual([{ paste: 'line 1\nline 2\x1b[20' }]);
    expect(text(p.push(bytes('after')))).toEqual([{ keys: 'after' }]);
  });
});
