import { describe, expect, it } from 'vitest';
import { py } from '../../../electron/common/board/python/py.js';
import { minifyPy } from '../../../electron/common/board/python/minifyPy.js';
import { BoardError } from '../../../electron/common/board/BoardError.js';

describe('py: interpolated values are Python literals', () => {
  it('quotes hostile strings so they stay strings', () => {
    expect(py`open(${"it's"})`.text).toBe(`open("it's")`);
    expect(py`open(${'say "hi"'})`.text).toBe(`open('say "hi"')`);
    expect(py`open(${`mix '"`})`.text).toBe(`open('mix \\'"')`);
    expect(py`open(${'back\\slash'})`.text).toBe(`open('back\\\\slash')`);
    expect(py`open(${'a\nb\r\tc'})`.text).toBe(`open('a\\nb\\r\\tc')`);
    expect(py`open(${'nul\x00here'})`.text).toBe(`open('nul\\x00here')`);
    expect(py`open(${'café ✓ 🐍'})`.text).toBe(`open('café ✓ 🐍')`);
    expect(py`open(${'\x03\x04\x7f\u200b'})`.text).toBe(`open('\\x03\\x04\\x7f\\u200b')`);
  });

  it('cannot be talked into running code', () => {
    const attack = "x')\nimport os\nos.remove('main.py')\n#";
    const code = py`print(${attack})`.text;
    expect(code).toBe(`print("x')\\nimport os\\nos.remove('main.py')\\n#")`);
    expect(code.split('\n')).toHaveLength(1);
  });

  it('writes numbers, booleans, None, bytes and lists as literals', () => {
    expect(py`b=bytearray(${8192})`.text).toBe('b=bytearray(8192)');
    expect(py`x=${-1};y=${0.5};z=${-0}`.text).toBe('x=-1;y=0.5;z=0');
    expect(py`n=${2n ** 70n}`.text).toBe('n=1180591620717411303424');
    expect(py`a=${true};b=${false};c=${null}`.text).toBe('a=True;b=False;c=None');
    expect(py`w(${Uint8Array.of(0x41, 0x27, 0x5c, 0x00, 0x0a, 0xff)})`.text).toBe("w(b'A\\'\\\\\\x00\\n\\xff')");
    expect(py`for m,a in ${[['os', 'stat'], ['sys', "it's"]]}:pass`.text).toBe(`for m,a in [['os','stat'],['sys',"it's"]]:pass`);
  });

  it('refuses values that have no Python literal', () => {
    expect(() => py`x=${Number.NaN}`).toThrow(BoardError);
    expect(() => py`x=${Number.POSITIVE_INFINITY}`).toThrow(/Infinity/);
    expect(() => py`x=${undefined as unknown as string}`).toThrow(/undefined/);
    expect(() => py`x=${{} as unknown as string}`).toThrow(/object/);
  });

  it('takes the template text raw, so Python escapes stay escapes', () => {
    expect(py`print("a\tb\n")`.text).toBe('print("a\\tb\\n")');
  });
});

describe('py: composing code', () => {
  it('indents a fragment on its own line to that line\'s block', () => {
    const body = py`
      if x:
          y = 1
      z = 2
    `;
    const code = py`
      def f(x):
          ${body}
          return z
    `;
    expect(code.text).toBe('def f(x):\n if x:\n  y = 1\n z = 2\n return z');
  });

  it('inserts a fragment inside a line as it is, and py.raw unquoted and untouched', () => {
    const expr = py.raw('len(  "#x" )');
    expect(py`print(${expr}, ${'#x'})`.text).toBe(`print(len(  "#x" ), '#x')`);
    const mod = py.raw('os');
    const importOs = py`
      try:import ${mod}
      except ImportError:import u${mod} as ${mod}
    `;
    expect(importOs.text).toBe('try:import os\nexcept ImportError:import uos as os');
  });

  it('leaves out an empty fragment with its line', () => {
    const maybe = (on: boolean) => (on ? py`print("on")` : py.empty);
    const code = (on: boolean) => py`
      a = 1
      ${maybe(on)}
      b = 2
    `;
    expect(code(true).text).toBe('a = 1\nprint("on")\nb = 2');
    expect(code(false).text).toBe('a = 1\nb = 2');
  });

  it('quotes values inside nested fragments once', () => {
    const inner = py`os.remove(${"it's"})`;
    expect(py`try:${inner}`.text).toBe(`try:os.remove("it's")`);
    const block = py`
      try:
          ${inner}
      except OSError:
          pass
    `;
    expect(block.text).toBe(`try:\n os.remove("it's")\nexcept OSError:\n pass`);
  });

  it('lays each call site out once and still fills in new values', () => {
    const make = (p: string) => py`
      f = open(${p}, "rb")
    `;
    expect(make('/a').text).toBe("f = open('/a', \"rb\")");
    expect(make('/b').text).toBe("f = open('/b', \"rb\")");
  });
});

describe('minifyPy', () => {
  it('drops comment and blank lines and indents one space per block', () => {
    const source = [
      '',
      '    # read the file in pieces',
      '    f = open(p, "rb")',
      '',
      '    while 1:',
      '        b = f.read(512)  # a trailing comment stays (it could be inside a string)',
      '        if not b:',
      '            break',
      '        print(repr(b))',
      '    f.close()',
      '',
    ].join('\n');
    expect(minifyPy(source)).toBe(
      ['f = open(p, "rb")', 'while 1:', ' b = f.read(512)  # a trailing comment stays (it could be inside a string)', ' if not b:', '  break', ' print(repr(b))', 'f.close()'].join('\n'),
    );
  });

  it('keeps a "#" that is not at the start of a line, and CRLF sources work', () => {
    expect(minifyPy('x = "#"\r\n  # note\r\ny = 1\r\n')).toBe('x = "#"\ny = 1');
  });

  it('handles several dedents at once and uneven indentation widths', () => {
    expect(minifyPy('if a:\n   if b:\n         c()\nd()')).toBe('if a:\n if b:\n  c()\nd()');
  });

  it('refuses indentation Python would refuse, and tabs', () => {
    expect(() => minifyPy('if a:\n    b()\n  c()')).toThrow(/dedents/);
    expect(() => minifyPy('  a()\nb()')).toThrow(/dedents/);
    expect(() => minifyPy('if a:\n\tb()')).toThrow(/tab/);
  });

  it('is idempotent', () => {
    const once = minifyPy('def f():\n    if x:\n        return 1\n    return 2\n');
    expect(minifyPy(once)).toBe(once);
  });
});
