/**
 * Pasting into the friendly REPL. Typed line by line, a multi-line paste is
 * auto-indented by the REPL (each `    ` doubled up); MicroPython's paste mode
 * (Ctrl-E ... Ctrl-D) takes the text as is and runs it as one block. Used by
 * the app's terminal (terminal.paste) and by `pinwheel repl` alike.
 */

/** Ctrl-E at the friendly prompt: enter paste mode. */
export const PASTE_MODE_ENTER = '\x05';
/** Ctrl-D in paste mode: run what was pasted. */
export const PASTE_MODE_FINISH = '\x04';

/** What to send for a paste: a single line as typed, several lines wrapped in paste mode with \n line ends. */
export function pasteModeInput(text: string): string {
  const body = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  if (!body.includes('\n')) return body;
  return `${PASTE_MODE_ENTER}${body}\n${PASTE_MODE_FINISH}`;
}
