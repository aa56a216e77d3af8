import { describe, expect, it } from 'vitest';
import { ECHO_WINDOW_MS, ENTERED_GRACE_MS, ReplActivity, type ActivityClock } from '../../../electron/node/services/board/ReplActivity.js';

/** A clock the test moves by hand; timers fire when their time is passed. */
class ManualClock implements ActivityClock {
  time = 1_000_000;
  private timers: Array<{ at: number; fn: () => void; handle: number }> = [];
  private next = 1;
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const handle = this.next++;
    this.timers.push({ at: this.time + ms, fn, handle });
    return handle;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.handle !== handle);
  }
  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const t of due) t.fn();
  }
}

const bytes = (text: string) => new TextEncoder().encode(text);

function setup() {
  const clock = new ManualClock();
  const changes: boolean[] = [];
  const activity = new ReplActivity((running) => changes.push(running), clock);
  activity.output(bytes('>>> '));
  return { clock, changes, activity };
}

describe('ReplActivity', () => {
  it('a reset runs main.py until the prompt comes back', () => {
    const { activity, changes } = setup();
    // The engine takes the line for the reset and hands over what the board printed before the call returns.
    activity.lineTaken();
    activity.output(bytes('MPY: soft reboot\r\ntick\r\n'));
    activity.startedByReset();
    expect(activity.isRunning).toBe(true);
    activity.output(bytes('KeyboardInterrupt: \r\nMicroPython v1.27.0\r\n>>> '));
    expect(activity.isRunning).toBe(false);
    expect(changes).toEqual([true, false]);
  });

  it('a main.py that ended before the reset call returned is not running', () => {
    const { activity, changes } = setup();
    activity.lineTaken();
    activity.output(bytes('MPY: soft reboot\r\nfrom util\r\nMicroPython v1.27.0\r\n>>> '));
    activity.startedByReset();
    expect(activity.isRunning).toBe(false);
    expect(changes).toEqual([]);
  });

  it('typing echoes are not a program, and a quick statement never shows as running', () => {
    const { activity, clock, changes } = setup();
    for (const key of 'print(1)') {
      activity.input(key);
      clock.advance(5);
      activity.output(bytes(key));
      clock.advance(400);
    }
    activity.input('\r');
    clock.advance(5);
    activity.output(bytes('\r\n1\r\n>>> '));
    clock.advance(ENTERED_GRACE_MS * 2);
    expect(changes).toEqual([]);
  });

  it('a statement that has not returned after the grace is running; Ctrl-C ending it clears that', () => {
    const { activity, clock } = setup();
    activity.input('while True: pass\r\r');
    clock.advance(5);
    activity.output(bytes('while True: pass\r\n... \r\n'));
    expect(activity.isRunning).toBe(false);
    clock.advance(ENTERED_GRACE_MS);
    expect(activity.isRunning).toBe(true);
    activity.input('\x03');
    activity.output(bytes('Traceback (most recent call last):\r\nKeyboardInterrupt: \r\n>>> '));
    expect(activity.isRunning).toBe(false);
  });

  it('a continuation prompt is not running', () => {
    const { activity, clock } = setup();
    activity.input('for i in range(3):\r');
    activity.output(bytes('for i in range(3):\r\n... '));
    clock.advance(ENTERED_GRACE_MS * 2);
    expect(activity.isRunning).toBe(false);
  });

  it('output nobody typed for (the board reset itself) is running', () => {
    const { activity, clock } = setup();
    clock.advance(ECHO_WINDOW_MS + 1);
    activity.output(bytes('ets Jun  8 2016 00:22:57\r\nrst:0x1 (POWERON_RESET)\r\n'));
    expect(activity.isRunning).toBe(true);
  });

  it('the engine taking the line ends it (it interrupts and hands back a prompt)', () => {
    const { activity, clock } = setup();
    activity.startedByReset();
    activity.input('\r');
    activity.lineTaken();
    expect(activity.isRunning).toBe(false);
    expect(activity.atPrompt).toBe(true);
    clock.advance(ENTERED_GRACE_MS * 2);
    expect(activity.isRunning).toBe(false);
  });
});
