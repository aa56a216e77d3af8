import { describe, expect, it } from 'vitest';
import { KeptOutput } from '../../../electron/common/board/repl/KeptOutput.js';

describe('KeptOutput', () => {
  it('keeps everything without a limit', () => {
    const kept = new KeptOutput();
    for (let i = 0; i < 1000; i++) kept.add(`line ${i}\n`);
    expect(kept.text.split('\n')).toHaveLength(1001);
    expect(kept.truncated).toBe(false);
  });

  it('keeps the last `limit` characters, whatever the chunk sizes', () => {
    const all = Array.from({ length: 5000 }, (_, i) => `${i},`).join('');
    for (const chunk of [1, 7, 100, 999, 5000]) {
      const kept = new KeptOutput(1000);
      for (let i = 0; i < all.length; i += chunk) kept.add(all.slice(i, i + chunk));
      expect(kept.text).toBe(all.slice(-1000));
      expect(kept.truncated).toBe(true);
    }
  });

  it('is not truncated while the output fits', () => {
    const kept = new KeptOutput(10);
    kept.add('0123456789');
    expect(kept.truncated).toBe(false);
    expect(kept.text).toBe('0123456789');
    kept.add('a');
    expect(kept.truncated).toBe(true);
    expect(kept.text).toBe('123456789a');
  });

  it('never starts with half of a surrogate pair', () => {
    const kept = new KeptOutput(2);
    kept.add('ab😀c');
    expect(kept.text).toBe('c');
    kept.add('😀');
    expect(kept.text).toBe('😀');
  });

  it('holds at most about twice the limit while output keeps coming', () => {
    const kept = new KeptOutput(100);
    const internals = kept as unknown as { chars: number };
    for (let i = 0; i < 10_000; i++) {
      kept.add('x'.repeat(7));
      expect(internals.chars).toBeLessThanOrEqual(200);
    }
  });
});
