// `pinwheel` without a board: usage errors (exit 2), a wrong port (exit 1 with
// one clear line), help, version, and the port list.
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, runCli, show } from './cliHarness.js';

beforeAll(() => ensureCliBuilt(), 120_000);

/** A board's answer would take longer; these must fail before touching any port. */
const NO_BOARD_MS = 5000;

describe('pinwheel usage and errors', () => {
  it('an unknown command exits 2 with a pointer to --help', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toBe('pinwheel: Unknown command "frobnicate". Run `pinwheel --help` for the list.\n');
    expect(r.stdout).toBe('');
  });

  it('wrong flags and argument counts exit 2 with the usage line', async () => {
    const flag = await runCli(['ls', '--force']);
    expect(flag.code, show(flag)).toBe(2);
    expect(flag.stderr).toMatch(/^pinwheel: `pinwheel ls` does not take --force\. Usage: pinwheel ls \[-r\] \[:PATH\]$/m);
    const unknownFlag = await runCli(['--frob', 'ls']);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toMatch(/^pinwheel: .*--frob/m);
    const args = await runCli(['cat']);
    expect(args.code).toBe(2);
    expect(args.stderr).toBe('pinwheel: Usage: pinwheel cat :PATH\n');
    const baud = await runCli(['--baud', 'fast', 'ls']);
    expect(baud.code).toBe(2);
    expect(baud.stderr).toMatch(/--baud must be a positive whole number/);
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: pinwheel');
    for (const r of [flag, unknownFlag, args, baud, none]) expect(r.ms).toBeLessThan(NO_BOARD_MS);
  });

  it('--help lists every command and exits 0; --version prints the version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const c of ['ports', 'ls', 'cat', 'get', 'put', 'rm', 'mkdir', 'mv', 'df', 'run', 'exec', 'repl', 'reset', 'vboard']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    }
    expect(help.stdout).toContain('Chaining: join commands with a standalone + to run them over one connection');
    expect(help.stdout).toContain('PINWHEEL_TIMING=1');
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('a port that does not exist is one clear line and exit 1, also as JSON', async () => {
    const r = await runCli(['--port', '/dev/pinwheel-no-such-port', 'ls']);
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).toMatch(/^pinwheel: .*\/dev\/pinwheel-no-such-port/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/Unexpected error|at .*\.js:\d+/);
    const json = await runCli(['--json', '--port', '/dev/pinwheel-no-such-port', 'exec', 'print(1)']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { error: string; exitCode: number };
    expect(parsed.exitCode).toBe(1);
    expect(parsed.error).toContain('/dev/pinwheel-no-such-port');
    const notAPort = await runCli(['--port', '/etc/hostname', 'ls']);
    expect(notAPort.code, show(notAPort)).toBe(1);
    expect(notAPort.stderr).toMatch(/^pinwheel: /);
    expect(notAPort.stderr).not.toContain('Unexpected error');
  });

  it('ports lists serial ports and --json parses', async () => {
    const text = await runCli(['ports']);
    expect(text.code, show(text)).toBe(0);
    expect(text.stdout.length).toBeGreaterThan(0);
    const json = await runCli(['--json', 'ports']);
    expect(json.code, show(json)).toBe(0);
    const list = JSON.parse(json.stdout) as Array<{ path: string; likelyMicroPython: boolean }>;
    expect(Array.isArray(list)).toBe(true);
    for (const p of list) expect(typeof p.path).toBe('string');
  });
});
