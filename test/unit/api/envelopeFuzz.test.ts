/**
 * Fuzz of the API envelope (issue 9): 100,000 random and mutated frames,
 * text and binary, through decodeFrame and a Dispatcher session, as the web
 * host feeds them. Nothing may throw but FrameError, every reply must be a
 * well-formed server message, and nothing may hang.
 */
import { describe, expect, it } from 'vitest';
import { Dispatcher } from '../../../electron/common/api/dispatcher.js';
import { decodeFrame, encodeFrame, FrameError } from '../../../electron/common/api/wireFrames.js';
import { ServerMessage } from '../../../electron/common/api/wire.js';
import { handlersWith } from '../../helpers/handlers.js';
import { mutateBytes, SeededRandom } from '../../helpers/random.js';

const INPUTS = 100_000;

const VALID: Array<string | Uint8Array> = [
  encodeFrame({ type: 'call', id: 1, method: 'app.info', params: {} }),
  encodeFrame({ type: 'cancel', id: 1 }),
  encodeFrame({ type: 'call', id: 2, method: 'files.write', params: { path: '/a.py', data: new Uint8Array([1, 2, 3, 0, 255]) } }),
  encodeFrame({ type: 'call', id: 3, method: 'terminal.write', params: { data: 'print(1)\r' } }),
];

const TOKENS = ['{"$bytes":[0,9]}', '"$bytes"', '[', '{', '}', 'null', '1e999', '-1', '"\\ud800"'].map((t) => new TextEncoder().encode(t));

function mutate(r: SeededRandom, frame: string | Uint8Array): string | Uint8Array {
  const bytes = typeof frame === 'string' ? new TextEncoder().encode(frame) : new Uint8Array(frame);
  const mutated = mutateBytes(r, bytes, { maxEdits: 4, maxRun: 8, tokens: TOKENS });
  return typeof frame === 'string' && r.int(0, 3) > 0 ? new TextDecoder().decode(mutated) : mutated;
}

/** Any JSON value, nested a little: what a hostile peer can send that parses. */
function randomJson(r: SeededRandom, depth = 0): unknown {
  switch (r.int(0, depth > 2 ? 4 : 6)) {
    case 0:
      return null;
    case 1:
      return r.pick([0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308]);
    case 2:
      return r.pick(['', 'app.info', 'call', 'cancel', '__proto__', 'constructor', '$bytes', 'x'.repeat(r.int(0, 300))]);
    case 3:
      return r.int(0, 1) === 1;
    case 4:
      return { type: r.pick(['call', 'cancel', 'event', 'result']), id: r.pick([1, -1, 0.5, 'a', null, 2 ** 40]), method: r.pick(['app.info', 'files.write', 'nope', 5]) };
    case 5:
      return Array.from({ length: r.int(0, 4) }, () => randomJson(r, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: r.int(0, 4) }, () => [r.pick(['type', 'id', 'method', 'params', '__proto__', '$bytes', 'data']), randomJson(r, depth + 1)]));
  }
}

function randomInput(r: SeededRandom): string | Uint8Array {
  switch (r.int(0, 4)) {
    case 4:
      return JSON.stringify(randomJson(r)) ?? 'null';
    case 0:
      return Uint8Array.from({ length: r.int(0, 64) }, () => r.int(0, 255));
    case 1:
      return String.fromCharCode(...Array.from({ length: r.int(0, 64) }, () => r.int(0, 0x7f)));
    default:
      return mutate(r, r.pick(VALID));
  }
}

describe('API envelope fuzz', () => {
  it(`${INPUTS.toLocaleString('en')} random and mutated frames: only FrameError, well-formed replies, no hang`, async () => {
    const r = new SeededRandom(0xf022);
    const handlers = handlersWith({ 'app.info': async () => ({ name: 'Pinwheel', version: '9.9.9', host: 'web', platform: 'test' }) });
    const replies: unknown[] = [];
    const session = new Dispatcher(handlers).open('fuzz', (m) => replies.push(m));
    let decoded = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < INPUTS; i++) {
      const input = randomInput(r);
      let message: unknown;
      try {
        message = decodeFrame(input);
      } catch (err) {
        expect(err, `input ${i}`).toBeInstanceOf(FrameError);
        continue;
      }
      decoded++;
      expect(() => session.receive(message), `input ${i}`).not.toThrow();
      if (i % 1000 === 999) {
        // Let the calls finish, check what came back, and keep the memory flat.
        await new Promise((resolve) => setImmediate(resolve));
        for (const reply of replies.splice(0)) expect(ServerMessage.safeParse(reply).success, JSON.stringify(reply)).toBe(true);
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
    for (const reply of replies.splice(0)) expect(ServerMessage.safeParse(reply).success).toBe(true);
    session.close();
    const growthMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    console.info(`envelope fuzz: ${INPUTS} inputs, ${decoded} decoded to a message; heap growth ${growthMb.toFixed(0)} MB`);
    expect(decoded).toBeGreaterThan(INPUTS / 10);
    expect(replies).toEqual([]);
    expect(growthMb).toBeLessThan(200);
  }, 120_000);
});
