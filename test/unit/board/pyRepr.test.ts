import { describe, expect, it } from 'vitest';
import { parsePyBytesRepr, parsePyStrRepr, pyBytesLiteral, pyBytesLiteralLength, pyRepr } from '../../../electron/common/board/python/pyRepr.js';

describe('pyRepr (Python repr of str)', () => {
  it('quotes like CPython', () => {
    expect(pyRepr('main.py')).toBe("'main.py'");
    expect(pyRepr("it's")).toBe('"it\'s"');
    expect(pyRepr('say "hi"')).toBe(`'say "hi"'`);
    expect(pyRepr(`both ' and "`)).toBe(`'both \\' and "'`);
    expect(pyRepr('back\\slash')).toBe("'back\\\\slash'");
    expect(pyRepr('tab\tnl\ncr\r')).toBe("'tab\\tnl\\ncr\\r'");
    expect(pyRepr('\x00\x1b\x7f')).toBe("'\\x00\\x1b\\x7f'");
  });

  it('keeps printable unicode, escapes invisible and unencodable code points', () => {
    expect(pyRepr('café ✓ 🐍')).toBe("'café ✓ 🐍'");
    expect(pyRepr('a\u200bb')).toBe("'a\\u200bb'");
    expect(pyRepr('\u2028')).toBe("'\\u2028'");
    expect(pyRepr('\ud800')).toBe("'\\ud800'"); // lone surrogate: cannot be sent as UTF-8
    expect(pyRepr('\u00a0')).toBe("'\\xa0'");
  });

  it('round-trips through the str-repr parser, including MicroPython-style \\x escapes', () => {
    for (const s of ['', 'plain', "it's", 'say "hi"', `mix '"\\`, 'café ✓ 🐍', 'a\u200bb', '\x00\n\r\t']) {
      expect(parsePyStrRepr(pyRepr(s))).toBe(s);
    }
    expect(parsePyStrRepr("'caf\\xe9 \\u2713 \\U0001f40d'")).toBe('café ✓ 🐍');
    expect(() => parsePyStrRepr('not quoted')).toThrow(SyntaxError);
    expect(() => parsePyStrRepr("'bad \\q'")).toThrow(SyntaxError);
  });
});

describe('pyBytesLiteral (compact bytes escape)', () => {
  it('keeps printable ASCII, escapes the rest with only printable ASCII', () => {
    const data = new Uint8Array([0x41, 0x27, 0x5c, 0x0a, 0x00, 0x03, 0x04, 0xff, 0x7e]);
    const lit = pyBytesLiteral(data);
    expect(lit).toBe("b'A\\'\\\\\\n\\x00\\x03\\x04\\xff~'");
    expect([...lit].every((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) < 0x7f)).toBe(true);
    expect(pyBytesLiteralLength(data)).toBe(lit.length);
    expect(parsePyBytesRepr(lit)).toEqual(data);
  });

  it('parses the bytes reprs boards print', () => {
    expect(parsePyBytesRepr("b'ab\\x00\\r\\n'")).toEqual(new Uint8Array([0x61, 0x62, 0, 13, 10]));
    expect(parsePyBytesRepr('b"it\'s"')).toEqual(new TextEncoder().encode("it's"));
    expect(() => parsePyBytesRepr("'not bytes'")).toThrow(SyntaxError);
    expect(() => parsePyBytesRepr("b'\\xZZ'")).toThrow(SyntaxError);
  });

  it('round-trips every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(parsePyBytesRepr(pyBytesLiteral(all))).toEqual(all);
  });
});
