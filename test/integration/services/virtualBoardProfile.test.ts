// Choosing the firmware the built-in virtual board imitates, through the real
// Dispatcher: validated, remembered in the settings, applied by restarting the
// board, each profile with its own files.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIRTUAL_BOARD_PATH } from '../../../electron/common/api/contract.js';
import { startTestBackend, type TestBackend } from './harness.js';

let t: TestBackend;

beforeAll(async () => {
  t = await startTestBackend();
});

afterAll(async () => {
  await t?.close();
});

async function exec(code: string): Promise<string> {
  await t.terminal.settle();
  await t.client.call('board.run', { code });
  const out = await t.terminal.waitFor('>>> ');
  return out;
}

describe('the built-in virtual board profile', () => {
  it("starts as 'esp32'", async () => {
    expect(await t.client.call('vboard.profile', {})).toEqual({ profile: 'esp32' });
    const ports = await t.client.call('ports.list', {});
    expect(ports[0]).toMatchObject({ path: VIRTUAL_BOARD_PATH, friendlyName: 'Virtual board (ESP32, built in)' });
  });

  it('refuses a name it does not know, saying which names it knows', async () => {
    await expect(t.client.call('vboard.setProfile', { profile: 'esp8266' as 'esp32' })).rejects.toThrow(
      'Invalid parameters for vboard.setProfile: profile: the virtual board\'s firmware must be one of esp32, 1.9-minimal, not "esp8266"',
    );
    expect(await t.client.call('vboard.profile', {})).toEqual({ profile: 'esp32' });
  });

  it('switches a connected board: it restarts as MicroPython 1.9.3 and is connected again', async () => {
    await t.client.call('board.connect', { path: VIRTUAL_BOARD_PATH });
    await exec('f = open("esp32-only.txt", "w")\nf.write("x")\nf.close()\n');
    const from = t.events.all.length;
    expect(await t.client.call('vboard.setProfile', { profile: '1.9-minimal' })).toEqual({ profile: '1.9-minimal' });
    expect(t.events.of('vboard.profile').at(-1)).toEqual({ profile: '1.9-minimal' });
    const ports = await t.events.waitFor('ports.changed', () => true, 1000, from);
    expect(ports.ports[0]).toMatchObject({ path: VIRTUAL_BOARD_PATH, friendlyName: 'Virtual board (MicroPython 1.9, minimal, built in)' });
    const status = await t.client.call('board.status', {});
    expect(status).toMatchObject({ state: 'connected', port: { path: VIRTUAL_BOARD_PATH }, info: { version: '1.9.3' } });
    expect(await exec('import os\nprint(os.uname().release, os.listdir())\n')).toContain("1.9.3 []\r\n");
    const settings = JSON.parse(readFileSync(path.join(t.dataDir, 'settings.json'), 'utf8')) as { virtualBoardProfile?: string };
    expect(settings.virtualBoardProfile).toBe('1.9-minimal');
    expect(existsSync(path.join(t.dataDir, 'virtual-board', 'flash', 'esp32-only.txt'))).toBe(true);
  });

  it('switches back to the ESP32 with its files, and forgets the setting (the default)', async () => {
    await t.client.call('vboard.setProfile', { profile: 'esp32' });
    expect((await t.client.call('board.status', {})).info).toMatchObject({ version: '1.27.0' });
    expect(await exec('import os\nprint(os.listdir())\n')).toContain("['esp32-only.txt']\r\n");
    const settings = JSON.parse(readFileSync(path.join(t.dataDir, 'settings.json'), 'utf8')) as { virtualBoardProfile?: string };
    expect(settings.virtualBoardProfile).toBeUndefined();
  });

  it('leaves the connection alone when the virtual board is not connected, and boots the new profile on the next connect', async () => {
    await t.client.call('board.disconnect', {});
    await t.client.call('vboard.setProfile', { profile: '1.9-minimal' });
    expect((await t.client.call('board.status', {})).state).toBe('disconnected');
    const status = await t.client.call('board.connect', { path: VIRTUAL_BOARD_PATH });
    expect(status.info).toMatchObject({ version: '1.9.3' });
  });
});
