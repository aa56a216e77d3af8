import { describe, expect, it } from 'vitest';
import { CTL_WORDS } from '../../../electron/node/vboard/boardProtocol.js';
import { RxRing } from '../../../electron/node/vboard/RxRing.js';

function ring(capacity: number): RxRing {
  return new RxRing(new Int32Array(new SharedArrayBuffer(CTL_WORDS * 4)), new SharedArrayBuffer(capacity));
}

describe('RxRing', () => {
  it('takes bytes in order and refuses a byte when full', () => {
    const r = ring(4);
    for (const b of [1, 2, 3, 4]) expect(r.put(b)).toBe(true);
    expect(r.put(5)).toBe(false);
    expect(r.used()).toBe(4);
    expect([r.take(), r.take()]).toEqual([1, 2]);
    expect(r.put(6)).toBe(true);
    expect([r.take(), r.take(), r.take()]).toEqual([3, 4, 6]);
    expect(r.used()).toBe(0);
  });

  it('keeps counting across many wraps, and clear() drops what was not read', () => {
    const r = ring(3);
    for (let i = 0; i < 100; i++) {
      r.put(i & 0xff);
      expect(r.take()).toBe(i & 0xff);
    }
    r.put(7);
    r.put(8);
    r.clear();
    expect(r.used()).toBe(0);
    const { head, tail } = r.positions();
    expect(head).toBe(tail);
  });
});
