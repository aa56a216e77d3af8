/**
 * Python literals in TypeScript: quoting strings and bytes for code we send to
 * the board, and parsing the reprs the board prints back. Every path goes
 * through `pyRepr`: names pasted between quotes break on a quote, a backslash
 * or an accented letter (Arduino Lab issue #177).
 */

function isPrintable(cp: number): boolean {
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0)) return false; // C0, DEL, C1, NBSP
  if (cp === 0xad) return false; // soft hyphen
  if (cp >= 0xd800 && cp <= 0xdfff) return false; // lone surrogates cannot be encoded in UTF-8
  if (cp === 0x2028 || cp === 0x2029) return false; // line/paragraph separators
  if (cp >= 0x200b && cp <= 0x200f) return false; // zero-width and direction marks
  if (cp === 0xfeff || cp === 0xfffe || cp === 0xffff) return false;
  return true;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/**
 * Python's `repr()` of a str, the way CPython writes it: single quotes unless
 * the text holds `'` and no `"`, printable non-ASCII kept as UTF-8, control
 * characters escaped. The result is a valid literal for MicroPython too.
 */
export function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    const ch = String.fromCodePoint(cp);
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + quote;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (isPrintable(cp)) out += ch;
    else if (cp <= 0xff) out += '\\x' + hex(cp, 2);
    else if (cp <= 0xffff) out += '\\u' + hex(cp, 4);
    else out += '\\U' + hex(cp, 8);
  }
  return out + quote;
}

/**
 * A compact bytes literal, `b'...'`: printable ASCII stays itself (so Python
 * source costs ~1 byte per byte), the rest becomes `\xNN` or a short escape.
 * Only printable ASCII is emitted, so no control byte can reach the raw REPL.
 */
export function pyBytesLiteral(data: Uint8Array): string {
  let out = "b'";
  for (const b of data) {
    if (b === 0x5c) out += '\\\\';
    else if (b === 0x27) out += "\\'";
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += '\\x' + hex(b, 2);
  }
  return out + "'";
}

/** Byte length of `pyBytesLiteral(data)` without building it. */
export function pyBytesLiteralLength(data: Uint8Array, start = 0, end = data.length): number {
  let n = 3;
  for (let i = start; i < end; i++) n += pyBytesEscapedLength(data[i]!);
  return n;
}

export function pyBytesEscapedLength(b: number): number {
  if (b === 0x5c || b === 0x27 || b === 0x0a || b === 0x0d || b === 0x09) return 2;
  return b >= 0x20 && b < 0x7f ? 1 : 4;
}

const SIMPLE_ESCAPES: Record<string, number> = {
  '\\': 0x5c,
  "'": 0x27,
  '"': 0x22,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  v: 0x0b,
  '0': 0x00,
};

function literalBody(literal: string, allowPrefix: 'b' | ''): string {
  let s = literal.trim();
  if (allowPrefix) {
    if (s[0] !== 'b' && s[0] !== 'B') throw new SyntaxError(`Not a bytes literal: ${literal.slice(0, 40)}`);
    s = s.slice(1);
  }
  const q = s[0];
  if ((q !== "'" && q !== '"') || s.length < 2 || s[s.length - 1] !== q) {
    throw new SyntaxError(`Not a quoted literal: ${literal.slice(0, 40)}`);
  }
  return s.slice(1, -1);
}

/** Parses the repr of a bytes object printed by the board, e.g. `b'ab\x00\n'`. */
export function parsePyBytesRepr(literal: string): Uint8Array {
  const body = literalBody(literal, 'b');
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      const code = c.charCodeAt(0);
      if (code > 0x7f) throw new SyntaxError('Non-ASCII character in a bytes repr');
      out.push(code);
      continue;
    }
    const e = body[++i];
    if (e === undefined) throw new SyntaxError('Dangling backslash in a bytes repr');
    if (e === 'x') {
      const h = body.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new SyntaxError(`Bad \\x escape in a bytes repr: \\x${h}`);
      out.push(parseInt(h, 16));
      i += 2;
    } else if (SIMPLE_ESCAPES[e] !== undefined) {
      out.push(SIMPLE_ESCAPES[e]);
    } else {
      throw new SyntaxError(`Unknown escape \\${e} in a bytes repr`);
    }
  }
  return Uint8Array.from(out);
}

/** Parses the repr of a str printed by the board: MicroPython writes `\xe9` where CPython keeps `é`; both work. */
export function parsePyStrRepr(literal: string): string {
  const body = literalBody(literal, '');
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) throw new SyntaxError('Dangling backslash in a str repr');
    const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (width) {
      const h = body.slice(i + 1, i + 1 + width);
      if (h.length !== width || !/^[0-9a-fA-F]+$/.test(h)) throw new SyntaxError(`Bad \\${e} escape in a str repr`);
      out += String.fromCodePoint(parseInt(h, 16));
      i += width;
    } else if (SIMPLE_ESCAPES[e] !== undefined) {
      out += String.fromCharCode(SIMPLE_ESCAPES[e]);
    } else {
      throw new SyntaxError(`Unknown escape \\${e} in a str repr`);
    }
  }
  return out;
}
