/**
 * Takes the run wrapper's own frame (python/runPy.ts) out of a program's
 * traceback as it streams. MicroPython records every bytecode frame an
 * exception passes through, and the outermost is always the raw REPL's
 * one-line `<stdin>` command that called exec(). The board cannot leave it
 * out: a frame records itself before any handler in it runs, and the
 * scheduler (the only way to run code after that command ends) runs callbacks
 * with their exceptions caught and Ctrl-C held back. So the engine, which
 * sent that command, drops exactly its line: the first entry after the
 * header, and only when it is the wrapper's. When no entry is left (the
 * error came from compiling), the header goes too, as MicroPython prints an
 * exception that has no traceback.
 */

const TRACEBACK_HEADER = 'Traceback (most recent call last):';
const ENTRY_PREFIX = '  File ';

/** Where in the traceback the filter is: each step waits for one line, then the rest passes. */
type Step = 'header' | 'wrapper' | 'firstEntry' | 'passing';

export class WrapperFrameFilter {
  private step: Step = 'header';
  private held = '';
  /** The header line (with its line end), held until an entry is known to follow it. */
  private header = '';

  /** `wrapperFrame`: the wrapper's entry without its line end, e.g. RUN_WRAPPER_FRAME. */
  constructor(private readonly wrapperFrame: string) {}

  /** Takes the next piece of the traceback; returns what can be shown now. */
  push(text: string): string {
    this.held += text;
    let shown = '';
    while (this.step !== 'passing') {
      const released = this.advance();
      if (released === undefined) return shown;
      shown += released;
    }
    shown += this.held;
    this.held = '';
    return shown;
  }

  /** The traceback ended: returns whatever was still held back. */
  end(): string {
    let shown = '';
    if (this.step === 'wrapper' || (this.step === 'firstEntry' && this.held.startsWith(ENTRY_PREFIX))) shown = this.header;
    shown += this.held;
    this.step = 'passing';
    this.held = '';
    return shown;
  }

  /**
   * One decision on the held text: undefined while it cannot be made yet,
   * else what it releases ahead of the text still held.
   */
  private advance(): string | undefined {
    const eol = this.held.indexOf('\n');
    const line = eol >= 0 ? this.held.slice(0, eol + 1) : undefined;
    switch (this.step) {
      case 'header':
        if (line === undefined && couldBecome(this.held, TRACEBACK_HEADER)) return undefined;
        if (line !== undefined && withoutLineEnd(line) === TRACEBACK_HEADER) {
          this.header = line;
          this.held = this.held.slice(line.length);
          this.step = 'wrapper';
        } else this.step = 'passing';
        return '';
      case 'wrapper':
        if (line === undefined && couldBecome(this.held, this.wrapperFrame)) return undefined;
        if (line !== undefined && withoutLineEnd(line) === this.wrapperFrame) {
          this.held = this.held.slice(line.length);
          this.step = 'firstEntry';
          return '';
        }
        this.step = 'passing';
        return this.header;
      case 'firstEntry':
        if (line === undefined && this.held.length < ENTRY_PREFIX.length && ENTRY_PREFIX.startsWith(this.held)) return undefined;
        this.step = 'passing';
        return this.held.startsWith(ENTRY_PREFIX) ? this.header : '';
      case 'passing':
        return '';
    }
  }
}

/** `traceback` without the wrapper's frame, for a traceback that is already whole. */
export function withoutWrapperFrame(traceback: string, wrapperFrame: string): string {
  const filter = new WrapperFrameFilter(wrapperFrame);
  return filter.push(traceback) + filter.end();
}

function withoutLineEnd(line: string): string {
  return line.replace(/\r?\n$/, '');
}

/** Whether an incomplete line may still turn out to be `expected` (boards end lines with \r\n or \n). */
function couldBecome(partial: string, expected: string): boolean {
  return (expected + '\r').startsWith(partial);
}
