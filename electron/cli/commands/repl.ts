/**
 * `pinwheel repl`: the board's REPL in this terminal. Keystrokes go to the
 * board as typed; pastes (bracketed by the terminal, or by a script piping
 * ESC [200~ ... ESC [201~) go through the engine's paste mode, as in the app.
 */
import { CTRL_C } from '../../common/board/repl/replProtocol.js';
import { BracketedPasteParser, BRACKETED_PASTE_OFF, BRACKETED_PASTE_ON, type TerminalInput } from '../BracketedPasteParser.js';
import type { CommandBody } from '../commandTable.js';
import { CommandError } from '../CommandError.js';

/** Ctrl-] leaves the REPL, as in mpremote and miniterm; every other key goes to the board. */
const REPL_EXIT_BYTE = 0x1d;
/** After piped input ends, how long the REPL keeps printing what the board answers. */
const PIPED_REPL_LINGER_MS = 1500;
/** A lone Esc (it could start a paste marker) is sent once no more input came for this long. */
const LONE_ESCAPE_MS = 30;
const LF = 0x0a;
const CR = 0x0d;

export const repl: CommandBody = async (ctx, board) => {
  const session = board!.session;
  // Earlier steps of a chain leave the board in the raw REPL; the terminal talks to the friendly one.
  await session.leaveRaw();
  const stdin = process.stdin;
  const interactive = stdin.isTTY === true;
  if (interactive) ctx.stderr.write(`Connected to ${board!.link.description}. Ctrl-] leaves.\r\n`);
  // Ctrl-C belongs to the board in a REPL.
  ctx.takeOverInterrupt(() => void session.writeTerminal(Uint8Array.of(CTRL_C)));
  const output = session.onTerminalData((bytes) => ctx.stdout.write(bytes));
  // The terminal that shows our output is the one that brackets pastes.
  const bracketed = interactive && ctx.stdout.isTTY === true;
  const input = new BracketedPasteParser();
  let escapeTimer: ReturnType<typeof setTimeout> | undefined;
  await new Promise<void>((resolve, reject) => {
    let done = false;
    const lost = board!.link.onClose((error) => {
      if (error) reject(new CommandError(`Lost the board: ${error.message}`));
      else resolve();
    });
    const finish = () => {
      done = true;
      clearTimeout(escapeTimer);
      lost.dispose();
      resolve();
    };
    /** Sends keys and pastes in the order they came; stops at Ctrl-]. */
    const forward = (events: TerminalInput[]) => {
      for (const event of events) {
        if (done) return;
        if ('paste' in event) {
          void session.paste(event.paste);
          continue;
        }
        const exitAt = event.keys.indexOf(REPL_EXIT_BYTE);
        let keys = exitAt >= 0 ? event.keys.subarray(0, exitAt) : event.keys;
        // A terminal's Enter key sends \r; piped text has \n line ends, which the REPL does not take as Enter.
        if (!interactive) keys = keys.map((b) => (b === LF ? CR : b));
        if (keys.length) void session.writeTerminal(keys);
        if (exitAt >= 0) finish();
      }
    };
    if (interactive) stdin.setRawMode(true);
    if (bracketed) ctx.stdout.write(BRACKETED_PASTE_ON);
    stdin.on('data', (chunk: Buffer) => {
      clearTimeout(escapeTimer);
      forward(input.push(new Uint8Array(chunk)));
      if (input.holding) escapeTimer = setTimeout(() => forward(input.flushKeys()), LONE_ESCAPE_MS);
    });
    // Piped input (scripts, tests): leave once it ends and the board had a moment to answer.
    stdin.on('end', () => {
      clearTimeout(escapeTimer);
      forward(input.end());
      setTimeout(finish, PIPED_REPL_LINGER_MS);
    });
    void session.writeTerminal('\r');
  });
  output.dispose();
  if (bracketed) ctx.stdout.write(BRACKETED_PASTE_OFF);
  if (interactive) {
    stdin.setRawMode(false);
    ctx.stderr.write('\r\n');
  }
  stdin.pause();
};
