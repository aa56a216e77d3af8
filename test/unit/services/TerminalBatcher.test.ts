import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BATCH_DURATION_MS, BATCH_MAX_CHARS, TerminalBatcher } from '../../../electron/node/services/TerminalBatcher.js';

describe('TerminalBatcher', () => {
  let sent: string[];
  let batcher: TerminalBatcher;

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    batcher = new TerminalBatcher((data) => sent.push(data));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('merges small reads into one event per batch interval', () => {
    for (let i = 0; i < 100; i++) batcher.pushBytes(new TextEncoder().encode(`${i},`));
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(BATCH_DURATION_MS);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBe(Array.from({ length: 100 }, (_, i) => `${i},`).join(''));
  });

  it('sends at once when a batch reaches the size cap, and never drops or reorders', () => {
    const chunk = 'x'.repeat(1000) + '\n';
    let expected = '';
    for (let i = 0; i < 200; i++) {
      const piece = `${i}:` + chunk;
      expected += piece;
      batcher.pushText(piece);
    }
    // 200 KB without the timer firing: the cap alone produced events, each near the cap.
    expect(sent.length).toBeGreaterThanOrEqual(Math.floor(expected.length / BATCH_MAX_CHARS) - 1);
    for (const s of sent) expect(s.length).toBeLessThan(BATCH_MAX_CHARS + chunk.length + 10);
    vi.advanceTimersByTime(BATCH_DURATION_MS);
    expect(sent.join('')).toBe(expected);
  });

  it('decodes a UTF-8 character split across two reads as one character', () => {
    const bytes = new TextEncoder().encode('é✓😀');
    for (const b of bytes) batcher.pushBytes(Uint8Array.of(b));
    vi.advanceTimersByTime(BATCH_DURATION_MS);
    expect(sent.join('')).toBe('é✓😀');
  });

  it('flushes a half character as U+FFFD on dispose rather than losing it silently', () => {
    batcher.pushBytes(Uint8Array.of(0x41, 0xe2, 0x9c));
    batcher.dispose();
    expect(sent.join('')).toBe('A\ufffd');
  });

  it('sends nothing for nothing', () => {
    batcher.pushText('');
    batcher.pushBytes(new Uint8Array(0));
    vi.advanceTimersByTime(100);
    batcher.flush();
    expect(sent).toEqual([]);
  });
});
