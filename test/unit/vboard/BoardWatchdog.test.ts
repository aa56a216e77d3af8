import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CTL, CTL_WORDS } from '../../../electron/node/vboard/boardProtocol.js';
import { BoardWatchdog } from '../../../electron/node/vboard/BoardWatchdog.js';

describe('BoardWatchdog', () => {
  let ctl: Int32Array;
  let expired: number;
  let dog: BoardWatchdog;

  beforeEach(() => {
    vi.useFakeTimers();
    ctl = new Int32Array(new SharedArrayBuffer(CTL_WORDS * 4));
    expired = 0;
    // The fake timers' clock: Date.now() moves with vi.advanceTimersByTime.
    dog = new BoardWatchdog(ctl, () => expired++, () => Date.now());
  });
  afterEach(() => {
    dog.stop();
    vi.useRealTimers();
  });

  const feed = (): void => void Atomics.add(ctl, CTL.WDT_FEEDS, 1);

  it('expires once when the feed counter stops moving for the timeout, and stops itself', () => {
    dog.start(300);
    vi.advanceTimersByTime(280);
    expect(expired).toBe(0);
    vi.advanceTimersByTime(40);
    expect(expired).toBe(1);
    expect(dog.running).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(expired).toBe(1);
  });

  it('never expires while fed within the timeout', () => {
    dog.start(100);
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(60);
      feed();
    }
    expect(expired).toBe(0);
    expect(dog.running).toBe(true);
  });

  it('counts a new timeout from a restart, and does nothing once stopped', () => {
    dog.start(100);
    vi.advanceTimersByTime(80);
    dog.start(200);
    vi.advanceTimersByTime(150);
    expect(expired).toBe(0);
    vi.advanceTimersByTime(80);
    expect(expired).toBe(1);
    dog.start(50);
    dog.stop();
    vi.advanceTimersByTime(500);
    expect(expired).toBe(1);
  });
});
