/**
 * `py`: the one way the engine writes Python for the board. A tagged template
 * whose text is Python (taken raw, like String.raw, so `"\n"` in the template
 * is the Python escape) and whose `${...}` values are quoted as Python
 * literals, never pasted in as code:
 *
 *   py`os.rename(${from}, ${to})`           strings through pyRepr
 *   py`b = bytearray(${chunkBytes})`        numbers as number literals
 *   py`f.write(${data})`                    Uint8Array as a bytes literal
 *   py`if ok:\n    ${moreCode}`             code only as another `py` result...
 *   py`print(${py.raw(expression)})`        ...or explicitly trusted with py.raw
 *
 * The result is minified (see minifyPy.ts). A fragment alone on its line is
 * indented to that line's block, so snippets compose like functions; a
 * fragment inside a line is inserted as it is.
 */
import { BoardError } from '../BoardError.js';
import { layoutPy, type PyLine } from './minifyPy.js';
import { pyBytesLiteral, pyRepr } from './pyRepr.js';

/** Python source made by `py` (or trusted with `py.raw`); another `py` takes it as code, not as a string. */
export class PyCode {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** What may go into `${...}`: lists become Python lists, `null` becomes None. */
export type PyValue = string | number | bigint | boolean | null | Uint8Array | PyCode | readonly PyValue[];

export interface PyTemplate {
  (template: TemplateStringsArray, ...values: PyValue[]): PyCode;
  /** Code the caller vouches for (a user's expression, a fixed fragment), inserted unquoted and not minified. */
  raw(code: string): PyCode;
  /** No code: for a fragment a snippet leaves out. */
  readonly empty: PyCode;
}

/** Marks a value's place while the template text is laid out; private-use characters that Python source never needs. */
const SLOT_START = '\uE000';
const SLOT_END = '\uE001';
const SLOT = /\uE000(\d+)\uE001/g;
const WHOLE_LINE_SLOT = /^\uE000(\d+)\uE001$/;

/** Each call site's template strings are the same object every time, so each is laid out once. */
const layouts = new WeakMap<TemplateStringsArray, PyLine[]>();

function layoutOf(template: TemplateStringsArray): PyLine[] {
  let lines = layouts.get(template);
  if (!lines) {
    if (template.raw.some((part) => part.includes(SLOT_START) || part.includes(SLOT_END))) {
      throw new BoardError('INVALID', 'Python snippet text holds a private-use character the template reserves.');
    }
    const source = template.raw.reduce((text, part, i) => text + SLOT_START + String(i - 1) + SLOT_END + part);
    lines = layoutPy(source);
    layouts.set(template, lines);
  }
  return lines;
}

/** The Python literal for `value`. */
function literal(value: PyValue | undefined): string {
  if (value instanceof PyCode) return value.text;
  if (typeof value === 'string') return pyRepr(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new BoardError('INVALID', `Cannot write ${value} as a Python number.`);
    return Object.is(value, -0) ? '0' : String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null) return 'None';
  if (value instanceof Uint8Array) return pyBytesLiteral(value);
  if (Array.isArray(value)) return '[' + (value as readonly PyValue[]).map(literal).join(',') + ']';
  throw new BoardError('INVALID', `Cannot write ${value === undefined ? 'undefined' : typeof value} into Python code.`);
}

function render(lines: readonly PyLine[], values: readonly PyValue[]): string {
  const out: string[] = [];
  for (const { depth, text } of lines) {
    const indent = ' '.repeat(depth);
    const whole = WHOLE_LINE_SLOT.exec(text);
    const value = whole ? values[Number(whole[1])] : undefined;
    if (value instanceof PyCode) {
      if (value.text !== '') for (const line of value.text.split('\n')) out.push(indent + line);
      continue;
    }
    out.push(indent + text.replace(SLOT, (_, i: string) => literal(values[Number(i)])));
  }
  return out.join('\n');
}

export const py: PyTemplate = Object.assign((template: TemplateStringsArray, ...values: PyValue[]) => new PyCode(render(layoutOf(template), values)), {
  raw: (code: string) => new PyCode(code),
  empty: new PyCode(''),
});
