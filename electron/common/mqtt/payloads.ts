/**
 * Reading and writing MQTT payloads, which are bytes: as JSON, text, hex or
 * base64; a number to plot from a plain payload or a JSON field; JSON fields
 * flattened into CSV columns; a line diff of two messages. Pure, so the
 * viewer, the publish form and the CSV recorder agree on what a payload says.
 */
import { base64ToBytes, bytesToBase64 } from '../util/base64.js';

export type PayloadFormat = 'json' | 'text' | 'hex' | 'base64';
export const PAYLOAD_FORMATS: readonly PayloadFormat[] = ['json', 'text', 'hex', 'base64'];

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/** The text of a payload; `valid` false when it is not UTF-8 (bad bytes shown as U+FFFD). */
export function payloadText(bytes: Uint8Array): { text: string; valid: boolean } {
  try {
    return { text: strictUtf8.decode(bytes), valid: true };
  } catch {
    return { text: lenientUtf8.decode(bytes), valid: false };
  }
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The payload as JSON, or undefined when it is not (empty payloads are not JSON either). */
export function payloadJson(bytes: Uint8Array): JsonValue | undefined {
  if (bytes.length === 0) return undefined;
  const { text, valid } = payloadText(bytes);
  if (!valid) return undefined;
  const start = text.trimStart()[0];
  // A bare number or word is JSON too, but reads better as text; objects, arrays and strings are shown as JSON.
  if (start !== '{' && start !== '[' && start !== '"') return undefined;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

/** How to show a payload first: JSON when it parses, text when it is UTF-8 without control bytes, else hex. */
export function detectFormat(bytes: Uint8Array): PayloadFormat {
  if (payloadJson(bytes) !== undefined) return 'json';
  const { text, valid } = payloadText(bytes);
  // eslint-disable-next-line no-control-regex
  if (valid && !/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text)) return 'text';
  return 'hex';
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A classic dump: offset, 16 bytes in hex, the printable ones as text. Cut after `maxBytes`. */
export function hexDump(bytes: Uint8Array, maxBytes = 64 * 1024): string {
  const shown = bytes.subarray(0, maxBytes);
  const lines: string[] = [];
  for (let offset = 0; offset < shown.length; offset += 16) {
    const row = shown.subarray(offset, offset + 16);
    const hex = Array.from(row, (b) => HEX[b]!).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  |${ascii}|`);
  }
  if (bytes.length > shown.length) lines.push(`… ${bytes.length - shown.length} more bytes`);
  return lines.join('\n');
}

/** The payload written out in `format` (JSON pretty-printed when it parses). */
export function formatPayload(bytes: Uint8Array, format: PayloadFormat): string {
  switch (format) {
    case 'json': {
      const value = payloadJson(bytes);
      return value === undefined ? payloadText(bytes).text : JSON.stringify(value, null, 2);
    }
    case 'text':
      return payloadText(bytes).text;
    case 'hex':
      return hexDump(bytes);
    case 'base64':
      return bytesToBase64(bytes);
  }
}

export type Encoded = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

/** What the publish form sends for what was typed in `format`; a typo says what is wrong instead of sending it. */
export function encodePayload(input: string, format: PayloadFormat): Encoded {
  switch (format) {
    case 'text':
      return { ok: true, bytes: new TextEncoder().encode(input) };
    case 'json':
      if (input.trim() === '') return { ok: false, error: 'Type a JSON value, like {"on": true}.' };
      try {
        return { ok: true, bytes: new TextEncoder().encode(JSON.stringify(JSON.parse(input))) };
      } catch (err) {
        return { ok: false, error: `This is not valid JSON: ${(err as Error).message}` };
      }
    case 'hex': {
      const digits = input.replace(/0x/gi, '').replace(/[\s,:]+/g, '');
      if (!/^[0-9a-f]*$/i.test(digits)) return { ok: false, error: 'Hex may only hold 0-9 and a-f (spaces, commas and colons between bytes are fine).' };
      if (digits.length % 2 !== 0) return { ok: false, error: 'Hex needs two digits per byte; one digit is left over.' };
      const bytes = new Uint8Array(digits.length / 2);
      for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16);
      return { ok: true, bytes };
    }
    case 'base64':
      if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(input)) return { ok: false, error: 'This is not base64 (A-Z, a-z, 0-9, + and /, padded with =).' };
      try {
        return { ok: true, bytes: base64ToBytes(input) };
      } catch {
        return { ok: false, error: 'This is not base64: its length does not add up.' };
      }
  }
}

/** A path into a JSON value: object keys and array indexes. */
export type JsonPath = readonly (string | number)[];

export function formatJsonPath(path: JsonPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Reads what formatJsonPath writes (`a.b[0]`, `[2]`, `list[1].t`); undefined when it is not a path. Empty text is the whole payload. */
export function parseJsonPath(text: string): (string | number)[] | undefined {
  const path: (string | number)[] = [];
  const trimmed = text.trim();
  const token = /([^.[\]]+)|\[(\d+)\]|(\.)/gy;
  let expectKey = true;
  let match: RegExpExecArray | null;
  let at = 0;
  while (at < trimmed.length && (match = token.exec(trimmed)) !== null) {
    at = token.lastIndex;
    if (match[1] !== undefined) {
      if (!expectKey) return undefined;
      path.push(match[1]);
      expectKey = false;
    } else if (match[2] !== undefined) {
      path.push(Number(match[2]));
      expectKey = false;
    } else {
      if (expectKey) return undefined;
      expectKey = true;
    }
  }
  if (at !== trimmed.length || (expectKey && path.length > 0)) return undefined;
  return path;
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/**
 * The number a message carries, to plot: the whole payload ("21.5", "true"),
 * or the field at `path` of a JSON payload. Undefined when there is none.
 */
export function numericValue(bytes: Uint8Array, path: JsonPath = []): number | undefined {
  if (path.length === 0) {
    const { text, valid } = payloadText(bytes);
    if (!valid) return undefined;
    const trimmed = text.trim();
    if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true' ? 1 : 0;
    if (trimmed === 'on' || trimmed === 'ON' || trimmed === 'off' || trimmed === 'OFF') return trimmed.toLowerCase() === 'on' ? 1 : 0;
    return numberOf(trimmed);
  }
  let value: unknown = payloadJson(bytes);
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return numberOf(value);
}

/** Every numeric (or boolean) leaf of a JSON value with its path: the fields a plot can follow. */
export function numericFields(value: JsonValue | undefined, limit = 200): { path: (string | number)[]; value: number }[] {
  const out: { path: (string | number)[]; value: number }[] = [];
  const walk = (v: JsonValue, path: (string | number)[]) => {
    if (out.length >= limit) return;
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
    else if (v !== null && typeof v === 'object') for (const [k, item] of Object.entries(v)) walk(item, [...path, k]);
    else {
      const n = typeof v === 'string' ? undefined : numberOf(v);
      if (n !== undefined && path.length > 0) out.push({ path, value: n });
    }
  };
  if (value !== undefined) walk(value, []);
  return out;
}

/** A JSON object's leaves as columns (`a.b`, `list[0]`), for CSV rows; anything else gives none. */
export function flattenJson(value: JsonValue | undefined): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  const walk = (v: JsonValue, path: (string | number)[]) => {
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
    else if (v !== null && typeof v === 'object') for (const [k, item] of Object.entries(v)) walk(item, [...path, k]);
    else if (path.length > 0) out[formatJsonPath(path)] = v;
  };
  if (value !== undefined && typeof value === 'object' && value !== null) walk(value, []);
  return out;
}

export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** Above this many lines per side the diff compares whole texts instead (LCS is quadratic). */
const DIFF_MAX_LINES = 2000;

/** Lines of `before` and `after` marked kept, removed or added (longest common subsequence). */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length > DIFF_MAX_LINES || b.length > DIFF_MAX_LINES) {
    if (before === after) return a.map((text) => ({ kind: 'same', text }));
    return [...a.map((text) => ({ kind: 'removed' as const, text })), ...b.map((text) => ({ kind: 'added' as const, text }))];
  }
  // lengths[i][j]: LCS length of a[i..] and b[j..], one flat array.
  const width = b.length + 1;
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] = a[i] === b[j] ? lengths[(i + 1) * width + j + 1]! + 1 : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i]! });
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) out.push({ kind: 'removed', text: a[i++]! });
    else out.push({ kind: 'added', text: b[j++]! });
  }
  while (i < a.length) out.push({ kind: 'removed', text: a[i++]! });
  while (j < b.length) out.push({ kind: 'added', text: b[j++]! });
  return out;
}
