/**
 * `pinwheel run FILE` and `pinwheel exec CODE`: a program on the board, its
 * output streaming to this terminal (the engine keeps only its tail, so it may
 * print for hours), Ctrl-C stopping it with exit 130, a traceback exiting 1.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BoardConnection } from './BoardConnection.js';
import type { Command, CommandContext } from './commands.js';
import { CommandError, EXIT_INTERRUPTED } from './CommandError.js';

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

export const run: Command = {
  usage: 'run FILE',
  summary: 'run a local Python file on the board without saving it (Ctrl-C stops it)',
  minArgs: 1,
  maxArgs: 1,
  needsBoard: true,
  async run(ctx, board) {
    const code = await readFile(path.resolve(ctx.args[0]!), 'utf8').catch(() => {
      throw new CommandError(`Cannot read ${ctx.args[0]}: no such file.`);
    });
    // Named as the user wrote it, so a traceback line points at the local file.
    return runCode(ctx, board!, code, ctx.args[0]!);
  },
};

export const exec: Command = {
  usage: 'exec CODE',
  summary: 'run a line of Python on the board',
  minArgs: 1,
  maxArgs: 1,
  needsBoard: true,
  run: (ctx, board) => runCode(ctx, board!, ctx.args[0]!),
};
