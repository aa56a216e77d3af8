import { describe, expect, it } from 'vitest';
import { parseCommandLine, splitChain } from '../../../electron/cli/chain.js';
import { COMMANDS, GLOBAL_FLAGS } from '../../../electron/cli/commandTable.js';
import { UsageError } from '../../../electron/cli/CommandError.js';

function usageError(argv: string[]): string {
  try {
    parseCommandLine(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`no usage error for ${JSON.stringify(argv)}`);
}

function chain(argv: string[]) {
  const line = parseCommandLine(argv);
  if (line.kind !== 'chain') throw new Error(`expected a chain, got ${line.kind}`);
  return line;
}

describe('the command line as a chain of steps', () => {
  it('cuts argv at standalone + tokens only', () => {
    expect(splitChain(['put', 'main.py', ':', '+', 'exec', 'x = 1 + 2', '+', 'reset'])).toEqual([['put', 'main.py', ':'], ['exec', 'x = 1 + 2'], ['reset']]);
    expect(splitChain(['ls'])).toEqual([['ls']]);
  });

  it("reads the issue's example as three steps, each with its own arguments and flags", () => {
    const line = chain(['put', '--force', 'main.py', ':', '+', 'exec', 'import machine', '+', 'reset', '--hard']);
    expect(line.steps.map((s) => [s.number, s.name, s.args, s.flags])).toEqual([
      [1, 'put', ['main.py', ':'], { force: true }],
      [2, 'exec', ['import machine'], {}],
      [3, 'reset', [], { hard: true }],
    ]);
    expect(line.baudRate).toBe(115200);
  });

  it('takes global flags from any step for all of them, and refuses two different values', () => {
    const line = chain(['ls', '+', '--port', '/dev/ttyUSB0', 'df', '--json', '+', '--baud', '9600', 'exec', 'print(1)']);
    expect(line.global).toMatchObject({ port: '/dev/ttyUSB0', json: true, baud: '9600' });
    expect(line.baudRate).toBe(9600);
    expect(line.steps.every((s) => Object.keys(s.flags).length === 0)).toBe(true);
    expect(chain(['-p', 'A', 'ls', '+', '-p', 'A', 'df']).global.port).toBe('A');
    expect(usageError(['-p', 'A', 'ls', '+', '-p', 'B', 'df'])).toMatch(/--port is given twice with different values \("A" and "B"\)/);
  });

  it("checks each step's flags and arguments against its own command, naming the step", () => {
    expect(usageError(['ls', '+', 'exec', 'print(1)', '--force'])).toBe('step 2 (exec): `pinwheel exec` does not take --force. Usage: pinwheel exec CODE');
    expect(usageError(['ls', '+', 'df', '+', 'cat'])).toBe('step 3 (cat): Usage: pinwheel cat :PATH');
    expect(usageError(['ls', '+', 'frob'])).toBe('step 2 (frob): Unknown command "frob". Run `pinwheel --help` for the list.');
    expect(usageError(['ls', '+', '--frob', 'df'])).toMatch(/^step 2: .*--frob/);
    expect(usageError(['ls', '+'])).toMatch(/^step 2 of the chain has no command/);
    expect(usageError(['+', 'ls'])).toMatch(/^step 1 of the chain has no command/);
  });

  it('keeps the messages of a single command as they were (no step number)', () => {
    expect(usageError(['cat'])).toBe('Usage: pinwheel cat :PATH');
    expect(usageError(['ls', '--force'])).toBe('`pinwheel ls` does not take --force. Usage: pinwheel ls [-r] [:PATH]');
    expect(usageError(['frobnicate'])).toBe('Unknown command "frobnicate". Run `pinwheel --help` for the list.');
    expect(usageError(['--baud', 'fast', 'ls'])).toBe('--baud must be a positive whole number, not "fast".');
  });

  it('lets repl and vboard only end a chain', () => {
    expect(usageError(['repl', '+', 'ls'])).toBe('step 1 (repl): `pinwheel repl` runs until you leave it, so it can only be the last step of a chain.');
    expect(usageError(['vboard', '+', 'ls'])).toMatch(/^step 1 \(vboard\): /);
    expect(chain(['put', 'a.py', '+', 'repl']).steps.map((s) => s.name)).toEqual(['put', 'repl']);
  });

  it('answers --help and --version from any step, and a bare call with the usage', () => {
    expect(parseCommandLine(['ls', '+', 'df', '--help'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['--version'])).toEqual({ kind: 'version' });
    expect(parseCommandLine([])).toEqual({ kind: 'usage' });
    expect(parseCommandLine(['--port', 'x'])).toEqual({ kind: 'usage' });
  });
});

describe('the command table', () => {
  it('gives a flag two commands share the same meaning, and no command redefines a global flag', () => {
    const seen = new Map<string, string>();
    for (const [name, spec] of Object.entries(COMMANDS)) {
      for (const [flag, def] of Object.entries(spec.flags ?? {})) {
        expect(Object.hasOwn(GLOBAL_FLAGS, flag), `${name} --${flag}`).toBe(false);
        const shape = JSON.stringify(def);
        expect(seen.get(flag) ?? shape, `${name} --${flag}`).toBe(shape);
        seen.set(flag, shape);
      }
    }
    expect(seen.get('recursive')).toBe(JSON.stringify({ type: 'boolean', short: 'r' }));
  });

  it('loads a body for every command', async () => {
    for (const [name, spec] of Object.entries(COMMANDS)) expect(typeof (await spec.load()), name).toBe('function');
  });
});
