/**
 * Turning what the person types or pastes into bytes for the board's REPL.
 * A multi-line paste typed line by line would be auto-indented by the friendly
 * REPL (each `    ` doubled up); MicroPython's paste mode (Ctrl-E ... Ctrl-D)
 * takes the text as is and runs it as one block.
 */

/** Ctrl-E: enter paste mode. */
export const CTRL_E_PASTE_MODE = '\x05';
/** Ctrl-D: in paste mode, run what was pasted. */
export const CTRL_D_FINISH = '\x04';
/** The contract's cap on one terminal.write is 64 K characters; stay well under it. */
export const TERMINAL_WRITE_CHUNK_CHARS = 16 * 1024;

/** What to send for a paste: single lines as typed, several lines wrapped in paste mode. */
export function pasteToReplInput(text: string): string {
  const normalized = text.replace(/\r\n?/g, '\n');
  const body = normalized.replace(/\n+$/, '');
  if (!body.includes('\n')) return body;
  return `${CTRL_E_PASTE_MODE}${body}\n${CTRL_D_FINISH}`;
}

/** Splits input into pieces the API accepts, never between the halves of a surrogate pair. */
export function chunkInput(data: string, maxChars = TERMINAL_WRITE_CHUNK_CHARS): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < data.length) {
    let end = Math.min(start + maxChars, data.length);
    const last = data.charCodeAt(end - 1);
    if (end < data.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    chunks.push(data.slice(start, end));
    start = end;
  }
  return chunks;
}
