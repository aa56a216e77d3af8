// `pinwheel vboard`: starts a virtual board on a pty, prints its path, serves
// other pinwheel calls on it, and stops on SIGTERM (or Ctrl-C).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, eventually, runCli, show, spawnCli, type CliProcess } from './cliHarness.js';

beforeAll(() => ensureCliBuilt(), 120_000);

/** Boot of the interpreter plus the pty. */
const VBOARD_START_MS = 20_000;
const VBOARD_STOP_MS = 5000;

const running: CliProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const p of running.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
});

afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function firstLine(p: CliProcess): string {
  return p.chunks.map((c) => c.text).join('').split('\n')[0]!.trim();
}

describe.each([
  ['uart', [] as string[], 'SIGTERM'],
  ['usb', ['--usb'], 'SIGINT'],
] as const)('pinwheel vboard (%s model)', (model, flags, stopSignal) => {
  it(`prints a port path other calls can use, keeps files in --flash, and stops on ${stopSignal}`, async () => {
    const flash = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-vboard-cli-'));
    dirs.push(flash);
    const vb = spawnCli(['vboard', ...flags, '--flash', flash]);
    running.push(vb);
    await vb.waitForStdout('\n', VBOARD_START_MS);
    const port = firstLine(vb);
    expect(port).toMatch(/^\/.*tty$/);
    expect(fs.existsSync(port)).toBe(true);

    const r = await runCli(['--port', port, 'exec', 'import sys\nprint(sys.platform, 6 * 7)']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout.trim()).toBe('esp32 42');
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-vboard-work-'));
    dirs.push(work);
    fs.writeFileSync(path.join(work, 'note.txt'), `made on the ${model} board\n`);
    const put = await runCli(['put', 'note.txt', ':note.txt'], { port, cwd: work });
    expect(put.code, show(put)).toBe(0);
    await eventually(() => expect(fs.readFileSync(path.join(flash, 'note.txt'), 'utf8')).toBe(`made on the ${model} board\n`));

    const t0 = performance.now();
    vb.child.kill(stopSignal);
    const done = await vb.done;
    expect(done.code, show(done)).toBe(0);
    expect(performance.now() - t0).toBeLessThan(VBOARD_STOP_MS);
    expect(fs.existsSync(port)).toBe(false);
    // The flash folder outlives the board: a new one starts with the file.
    const again = spawnCli(['--json', 'vboard', ...flags, '--flash', flash]);
    running.push(again);
    await again.waitForStdout(/\}\s*$/, VBOARD_START_MS);
    const info = JSON.parse(again.chunks.map((c) => c.text).join('')) as { path: string; model: string };
    expect(info.model).toBe(model);
    const cat = await runCli(['cat', ':note.txt'], { port: info.path });
    expect(cat.stdout).toBe(`made on the ${model} board\n`);
    again.child.kill('SIGTERM');
    expect((await again.done).code).toBe(0);
  });
});

describe('pinwheel vboard --profile', () => {
  it('starts the 1.9-minimal board, which other calls see as MicroPython 1.9.3', async () => {
    const vb = spawnCli(['--json', 'vboard', '--profile', '1.9-minimal']);
    running.push(vb);
    await vb.waitForStdout(/\}\s*$/, VBOARD_START_MS);
    const info = JSON.parse(vb.chunks.map((c) => c.text).join('')) as { path: string; model: string; profile: string };
    expect(info).toMatchObject({ model: 'uart', profile: '1.9-minimal' });
    const r = await runCli(['--port', info.path, 'exec', 'import os\nprint(os.uname().release, sorted(n for n in dir(os) if n[0] != "_"))']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout.trim()).toBe("1.9.3 ['listdir', 'remove', 'size', 'uname']");
    vb.child.kill('SIGTERM');
    expect((await vb.done).code).toBe(0);
  });

  it('refuses a profile it does not know with a usage error naming the profiles', async () => {
    const r = await runCli(['vboard', '--profile', 'esp8266']);
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toBe('pinwheel: --profile must be one of esp32, 1.9-minimal, not "esp8266".\n');
    const help = await runCli(['--help']);
    expect(help.stdout).toContain('vboard [--usb] [--flash DIR] [--profile esp32|1.9-minimal]');
  });
});
