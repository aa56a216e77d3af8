// What `npm start` does about the desktop app: use Electron when its binary is there; get it once
// when it is not (a local fixture stands in for Electron's installer, never the internet); start
// the browser version with one line that says why and how to get the desktop app when that fails.
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SETUP_COMMAND, chooseHost, fallbackLine } from '../../../electron/startDecision.mjs';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A machine whose Electron binary is at `binary` once something puts it there. */
function machine() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-start-'));
  dirs.push(dir);
  const binary = path.join(dir, 'electron');
  const lines: string[] = [];
  return {
    binary,
    lines,
    findBinary: () => (existsSync(binary) ? binary : undefined),
    /** The fixture installer: puts a binary where Electron's would go. */
    installs: async () => {
      writeFileSync(binary, '#!/bin/sh\n');
      chmodSync(binary, 0o755);
      return { ok: true as const };
    },
    log: (line: string) => lines.push(line),
  };
}

describe('chooseHost', () => {
  it('starts the desktop app when the binary is there, downloading nothing', async () => {
    const m = machine();
    await m.installs();
    let asked = false;
    const choice = await chooseHost({ env: {}, findBinary: m.findBinary, installBinary: async () => ((asked = true), { ok: true }), log: m.log });
    expect(choice).toEqual({ kind: 'desktop', binary: m.binary, installed: false });
    expect(asked).toBe(false);
    expect(m.lines).toEqual([]);
  });

  it('gets the binary once when it is missing, saying so, then starts the desktop app', async () => {
    const m = machine();
    const choice = await chooseHost({ env: {}, findBinary: m.findBinary, installBinary: m.installs, log: m.log });
    expect(choice).toEqual({ kind: 'desktop', binary: m.binary, installed: true });
    expect(m.lines).toEqual([expect.stringContaining('downloading it once')]);
  });

  it('falls back to the browser version when the download fails, with the reason and the way to get the desktop app', async () => {
    const m = machine();
    const choice = await chooseHost({ env: {}, findBinary: m.findBinary, installBinary: async () => ({ ok: false, reason: 'getaddrinfo ENOTFOUND github.com' }), log: m.log });
    expect(choice).toEqual({ kind: 'web', reason: 'the desktop app (Electron) is not installed, and downloading it failed: getaddrinfo ENOTFOUND github.com' });
    const line = fallbackLine((choice as { reason: string }).reason);
    expect(line).toBe(`Pinwheel: starting the browser version, because the desktop app (Electron) is not installed, and downloading it failed: getaddrinfo ENOTFOUND github.com. For the desktop app: ${SETUP_COMMAND}`);
    expect(line.split('\n')).toHaveLength(1);
    // An installer that claims success without a binary is a failure too; one that throws is caught.
    expect(await chooseHost({ env: {}, findBinary: m.findBinary, installBinary: async () => ({ ok: true }), log: m.log })).toMatchObject({ kind: 'web', reason: expect.stringContaining('left no Electron binary') });
    expect(await chooseHost({ env: {}, findBinary: m.findBinary, installBinary: async () => Promise.reject(new Error('EACCES')), log: m.log })).toMatchObject({ kind: 'web', reason: expect.stringContaining('EACCES') });
  });

  it('does not try to download where downloads are switched off, and honours PINWHEEL_WEB=1', async () => {
    const m = machine();
    let asked = false;
    const installBinary = async () => ((asked = true), { ok: true as const });
    expect(await chooseHost({ env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, findBinary: m.findBinary, installBinary, log: m.log })).toMatchObject({ kind: 'web', reason: expect.stringContaining('ELECTRON_SKIP_BINARY_DOWNLOAD') });
    await m.installs();
    expect(await chooseHost({ env: { PINWHEEL_WEB: '1' }, findBinary: m.findBinary, installBinary, log: m.log })).toMatchObject({ kind: 'web' });
    expect(asked).toBe(false);
  });
});
