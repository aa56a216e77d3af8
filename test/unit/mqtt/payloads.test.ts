import { describe, expect, it } from 'vitest';
import { brokerConfigJson, umqttSnippet } from '../../../electron/common/mqtt/boardSnippets.js';
import { CsvRows, csvField, messagesToCsv } from '../../../electron/common/mqtt/csv.js';
import {
  detectFormat,
  encodePayload,
  flattenJson,
  formatJsonPath,
  formatPayload,
  hexDump,
  lineDiff,
  numericFields,
  numericValue,
  parseJsonPath,
  payloadJson,
  payloadText,
} from '../../../electron/common/mqtt/payloads.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('reading payloads', () => {
  it('picks JSON for objects, arrays and strings, text for UTF-8 without control bytes, hex for the rest', () => {
    expect(detectFormat(bytes('{"t": 21.5}'))).toBe('json');
    expect(detectFormat(bytes('[1, 2]'))).toBe('json');
    expect(detectFormat(bytes('21.5'))).toBe('text');
    expect(detectFormat(bytes('{not json'))).toBe('text');
    expect(detectFormat(bytes('line one\nline two'))).toBe('text');
    expect(detectFormat(new Uint8Array([0x63, 0x61, 0x66, 0xe9]))).toBe('hex');
    expect(detectFormat(new Uint8Array([0, 1, 2]))).toBe('hex');
    expect(payloadJson(new Uint8Array(0))).toBeUndefined();
  });

  it('decodes invalid UTF-8 with replacement characters and says so', () => {
    expect(payloadText(new Uint8Array([0x63, 0x61, 0x66, 0xe9]))).toEqual({ text: 'caf\uFFFD', valid: false });
    expect(payloadText(bytes('café'))).toEqual({ text: 'café', valid: true });
  });

  it('dumps hex with offsets and printable text, cut after the limit', () => {
    const dump = hexDump(bytes('{"t":21.5,"h":40}'));
    expect(dump.split('\n')).toEqual(['00000000  7b 22 74 22 3a 32 31 2e 35 2c 22 68 22 3a 34 30  |{"t":21.5,"h":40|', '00000010  7d                                               |}|']);
    expect(hexDump(new Uint8Array(40), 16)).toBe('00000000  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  |................|\n… 24 more bytes');
    expect(formatPayload(bytes('{"a":1}'), 'json')).toBe('{\n  "a": 1\n}');
    expect(formatPayload(new Uint8Array([0xff, 0]), 'base64')).toBe('/wA=');
  });
});

describe('encoding what the publish form holds', () => {
  it('encodes text, JSON (compacted), hex with separators, and base64', () => {
    expect(encodePayload('héllo', 'text')).toEqual({ ok: true, bytes: bytes('héllo') });
    expect(encodePayload('{ "on": true }', 'json')).toEqual({ ok: true, bytes: bytes('{"on":true}') });
    expect(encodePayload('01 02:ff,0x10', 'hex')).toEqual({ ok: true, bytes: new Uint8Array([1, 2, 255, 16]) });
    expect(encodePayload('/wA=', 'base64')).toEqual({ ok: true, bytes: new Uint8Array([255, 0]) });
  });

  it('refuses what is not what the format says, with the reason', () => {
    expect(encodePayload('{on: true}', 'json')).toMatchObject({ ok: false, error: expect.stringContaining('not valid JSON') });
    expect(encodePayload('', 'json')).toMatchObject({ ok: false });
    expect(encodePayload('0g', 'hex')).toMatchObject({ ok: false, error: expect.stringContaining('0-9 and a-f') });
    expect(encodePayload('abc', 'hex')).toMatchObject({ ok: false, error: expect.stringContaining('one digit is left over') });
    expect(encodePayload('not base64!', 'base64')).toMatchObject({ ok: false });
  });
});

