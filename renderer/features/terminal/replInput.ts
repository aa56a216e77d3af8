/**
 * Keystrokes on their way to the board's REPL, cut to what one API call
 * carries. (Pastes are framed by the host: terminal.paste, pasteMode.ts.)
 */

/** The contract's cap on one terminal.write is 64 K characters; stay well under it. */
export const TERMINAL_WRITE_CHUNK_CHARS = 16 * 1024;

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
