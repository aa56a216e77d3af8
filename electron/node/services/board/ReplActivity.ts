/**
 * Whether something of the user's runs in the board's friendly REPL: a
 * main.py started by a reset, a statement typed at the prompt that has not
 * come back, or a program the board started by itself (a reset button, a
 * watchdog). Programs started with Run are the runner's business; this covers
 * everything else, so Stop and the Running badge follow what the board does.
 *
 * The REPL's own output decides: a prompt at its end means nothing runs.
 * Between prompts, output right after a keystroke is the REPL echoing it; a
 * line entered (Enter, Ctrl-D) that has not brought a prompt back after a
 * short grace is running, and so is output nobody typed for.
 */

/** How much of the REPL's latest output is kept to tell whether it sits at a prompt. */
const PROMPT_TAIL_CHARS = 8;
/** The friendly REPL's prompts: `>>> `, continuation `... `, and aiorepl's `--> `. */
const PROMPT_AT_END = /(>>>|\.\.\.|-->) $/;
/** Output this soon after a keystroke is its echo, not a program printing. */
export const ECHO_WINDOW_MS = 250;
/** A statement that has not brought the prompt back after this long is running. */
export const ENTERED_GRACE_MS = 300;

export interface ActivityClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: ActivityClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class ReplActivity {
  private tail = '';
  private running = false;
  private lastKeyAt = Number.NEGATIVE_INFINITY;
  private graceTimer: unknown;

  constructor(
    private readonly onChange: (running: boolean) => void,
    private readonly clock: ActivityClock = systemClock,
  ) {}

  /** Something runs in the friendly REPL. */
  get isRunning(): boolean {
    return this.running;
  }

  /** The REPL sits at a prompt: nothing of the user's runs there. */
  get atPrompt(): boolean {
    return PROMPT_AT_END.test(this.tail);
  }

  /** Bytes the board printed to the terminal. */
  output(bytes: Uint8Array): void {
    let text = '';
    // Latin-1 is enough to recognise an ASCII prompt without decoding UTF-8.
    for (const b of bytes.subarray(Math.max(0, bytes.length - PROMPT_TAIL_CHARS))) text += String.fromCharCode(b);
    this.tail = (this.tail + text).slice(-PROMPT_TAIL_CHARS);
    if (this.atPrompt) this.set(false);
    else if (this.clock.now() - this.lastKeyAt > ECHO_WINDOW_MS) this.set(true);
  }

  /** Keystrokes sent to the REPL; Enter or Ctrl-D starts what was typed. */
  input(keys: string): void {
    this.lastKeyAt = this.clock.now();
    if (!keys.includes('\r') && !keys.includes('\x04')) return;
    this.clock.clearTimeout(this.graceTimer);
    this.graceTimer = this.clock.setTimeout(() => {
      this.graceTimer = undefined;
      if (!this.atPrompt) this.set(true);
    }, ENTERED_GRACE_MS);
  }

  /**
   * A reset started boot.py and main.py. The engine hands over what they
   * printed so far before the reset call returns: a main.py that already
   * ended left the prompt, and one that still runs did not.
   */
  startedByReset(): void {
    this.set(!this.atPrompt);
  }

  /**
   * The engine took the line (file transfer, Run, probe): it interrupted
   * whatever ran and leaves the REPL at its prompt when it hands the line back.
   */
  lineTaken(): void {
    this.clock.clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    this.tail = '>>> ';
    this.set(false);
  }

  dispose(): void {
    this.clock.clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
  }

  private set(running: boolean): void {
    if (running === this.running) return;
    this.running = running;
    this.onChange(running);
  }
}
