/**
 * What the engine keeps of a command's output for its result. A caller that
 * streams the output (onStdout, onStderr) already receives every character,
 * and a program run from the app or the CLI may print for hours, so only the
 * tail is kept, enough for error messages. A caller that reads the result
 * instead (file operations, eval, the probe) gets all of it: those commands
 * print little.
 */

/** The tail kept of streamed output: far more than any traceback and the lines before it (64 KB of ASCII). */
export const STREAMED_OUTPUT_TAIL_CHARS = 64 * 1024;

export class KeptOutput {
  private parts: string[] = [];
  private chars = 0;
  private dropped = false;

  /** `limitChars`: how much of the end to keep; Infinity keeps everything. */
  constructor(private readonly limitChars = Infinity) {}

  add(text: string): void {
    if (!text) return;
    this.parts.push(text);
    this.chars += text.length;
    // Trimming only once twice the limit has gathered keeps the cost per character constant.
    if (this.chars > 2 * this.limitChars) this.trim();
  }

  /** True when the start of the output was dropped: `text` is only its end. */
  get truncated(): boolean {
    return this.dropped || this.chars > this.limitChars;
  }

  get text(): string {
    this.trim();
    return this.parts.join('');
  }

  private trim(): void {
    if (this.chars <= this.limitChars) return;
    const joined = this.parts.join('');
    let start = joined.length - this.limitChars;
    // Never start on the second half of a surrogate pair: it would decode as a broken character.
    if (isLowSurrogate(joined.charCodeAt(start))) start++;
    const kept = joined.slice(start);
    this.parts = [kept];
    this.chars = kept.length;
    this.dropped = true;
  }
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
