/**
 * `pinwheel`: the board engine on the command line, for scripts and CI.
 * Reads the command line as a chain of steps (chain.ts; one command is a
 * chain of one), loads only the bodies of the commands that run, opens the
 * board once when a step needs one, runs the steps in order, and turns the
 * first failure into one clear line and an exit code.
 *
 * Start-up is kept cheap: this file imports only the command table and node
 * built-ins; the engine, serialport and the virtual board come in with the
 * commands that use them.
 */
import { parseCommandLine, stepPrefix, type CommandLine, type Step } from './chain.js';
import type { BoardConnection } from './BoardConnection.js';
import type { MqttIo } from './commands/mqtt.js';
import { COMMANDS, type CommandContext } from './commandTable.js';
import { CommandError, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_USAGE, isCommandError } from './CommandError.js';
import { PhaseTimer } from './timing.js';

async function appVersion(): Promise<string> {
  return (await import('../node/appPaths.js')).APP_VERSION;
}

async function usage(): Promise<string> {
  const specs = Object.entries(COMMANDS);
  const width = Math.max(...specs.map(([, c]) => c.usage.length));
  return [
    `pinwheel ${await appVersion()}: work with MicroPython boards from the command line`,
    '',
    'Usage: pinwheel [--port PATH] [--baud N] [--json] COMMAND [ARGS] [+ COMMAND [ARGS]]...',
    '',
    'Commands (board paths are written :path, as in mpremote):',
    ...specs.map(([, c]) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Chaining: join commands with a standalone + to run them over one connection, in order;',
    'the chain stops at the first step that fails, with that step\'s exit code. For example:',
    '  pinwheel put main.py : + exec "import machine" + reset',
    'Global options may stand in any step and hold for all; repl and vboard only as the last step.',
    '',
    'Options:',
    '  -p, --port PATH   the board\'s serial port (default: $PINWHEEL_PORT, else the one board plugged in)',
    '  -b, --baud N      baud rate (default 115200)',
    '      --json        machine-readable output',
    '      --debug       log the protocol to stderr',
    '',
    'MQTT: pinwheel mqtt sub|pub with mosquitto_sub/pub\'s flags (pinwheel mqtt --help);',
    '      pinwheel broker [--port N] [--lan] runs a broker on this computer (pinwheel broker --help).',
    '',
    'PINWHEEL_TIMING=1 prints how long each phase took to stderr.',
  ].join('\n');
}

/** Turns errors from the layers below into one line a person can act on (loaded only when something failed). */
async function describeError(err: unknown): Promise<{ message: string; exitCode: number }> {
  if (isCommandError(err)) return { message: err.message, exitCode: err.exitCode };
  const [{ ApiError }, { BoardError, BoardExecError }, { LinkError }] = await Promise.all([
    import('../common/api/errors.js'),
    import('../common/board/BoardError.js'),
    import('../common/link/Link.js'),
  ]);
  if (err instanceof BoardExecError) return { message: err.message.trim() || err.traceback.trim(), exitCode: EXIT_FAILURE };
  if (err instanceof BoardError) return { message: err.message, exitCode: err.code === 'CANCELLED' ? EXIT_INTERRUPTED : EXIT_FAILURE };
  if (err instanceof LinkError || err instanceof ApiError) return { message: err.message, exitCode: EXIT_FAILURE };
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT' || e?.code === 'EACCES' || e?.code === 'EISDIR') return { message: e.message, exitCode: EXIT_FAILURE };
  return { message: `Unexpected error: ${(err as Error)?.stack ?? String(err)}`, exitCode: EXIT_FAILURE };
}

/**
 * `pinwheel mqtt ...` and `pinwheel broker ...`: command lines of their own
 * (mosquitto's flags: -h, -p and -v mean host, port and verbose there), no
 * board, no chaining. The first Ctrl-C asks the command to end; a second exits.
 */
async function ownCommandLine(
  argv: string[],
  load: () => Promise<(argv: string[], io: MqttIo) => Promise<number>>,
): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const body = await load();
    return await body(argv, { stdout: process.stdout, stderr: process.stderr, signal: controller.signal });
  } catch (err) {
    const { message, exitCode } = await describeError(err);
    process.stderr.write(`pinwheel: ${message}\n`);
    return exitCode;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** A step's failure, carrying which step it was. */
class StepFailed extends Error {
  constructor(
    readonly step: Step | undefined,
    readonly error: unknown,
  ) {
    super('step failed');
  }
}

export async function main(argv: string[]): Promise<number> {
  const timer = new PhaseTimer(process.stderr);
  timer.report('start', timer.now());
  if (argv[0] === 'mqtt') return ownCommandLine(argv.slice(1), async () => (await import('./commands/mqtt.js')).mqttMain);
  if (argv[0] === 'broker') return ownCommandLine(argv.slice(1), async () => (await import('./commands/broker.js')).brokerMain);
  let line: CommandLine;
  try {
    line = parseCommandLine(argv);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (argv.includes('--json')) process.stdout.write(JSON.stringify({ error: message, exitCode: EXIT_USAGE }) + '\n');
    process.stderr.write(`pinwheel: ${message}\n`);
    return EXIT_USAGE;
  }
  if (line.kind === 'version') {
    process.stdout.write(`${await appVersion()}\n`);
    return 0;
  }
  if (line.kind === 'help' || line.kind === 'usage') {
    (line.kind === 'help' ? process.stdout : process.stderr).write((await usage()) + '\n');
    return line.kind === 'help' ? 0 : EXIT_USAGE;
  }
  const { global, steps, baudRate } = line;
  const chained = steps.length > 1;
  const json = global.json === true;

  const controller = new AbortController();
  let interruptHandler: (() => void) | undefined;
  const onSigint = () => {
    if (interruptHandler) interruptHandler();
    else if (!controller.signal.aborted) controller.abort(new CommandError('Interrupted.', EXIT_INTERRUPTED));
    else process.exit(EXIT_INTERRUPTED); // a second Ctrl-C when the board does not answer
  };
  process.on('SIGINT', onSigint);

  const debug = global.debug ? (m: string) => process.stderr.write(`[pinwheel] ${m}\n`) : undefined;
  const port = typeof global.port === 'string' ? global.port : process.env.PINWHEEL_PORT || undefined;
  const time = <T>(phase: string, fn: () => Promise<T>) => timer.time(phase, fn);
  let board: BoardConnection | undefined;
  let engineStart: number | undefined;
  try {
    const bodies = await time('load', () => Promise.all(steps.map((s) => s.spec.load())));
    if (steps.some((s) => s.spec.needsBoard)) {
      const { BoardConnection } = await time('load engine', () => import('./BoardConnection.js'));
      engineStart = timer.now();
      try {
        board = await BoardConnection.open({
          ...(port ? { port } : {}),
          baudRate,
          signal: controller.signal,
          probe: steps.some((s) => s.spec.probe === true),
          ...(debug ? { debug } : {}),
          time,
        });
      } catch (err) {
        throw new StepFailed(undefined, err);
      }
    }
    for (const step of steps) {
      interruptHandler = undefined;
      const ctx: CommandContext = {
        args: step.args,
        flags: { ...global, ...step.flags },
        json,
        ...(port ? { port } : {}),
        baudRate,
        signal: controller.signal,
        ...(debug ? { debug } : {}),
        timing: (label, ms) => timer.report(label, ms),
        stdout: process.stdout,
        stderr: process.stderr,
        takeOverInterrupt: (handler) => {
          interruptHandler = handler;
        },
      };
      let code: number | void;
      try {
        code = await time(`step ${step.number} (${step.name})`, () => bodies[step.number - 1]!(ctx, board));
      } catch (err) {
        throw new StepFailed(step, err);
      }
      if (typeof code === 'number' && code !== 0) {
        // A step that ended with a code of its own (an interrupted program): the chain ends with it.
        if (chained && step.number < steps.length) {
          process.stderr.write(`pinwheel: ${stepPrefix(step, true)}ended with exit code ${code}; the steps after it did not run.\n`);
        }
        return code;
      }
    }
    return 0;
  } catch (err) {
    const failure = err instanceof StepFailed ? err : new StepFailed(undefined, err);
    const reason = controller.signal.aborted ? controller.signal.reason : failure.error;
    const { message, exitCode } = await describeError(isCommandError(reason) ? reason : failure.error);
    const prefix = failure.step ? stepPrefix(failure.step, chained) : '';
    if (json) {
      const where = chained && failure.step ? { step: failure.step.number, command: failure.step.name } : {};
      process.stdout.write(JSON.stringify({ error: message, exitCode, ...where }) + '\n');
    }
    process.stderr.write(`pinwheel: ${prefix}${message}\n`);
    return exitCode;
  } finally {
    process.off('SIGINT', onSigint);
    if (board) await time('close', () => board!.close().catch(() => undefined));
    if (engineStart !== undefined) timer.report('engine', timer.now() - engineStart);
    timer.report('total', timer.now());
  }
}
