/**
 * Splits terminal input into keystrokes and pastes. A terminal in bracketed
 * paste mode (xterm's DECSET 2004, which `pinwheel repl` turns on) wraps
 * pasted text in ESC [200~ ... ESC [201~, so a paste can go to the board
 * through the engine's paste mode instead of being typed line by line, where
 * the REPL would auto-indent it. The markers may arrive split over chunks.
 */
import { concatBytes, indexOfBytes } from '../common/util/bytes.js';

/** Asks the terminal to bracket pastes, and to stop again. */
export const BRACKETED_PASTE_ON = '\x1b[?2004h';
export const BRACKETED_PASTE_OFF = '\x1b[?2004l';

const PASTE_START = new TextEncoder().encode('\x1b[200~');
const PASTE_END = new TextEncoder().encode('\x1b[201~');

export type TerminalInput = { keys: Uint8Array } | { paste: string };


/** Length of the longest end of `data` that is the start of `marker` (a marker cut off by the chunk end). */
function markerStartAtEnd(data: Uint8Array, marker: Uint8Array): number {
  for (let n = Math.min(marker.length - 1, data.length); n > 0; n--) {
    if (indexOfBytes(data.subarray(data.length - n), marker.subarray(0, n)) === 0) return n;
  }
  return 0;
}

export class BracketedPasteParser {
  /** Bytes that may be the start of a marker; kept until the next chunk tells. */
  private held: Uint8Array = new Uint8Array(0);
  private pasted: Uint8Array[] | undefined;

  /** True while bytes are held back: a lone Esc key should be released with `flushKeys()` if nothing follows. */
  get holding(): boolean {
    return this.held.length > 0;
  }

  push(chunk: Uint8Array): TerminalInput[] {
    const out: TerminalInput[] = [];
    let data = concatBytes([this.held, chunk]);
    this.held = new Uint8Array(0);
    for (;;) {
      const marker = this.pasted ? PASTE_END : PASTE_START;
      const at = indexOfBytes(data, marker);
      const end = at >= 0 ? at : data.length - markerStartAtEnd(data, marker);
      const before = data.subarray(0, end);
      if (this.pasted) this.pasted.push(before);
      else if (before.length) out.push({ keys: before.slice() });
      if (at < 0) {
        this.held = data.slice(end);
        return out;
      }
      if (this.pasted) {
        out.push({ paste: this.pastedText() });
        this.pasted = undefined;
      } else {
        this.pasted = [];
      }
      data = data.subarray(at + marker.length);
    }
  }

  /** Releases held bytes as keys (outside a paste): called when no more input came for a moment. */
  flushKeys(): TerminalInput[] {
    if (this.pasted || this.held.length === 0) return [];
    const keys = this.held;
    this.held = new Uint8Array(0);
    return [{ keys }];
  }

  /** The input ended: whatever is held goes out, an unfinished paste as a paste. */
  end(): TerminalInput[] {
    if (!this.pasted) return this.flushKeys();
    this.pasted.push(this.held);
    this.held = new Uint8Array(0);
    const text = this.pastedText();
    this.pasted = undefined;
    return [{ paste: text }];
  }

  private pastedText(): string {
    const parts = this.pasted ?? [];
    return new TextDecoder().decode(concatBytes(parts));
  }
}