describe('numbers to plot', () => {
  it('reads a whole payload or a JSON field, booleans and on/off as 1 and 0', () => {
    expect(numericValue(bytes(' 21.5\n'))).toBe(21.5);
    expect(numericValue(bytes('true'))).toBe(1);
    expect(numericValue(bytes('OFF'))).toBe(0);
    expect(numericValue(bytes('warm'))).toBeUndefined();
    expect(numericValue(bytes('{"data": {"t": "19.5"}, "list": [4, 5]}'), ['data', 't'])).toBe(19.5);
    expect(numericValue(bytes('["lux-1", 624, 284.1312]'), [2])).toBe(284.1312);
    expect(numericValue(bytes('{"t": null}'), ['t'])).toBeUndefined();
  });

  it('lists numeric fields of a JSON value with their paths', () => {
    expect(numericFields(payloadJson(bytes('{"t": 21.5, "id": "a", "on": true, "v": [1, {"x": 2}]}'))).map((f) => formatJsonPath(f.path))).toEqual(['t', 'on', 'v[0]', 'v[1].x']);
  });

  it('reads back the paths it writes, and refuses malformed ones', () => {
    for (const path of [[], ['t'], ['a', 'b', 0], [2], ['list', 1, 't']]) expect(parseJsonPath(formatJsonPath(path))).toEqual(path);
    for (const bad of ['a..b', 'a.', '.a', 'a[x]', 'a[1]b']) expect(parseJsonPath(bad)).toBeUndefined();
  });

  it('flattens JSON objects into columns', () => {
    expect(flattenJson(payloadJson(bytes('{"t": 1, "pos": {"x": 2, "y": [3]}, "n": null}')))).toEqual({ t: 1, 'pos.x': 2, 'pos.y[0]': 3, n: null });
    expect(flattenJson(payloadJson(bytes('"just a string"')))).toEqual({});
  });
});

describe('lineDiff', () => {
  it('marks kept, removed and added lines in order', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc\nd')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'x' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'd' },
    ]);
    expect(lineDiff('same', 'same')).toEqual([{ kind: 'same', text: 'same' }]);
  });

  it('compares very long texts whole instead of line by line', () => {
    const long = Array.from({ length: 3000 }, (_, i) => String(i)).join('\n');
    const diff = lineDiff(long, long + '\nmore');
    expect(diff.filter((l) => l.kind === 'removed')).toHaveLength(3000);
    expect(diff.filter((l) => l.kind === 'added')).toHaveLength(3001);
  });
});

describe('CSV', () => {
  it('quotes fields with commas, quotes and line breaks', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
  });

  it('fixes the columns with the first message and keeps later fields in the last column', () => {
    const rows = new CsvRows();
    const at = Date.UTC(2026, 10, 30, 12, 0, 0);
    const first = rows.add({ topic: 's/1', payload: bytes('{"t":21.5,"h":40}'), receivedAt: at });
    expect(first).toBe('timestamp,topic,payload,t,h,other_fields\r\n2026-11-30T12:00:00.000Z,s/1,"{""t"":21.5,""h"":40}",21.5,40,\r\n');
    expect(rows.add({ topic: 's/1', payload: bytes('{"t":22,"lux":3}'), receivedAt: at })).toBe('2026-11-30T12:00:00.000Z,s/1,"{""t"":22,""lux"":3}",22,,"{""lux"":3}"\r\n');
    expect(rows.add({ topic: 's/2', payload: new Uint8Array([0xff]), receivedAt: at })).toBe('2026-11-30T12:00:00.000Z,s/2,base64:/w==,,,\r\n');
  });

  it('exports with every field any message has as a column', () => {
    const csv = messagesToCsv([
      { topic: 'a', payload: bytes('{"x":1}'), receivedAt: 0 },
      { topic: 'b', payload: bytes('{"y":2}'), receivedAt: 0 },
    ]);
    expect(csv.split('\r\n')[0]).toBe('timestamp,topic,payload,x,y,other_fields');
  });
});

describe('board snippets', () => {
  it('quote the values a user typed, never paste them raw into Python', () => {
    const address = { host: '192.168.1.20', port: 1884, username: 'board', password: 'pa"ss' };
    expect(JSON.parse(brokerConfigJson(address))).toEqual({ mqtt: { broker: '192.168.1.20', port: 1884, user: 'board', password: 'pa"ss' } });
    expect(umqttSnippet(address)).toContain('MQTTClient("board-1", "192.168.1.20", port=1884, user="board", password="pa\\"ss")');
  });
});
