// A UF2 board (a Raspberry Pi Pico) flashed from the app, end to end in the
// backend: the connected board is put into its bootloader (machine.bootloader()),
// its drive shows up, the .uf2 is checked against the drive's chip and copied,
// the board restarts (the drive goes), its serial port comes back, and the
// board connection returns to it running the new firmware.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortInfo } from '../../../electron/common/api/contract.js';
import { UF2_FAMILY } from '../../../electron/common/flash/chips.js';
import { LinkError } from '../../../electron/common/link/Link.js';
import { probeAnswer } from '../../support/espsim/AppRepl.js';
import { FakeBoard } from '../../support/FakeBoard.js';
import { buildUf2 } from '../../support/firmwareImages.js';
import { ScriptedPorts, startTestBackend, type TestBackend } from '../services/harness.js';

const PICO: PortInfo = { path: '/dev/ttyACM0', kind: 'serial', friendlyName: 'Raspberry Pi Pico', likelyMicroPython: true, vendorId: '2e8a', productId: '0005' };

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-uf2-app-'));
const media = path.join(tmp, 'media');
const drivePath = path.join(media, 'RPI-RP2');
const ports = new ScriptedPorts();
/** What the Pico runs: the version its probe reports. */
let running = '1.22.0';
let board: FakeBoard | undefined;
let t: TestBackend;

/** The Pico: answers the probe, and on machine.bootloader() drops its USB serial port and mounts its drive. */
function pico(): FakeBoard {
  const self: FakeBoard = new FakeBoard({
    rawPaste: 'yes',
    executor: async (code, ctx) => {
      if (code.includes('_pw_probe')) ctx.stdout(probeAnswer({ version: running, versionText: `v${running} on 2026-08-24`, machine: 'Raspberry Pi Pico with RP2040' }, 'rp2'));
      if (code.includes('machine.bootloader()')) {
        setTimeout(() => {
          self.unplug();
          ports.set([]);
          fs.mkdirSync(drivePath, { recursive: true });
          fs.writeFileSync(path.join(drivePath, 'INFO_UF2.TXT'), 'UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\nBoard-ID: RPI-RP2\n');
        }, 20);
        return new Promise<string>(() => {});
      }
      return '';
    },
  });
  return self;
}

/** The ROM behind the drive: once the whole file is there it restarts into it, and the serial port returns a moment later. */
function takeFirmwareWhenCopied(fileName: string, bytes: number, version: string): void {
  const timer = setInterval(() => {
    const file = path.join(drivePath, fileName);
    if (!fs.existsSync(file) || fs.statSync(file).size !== bytes) return;
    clearInterval(timer);
    fs.rmSync(drivePath, { recursive: true, force: true });
    running = version;
    setTimeout(() => ports.set([PICO]), 300);
  }, 20);
}

beforeAll(async () => {
  fs.mkdirSync(media);
  ports.set([PICO]);
  t = await startTestBackend({
    ports,
    uf2MountRoots: [media],
    openSerial: async (p) => {
      if (!(await ports.list()).some((q) => q.path === p)) throw new LinkError('NOT_FOUND', `${p} does not exist.`);
      board = pico();
      return board;
    },
    reconnectPollMs: 100,
    reconnectRetryMs: 300,
    presencePollMs: 100,
  });
});

afterAll(async () => {
  await t?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('a UF2 board in the app', () => {
  it('puts the connected Pico into its bootloader, copies the .uf2, and reconnects to the new firmware on its returned port', async () => {
    await t.client.call('board.connect', { path: PICO.path });
    const before = await t.events.status((s) => s.state === 'connected' && s.info !== undefined, 10_000);
    expect(before.info).toMatchObject({ version: '1.22.0', platform: 'rp2' });
    expect(await t.client.call('flash.drives', {})).toEqual([]);

    await t.client.call('board.bootloader', {});
    await t.events.status((s) => s.state === 'lost' && s.reconnecting, 5000);
    await expect.poll(() => t.client.call('flash.drives', {}), { timeout: 5000 }).toEqual([
      { path: drivePath, label: 'RPI-RP2', model: 'Raspberry Pi RP2', boardId: 'RPI-RP2', chip: 'rp2040' },
    ]);

    const uf2 = buildUf2({ familyId: UF2_FAMILY.RP2040, payloadBytes: 96 * 1024 });
    const file = path.join(tmp, 'RPI_PICO-20260824-v1.29.0.uf2');
    fs.writeFileSync(file, uf2);
    takeFirmwareWhenCopied(path.basename(file), uf2.length, '1.29.0');
    const from = t.events.all.length;
    const result = await t.client.call('flash.copyUf2', { drive: drivePath, source: { kind: 'file', path: file }, returnPort: PICO.path, jobId: 'uf2-1' }, { timeoutMs: 0 });
    expect(result).toMatchObject({ firmware: path.basename(file), drive: drivePath, bytes: uf2.length, port: PICO.path });
    const labels = new Set(t.events.of('job.progress').filter((e) => e.jobId === 'uf2-1').map((e) => e.label));
    // Progress events are throttled, so a short step may not show; the copy and the last wait do.
    expect([...labels]).toEqual(expect.arrayContaining(['Copying to RPI-RP2', "Waiting for the board's serial port"]));

    const after = await t.events.status((s) => s.state === 'connected' && s.info?.version === '1.29.0', 10_000, from);
    expect(after.port?.path).toBe(PICO.path);
  });

  it('refuses a .uf2 for another chip, copying nothing, and says which to pick', async () => {
    fs.mkdirSync(drivePath, { recursive: true });
    fs.writeFileSync(path.join(drivePath, 'INFO_UF2.TXT'), 'UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\nBoard-ID: RPI-RP2\n');
    const file = path.join(tmp, 'pico2.uf2');
    fs.writeFileSync(file, buildUf2({ familyId: UF2_FAMILY.RP2350_ARM_S }));
    await expect(t.client.call('flash.copyUf2', { drive: drivePath, source: { kind: 'file', path: file } })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'This firmware is for RP2350, but the drive is an RP2040 bootloader. Pick the RP2040 build (RPI_PICO). Nothing was copied.',
    });
    expect(fs.readdirSync(drivePath)).toEqual(['INFO_UF2.TXT']);
    await expect(t.client.call('flash.copyUf2', { drive: path.join(media, 'NOT-A-DRIVE'), source: { kind: 'file', path: file } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
