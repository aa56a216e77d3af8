/**
 * The command line as a chain of steps, as mpremote reads it: argv is cut at
 * standalone `+` tokens (`pinwheel put main.py : + exec 'import machine' +
 * reset`), each piece is one command with its own arguments and flags, and
 * the global flags (--port, --baud, --json, --debug) may stand in any piece
 * and hold for all. Everything a user can get wrong is found here, before
 * anything touches a board.
 */
import { parseArgs } from 'node:util';
import { allFlags, COMMANDS, GLOBAL_FLAGS, type CommandSpec } from './commandTable.js';
import { UsageError } from './CommandError.js';

/** The token that separates the steps of a chain. */
export const CHAIN_SEPARATOR = '+';

export type FlagValues = Record<string, string | boolean | undefined>;

export interface Step {
  /** 1-based, as messages name it. */
  number: number;
  name: string;
  spec: CommandSpec;
  args: string[];
  /** This step's own flags (the global ones are in CommandLine.global). */
  flags: FlagValues;
}

export type CommandLine =
  | { kind: 'version' }
  | { kind: 'help' }
  /** No command at all: the usage goes to stderr with exit 2. */
  | { kind: 'usage' }
  | { kind: 'chain'; global: FlagValues; baudRate: number; steps: Step[] };

const GLOBAL_NAMES = new Set(Object.keys(GLOBAL_FLAGS));

/** `step 2 (exec): ` in a chain of several steps; nothing for a single command, whose messages stay as they were. */
export function stepPrefix(step: { number: number; name?: string | undefined }, chained: boolean): string {
  if (!chained) return '';
  return step.name ? `step ${step.number} (${step.name}): ` : `step ${step.number}: `;
}

/** Cuts argv at standalone `+` tokens. */
export function splitChain(argv: readonly string[]): string[][] {
  const segments: string[][] = [[]];
  for (const token of argv) {
    if (token === CHAIN_SEPARATOR) segments.push([]);
    else segments[segments.length - 1]!.push(token);
  }
  return segments;
}

/** Parses and checks the whole command line; throws UsageError (exit 2) for the first mistake in any step. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const segments = splitChain(argv);
  const chained = segments.length > 1;
  const options = allFlags();
  const parsed = segments.map((args, i) => {
    try {
      return parseArgs({ args, options, allowPositionals: true, strict: true });
    } catch (err) {
      throw new UsageError(`${stepPrefix({ number: i + 1 }, chained)}${(err as Error).message}\nRun \`pinwheel --help\` for usage.`);
    }
  });

  const global: FlagValues = {};
  for (const { values } of parsed) {
    for (const [flag, value] of Object.entries(values)) {
      if (value === undefined || !GLOBAL_NAMES.has(flag)) continue;
      if (global[flag] !== undefined && global[flag] !== value) {
        throw new UsageError(`--${flag} is given twice with different values ("${String(global[flag])}" and "${String(value)}"); it holds for every step, so give it once.`);
      }
      global[flag] = value;
    }
  }
  if (global.version) return { kind: 'version' };
  if (global.help) return { kind: 'help' };
  if (!chained && parsed[0]!.positionals.length === 0) return { kind: 'usage' };

  const steps = parsed.map(({ values, positionals }, i): Step => {
    const number = i + 1;
    const [name, ...args] = positionals;
    if (name === undefined) {
      throw new UsageError(`step ${number} of the chain has no command. Steps are joined with a standalone +, e.g. pinwheel put main.py : + reset`);
    }
    const prefix = stepPrefix({ number, name }, chained);
    const spec = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!spec) throw new UsageError(`${prefix}Unknown command "${name}". Run \`pinwheel --help\` for the list.`);
    const flags: FlagValues = {};
    for (const [flag, value] of Object.entries(values)) {
      if (value === undefined || GLOBAL_NAMES.has(flag)) continue;
      if (!spec.flags || !Object.hasOwn(spec.flags, flag)) {
        throw new UsageError(`${prefix}\`pinwheel ${name}\` does not take --${flag}. Usage: pinwheel ${spec.usage}`);
      }
      const flagSpec = spec.flags[flag]!;
      if (flagSpec.type === 'string' && flagSpec.choices && !flagSpec.choices.includes(String(value))) {
        throw new UsageError(`${prefix}--${flag} must be one of ${flagSpec.choices.join(', ')}, not "${String(value)}".`);
      }
      flags[flag] = value;
    }
    if (args.length < (spec.minArgs ?? 0) || args.length > (spec.maxArgs ?? Infinity)) {
      throw new UsageError(`${prefix}Usage: pinwheel ${spec.usage}`);
    }
    if (spec.lastOnly && number < parsed.length) {
      throw new UsageError(`${prefix}\`pinwheel ${name}\` runs until you leave it, so it can only be the last step of a chain.`);
    }
    return { number, name, spec, args, flags };
  });

  const baudRate = global.baud === undefined ? 115200 : Number(global.baud);
  if (!Number.isInteger(baudRate) || baudRate <= 0) throw new UsageError(`--baud must be a positive whole number, not "${String(global.baud)}".`);
  return { kind: 'chain', global, baudRate, steps };
}
