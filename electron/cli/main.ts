/**
 * `pinwheel`: the board engine on the command line, for scripts and CI.
 * Parses the global flags, opens the board when the command needs one, runs
 * the command, and turns every failure into one clear line and an exit code.
 */
import { parseArgs } from 'node:util';
import { ApiError } from '../common/api/errors.js';
import { BoardError, BoardExecError } from '../common/board/BoardError.js';
import { LinkError } from '../common/link/Link.js';
import { APP_VERSION } from '../node/appPaths.js';
import { BoardConnection } from './BoardConnection.js';
import { COMMANDS, type CommandContext } from './commands.js';
import { CommandError, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_USAGE, UsageError } from './CommandError.js';

const GLOBAL_OPTIONS = {
  port: { type: 'string', short: 'p' },
  baud: { type: 'string', short: 'b' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  // Command flags; each command says which of these it accepts.
  recursive: { type: 'boolean', short: 'r' },
  force: { type: 'boolean', short: 'f' },
  hard: { type: 'boolean' },
  usb: { type: 'boolean' },
  flash: { type: 'string' },
  profile: { type: 'string' },
} as const;

const GLOBAL_FLAG_NAMES = new Set(['port', 'baud', 'json', 'debug', 'help', 'version']);

function usage(): string {
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.usage.length));
  const lines = Object.values(COMMANDS).map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`);
  return [
    `pinwheel ${APP_VERSION}: work with MicroPython boards from the command line`,
    '',
    'Usage: pinwheel [--port PATH] [--baud N] [--json] COMMAND [ARGS]',
    '',
    'Commands (board paths are written :path, as in mpremote):',
    ...lines,
    '',
    'Options:',
    '  -p, --port PATH   the board\'s serial port (default: $PINWHEEL_PORT, else the one board plugged in)',
    '  -b, --baud N      baud rate (default 115200)',
    '      --json        machine-readable output',
    '      --debug       log the protocol to stderr',
  ].join('\n');
}

/** Turns errors from the layers below into one line a person can act on. */
function describeError(err: unknown): { message: string; exitCode: number } {
  if (err instanceof CommandError) return { message: err.message, exitCode: err.exitCode };
  if (err instanceof BoardExecError) return { message: err.message.trim() || err.traceback.trim(), exitCode: EXIT_FAILURE };
  if (err instanceof BoardError) return { message: err.message, exitCode: err.code === 'CANCELLED' ? EXIT_INTERRUPTED : EXIT_FAILURE };
  if (err instanceof LinkError || err instanceof ApiError) return { message: err.message, exitCode: EXIT_FAILURE };
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT' || e?.code === 'EACCES' || e?.code === 'EISDIR') return { message: e.message, exitCode: EXIT_FAILURE };
  return { message: `Unexpected error: ${(err as Error)?.stack ?? String(err)}`, exitCode: EXIT_FAILURE };
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: GLOBAL_OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    process.stderr.write(`pinwheel: ${(err as Error).message}\nRun \`pinwheel --help\` for usage.\n`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`${APP_VERSION}\n`);
    return 0;
  }
  const [name, ...args] = positionals;
  if (values.help || !name) {
    (values.help ? process.stdout : process.stderr).write(usage() + '\n');
    return values.help ? 0 : EXIT_USAGE;
  }
  const command = COMMANDS[name];
  const controller = new AbortController();
  let interruptHandler: (() => void) | undefined;
  const onSigint = () => {
    if (interruptHandler) interruptHandler();
    else if (!controller.signal.aborted) controller.abort(new CommandError('Interrupted.', EXIT_INTERRUPTED));
    else process.exit(EXIT_INTERRUPTED); // a second Ctrl-C when the board does not answer
  };
  process.on('SIGINT', onSigint);

  let board: BoardConnection | undefined;
  try {
    if (!command) throw new UsageError(`Unknown command "${name}". Run \`pinwheel --help\` for the list.`);
    for (const [flag, value] of Object.entries(values)) {
      if (value !== undefined && !GLOBAL_FLAG_NAMES.has(flag) && !command.flags?.includes(flag)) {
        throw new UsageError(`\`pinwheel ${name}\` does not take --${flag}. Usage: pinwheel ${command.usage}`);
      }
    }
    if (args.length < (command.minArgs ?? 0) || args.length > (command.maxArgs ?? Infinity)) {
      throw new UsageError(`Usage: pinwheel ${command.usage}`);
    }
    const baudRate = values.baud === undefined ? 115200 : Number(values.baud);
    if (!Number.isInteger(baudRate) || baudRate <= 0) throw new UsageError(`--baud must be a positive whole number, not "${values.baud}".`);
    const debug = values.debug ? (m: string) => process.stderr.write(`[pinwheel] ${m}\n`) : undefined;
    const port = values.port ?? process.env.PINWHEEL_PORT;
    const ctx: CommandContext = {
      args,
      flags: values,
      json: values.json === true,
      ...(port ? { port } : {}),
      baudRate,
      signal: controller.signal,
      ...(debug ? { debug } : {}),
      stdout: process.stdout,
      stderr: process.stderr,
      takeOverInterrupt: (handler) => {
        interruptHandler = handler;
      },
    };
    if (command.needsBoard) {
      board = await BoardConnection.open({ ...(port ? { port } : {}), baudRate, signal: controller.signal, probe: command.probe === true, ...(debug ? { debug } : {}) });
    }
    const code = await command.run(ctx, board);
    return typeof code === 'number' ? code : 0;
  } catch (err) {
    const reason = controller.signal.aborted ? controller.signal.reason : err;
    const { message, exitCode } = describeError(reason instanceof CommandError ? reason : err);
    if (values.json) process.stdout.write(JSON.stringify({ error: message, exitCode }) + '\n');
    process.stderr.write(`pinwheel: ${message}\n`);
    return exitCode;
  } finally {
    process.off('SIGINT', onSigint);
    await board?.close().catch(() => undefined);
  }
}
