import { describe, expect, it } from 'vitest';
import { FrameError, decodeFrame, encodeFrame } from '../../../electron/common/api/wireFrames.js';

describe('wire frames', () => {
  it('sends a message without bytes as plain JSON text', () => {
    const message = { type: 'call', id: 1, method: 'files.list', params: { path: '/' } };
    const frame = encodeFrame(message);
    expect(frame).toBe('{"type":"call","id":1,"method":"files.list","params":{"path":"/"}}');
    expect(decodeFrame(frame)).toEqual(message);
  });

  it('carries Uint8Array values as raw bytes after a JSON header, at their exact size', () => {
    const a = Uint8Array.of(0, 1, 2, 255);
    const b = new Uint8Array(1000).fill(0x41);
    const frame = encodeFrame({ type: 'result', id: 7, ok: true, value: { data: a, more: [b, 'x'] } });
    expect(frame).toBeInstanceOf(Uint8Array);
    const bytes = frame as Uint8Array;
    const jsonLength = bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24);
    const json = new TextDecoder().decode(bytes.subarray(4, 4 + jsonLength));
    expect(json).toBe('{"type":"result","id":7,"ok":true,"value":{"data":{"$bytes":[0,4]},"more":[{"$bytes":[4,1000]},"x"]}}');
    expect(bytes.length).toBe(4 + jsonLength + 1004);
    const decoded = decodeFrame(bytes) as { value: { data: Uint8Array; more: [Uint8Array, string] } };
    expect([...decoded.value.data]).toEqual([0, 1, 2, 255]);
    expect(decoded.value.more[0]).toEqual(b);
    expect(decoded.value.more[1]).toBe('x');
  });

  it("sends Node's Buffer as bytes, not as Buffer.toJSON's number array", () => {
    const frame = encodeFrame({ data: Buffer.from('hi') }) as Uint8Array;
    expect(new TextDecoder().decode(frame.subarray(4))).toBe('{"data":{"$bytes":[0,2]}}hi');
  });

  it('refuses malformed frames with a FrameError, never a crash', () => {
    const header = (n: number) => Uint8Array.of(n & 0xff, (n >> 8) & 0xff, 0, 0);
    const withJson = (json: string, tail: number[] = []) => {
      const j = new TextEncoder().encode(json);
      return Uint8Array.from([...header(j.length), ...j, ...tail]);
    };
    const bad: Array<string | Uint8Array> = [
      'not json',
      Uint8Array.of(1, 2),
      Uint8Array.of(200, 0, 0, 0, 0x7b),
      withJson('{"a":'),
      Uint8Array.from([...header(2), 0xff, 0xfe]),
      withJson('{"a":{"$bytes":[0,5]}}', [1, 2]),
      withJson('{"a":{"$bytes":[-1,1]}}', [1, 2]),
      withJson('{"a":{"$bytes":[0.5,1]}}', [1, 2]),
    ];
    for (const frame of bad) expect(() => decodeFrame(frame), String(frame)).toThrow(FrameError);
  });

  it('does not let a message smuggle the reserved key', () => {
    expect(() => encodeFrame({ x: { $bytes: [0, 1] } })).toThrow(FrameError);
  });
});
