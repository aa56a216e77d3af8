/**
 * Hides traceback lines that point into the board's prelude modules.
 *
 * On an ESP32, `time.sleep`, `machine.Pin` or `input` are C: a traceback
 * through them names only the user's frames. On the virtual board some of
 * them are Python files in a hidden folder, so an exception raised inside one
 * (a KeyboardInterrupt ending a sleep, a ValueError for a bad pin) would print
 * an extra `  File "/tmp/pinwheel/...", line N, in sleep` line that no board
 * prints. This filter drops exactly those lines from the board's output.
 *
 * It works byte by byte because the interpreter prints byte by byte: bytes at
 * the start of a line that match the start of the marker are held back until
 * the line either becomes a hidden frame (dropped up to its newline) or stops
 * matching (released unchanged).
 */
export class PreludeFrameFilter {
  private readonly marker: Uint8Array;
  private held: number[] = [];
  private atLineStart = true;
  private dropping = false;

  /** `preludeDir`: the hidden folder the prelude modules live in, e.g. "/tmp/pinwheel". */
  constructor(preludeDir: string) {
    this.marker = new TextEncoder().encode(`  File "${preludeDir}/`);
  }

  /** Feeds one printed byte; `deliver` receives whatever is certain to be shown. */
  push(c: number, deliver: (c: number) => void): void {
    if (this.dropping) {
      if (c === 0x0a) {
        this.dropping = false;
        this.atLineStart = true;
      }
      return;
    }
    if (this.atLineStart || this.held.length > 0) {
      if (c === this.marker[this.held.length]) {
        this.atLineStart = false;
        this.held.push(c);
        if (this.held.length === this.marker.length) {
          this.held = [];
          this.dropping = true;
        }
        return;
      }
      this.atLineStart = false;
      this.release(deliver);
    }
    deliver(c);
    this.atLineStart = c === 0x0a;
  }

  /**
   * Lets go of a held line start. Called when the board goes idle (waits for
   * input or time): a traceback is printed in one go, so a line start still
   * held then is ordinary output such as `print("  F", end="")`.
   */
  release(deliver: (c: number) => void): void {
    if (this.held.length === 0) return;
    const held = this.held;
    this.held = [];
    for (const c of held) deliver(c);
  }
}
