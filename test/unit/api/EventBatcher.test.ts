import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBatcher } from '../../../electron/common/api/EventBatcher.js';

describe('EventBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the items of one 16 ms interval as one batch, in order', () => {
    const sent: number[][] = [];
    const batcher = new EventBatcher<number>({ merge: (items) => items, send: (b) => sent.push(b), maxBatchSize: 1000 });
    for (let i = 0; i < 50; i++) batcher.push(i);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(15);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([Array.from({ length: 50 }, (_, i) => i)]);
  });

  it('sends at once when a batch reaches its size cap, measured by sizeOf', () => {
    const sent: string[] = [];
    const batcher = new EventBatcher<string, string>({ merge: (t) => t.join(''), send: (b) => sent.push(b), sizeOf: (t) => t.length, maxBatchSize: 10 });
    batcher.push('abcd');
    batcher.push('efgh');
    expect(sent).toEqual([]);
    batcher.push('ij');
    expect(sent).toEqual(['abcdefghij']);
    batcher.push('k');
    expect(batcher.size).toBe(1);
    vi.advanceTimersByTime(16);
    expect(sent).toEqual(['abcdefghij', 'k']);
  });

  it('sends nothing when nothing was pushed, and flush() sends early', () => {
    const sent: number[][] = [];
    const batcher = new EventBatcher<number>({ merge: (items) => items, send: (b) => sent.push(b), maxBatchSize: 100, durationMs: 50 });
    batcher.flush();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([]);
    batcher.push(7);
    batcher.flush();
    expect(sent).toEqual([[7]]);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([[7]]);
  });
});
