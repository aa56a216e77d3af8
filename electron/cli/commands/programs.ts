/**
 * `pinwheel run FILE`, `pinwheel exec CODE` and `pinwheel reset`: a program on
 * the board, its output streaming to this terminal (the engine keeps only its
 * tail, so it may print for hours), Ctrl-C stopping it with exit 130, a
 * traceback exiting 1; and the board's resets.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BoardConnection } from '../BoardConnection.js';
import type { CommandBody, CommandContext } from '../commandTable.js';
import { CommandError, EXIT_INTERRUPTED } from '../CommandError.js';
import { print, printJson } from './output.js';

/** setTimeout's ceiling (~24.8 days): effectively "until Ctrl-C". */
const RUN_FOREVER_MS = 2 ** 31 - 1;

/**
 * Runs code on the board, streaming its output; the first Ctrl-C interrupts
 * the program, not the CLI. With `name`, tracebacks name that file.
 */
async function runCode(ctx: CommandContext, board: BoardConnection, code: string, name?: string): Promise<number> {
  let interrupted = false;
  ctx.takeOverInterrupt(() => {
    interrupted = true;
    void board.session.interrupt();
  });
  try {
    await board.session.runProgram(code, {
      ...(name !== undefined ? { name } : {}),
      onStdout: (text) => ctx.stdout.write(text),
      onStderr: (text) => ctx.stderr.write(text),
      // A program may run as long as the user wants; Ctrl-C is the way out.
      timeoutMs: RUN_FOREVER_MS,
    });
    return 0;
  } catch (err) {
    if (interrupted) return EXIT_INTERRUPTED;
    throw err;
  }
}

export const run: CommandBody = async (ctx, board) => {
  const code = await readFile(path.resolve(ctx.args[0]!), 'utf8').catch(() => {
    throw new CommandError(`Cannot read ${ctx.args[0]}: no such file.`);
  });
  // Named as the user wrote it, so a traceback line points at the local file.
  return runCode(ctx, board!, code, ctx.args[0]!);
};

export const exec: CommandBody = (ctx, board) => runCode(ctx, board!, ctx.args[0]!);

/**
 * Soft reset (boot.py and main.py run, their output shown) or --hard. Either
 * way the board is left at its friendly REPL, or running main.py; the next
 * step of a chain gets its raw prompt through the interrupt ladder, as after
 * any program, so it interrupts a main.py that is still running.
 */
export const reset: CommandBody = async (ctx, board) => {
  if (ctx.flags.hard === true) {
    const how = await board!.session.hardReset({ signal: ctx.signal });
    if (ctx.json) printJson(ctx, { reset: 'hard', method: how });
    else print(ctx, how === 'signals' ? 'Hard reset (EN pulled low through RTS).' : 'Hard reset (machine.reset()).');
    return;
  }
  const boot = await board!.session.softReset({ runMain: true, signal: ctx.signal });
  if (ctx.json) printJson(ctx, { reset: 'soft', output: boot });
  // Ends with the board's prompt: a line end keeps the next step's output (or the shell's prompt) off it.
  else if (boot) print(ctx, boot);
};
