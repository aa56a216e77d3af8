// `pinwheel flash` as a person or a script runs it, against the ESP ROM
// simulator on a pseudo-terminal. A pty has no DTR/RTS, so the simulated chip
// starts held in its bootloader, as a board whose BOOT button is held down.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChipId } from '../../../electron/common/flash/chips.js';
import { EspSimulator } from '../../support/espsim/EspSimulator.js';
import { fakeFirmware } from '../../support/espsim/esptoolHarness.js';
import { buildEspImage, buildUf2 } from '../../support/firmwareImages.js';
import { UF2_FAMILY } from '../../../electron/common/flash/chips.js';
import { ensureCliBuilt, runCli } from './cliHarness.js';

const HEADER_BYTES = 64;
const IMAGE_BYTES = 200 * 1024;
const ERASED = 0xff;

/** A compressible firmware-like image whose header names `chip`. */
function firmwareFor(chip: ChipId, bytes = IMAGE_BYTES, seed = 7): Uint8Array {
  const image = fakeFirmware(bytes, 0, seed);
  image.set(buildEspImage({ chip, sizeBytes: HEADER_BYTES }), 0);
  return image;
}

const sims: EspSimulator[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-flash-cli-'));

async function heldInBootloader(chip: 'esp32' | 'esp8266'): Promise<EspSimulator> {
  const sim = await EspSimulator.start({ chip, bootMode: 'download', hostFollowsBaud: true });
  sims.push(sim);
  return sim;
}

function writeImage(name: string, image: Uint8Array): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, image);
  return file;
}

function flashRegion(sim: EspSimulator, offset: number, length: number): Buffer {
  return Buffer.from(sim.flashMemory.read(offset, length));
}

beforeAll(() => ensureCliBuilt());
afterEach(async () => {
  for (const sim of sims.splice(0)) await sim.stop();
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('pinwheel flash', () => {
  it('--info reports the chip, its MAC and flash size, as text and JSON', async () => {
    const sim = await heldInBootloader('esp32');
    const text = await runCli(['flash', '--info'], { port: sim.path });
    expect(text.code, text.stderr).toBe(0);
    const mac = [...sim.mac].map((b) => b.toString(16).padStart(2, '0')).join(':');
    expect(text.stdout).toMatch(/^Chip: ESP32/m);
    expect(text.stdout).toContain(`MAC: ${mac}`);
    expect(text.stdout).toMatch(/^Flash: 4 MB/m);
    // Without DTR/RTS nothing resets the chip after a session: it stays in the stub at the faster baud. A board held in its bootloader again:
    const again = await heldInBootloader('esp32');
    const json = await runCli(['flash', '--info', '--json'], { port: again.path });
    expect(json.code, json.stderr).toBe(0);
    const againMac = [...again.mac].map((b) => b.toString(16).padStart(2, '0')).join(':');
    expect(JSON.parse(json.stdout)).toMatchObject({ family: 'ESP32', mac: againMac, flashSizeBytes: 4 * 1024 * 1024 });
  });

  for (const [chip, offset] of [
    ['esp32', 0x1000],
    ['esp8266', 0x0],
  ] as const) {
    it(`writes a .bin to an ${chip} at ${offset ? '0x1000' : '0x0'}, verified, byte for byte`, async () => {
      const sim = await heldInBootloader(chip);
      const image = firmwareFor(chip);
      const result = await runCli(['flash', writeImage(`${chip}.bin`, image)], { port: sim.path, timeoutMs: 60_000 });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/verified by MD5/);
      expect(flashRegion(sim, offset, image.length).equals(Buffer.from(image))).toBe(true);
      if (offset > 0) expect(flashRegion(sim, 0, offset).every((b) => b === ERASED)).toBe(true);
    });
  }

  it('refuses an image for another chip with what to pick, and leaves the flash untouched', async () => {
    const sim = await heldInBootloader('esp32');
    const result = await runCli(['flash', writeImage('s3.bin', firmwareFor('esp32s3'))], { port: sim.path });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/refused, nothing was erased: This firmware is for ESP32-S3, but the board is an ESP32\. Pick an ESP32 firmware \(ESP32_GENERIC\)\./);
    expect(sim.stats.flashBytesWritten).toBe(0);
    expect(Object.keys(sim.stats.commands).filter((c) => /FLASH_(DEFL_)?BEGIN|ERASE/.test(c))).toEqual([]);
  });

  it('refuses the wrong offset for the chip', async () => {
    const sim = await heldInBootloader('esp32');
    const result = await runCli(['flash', '--offset', '0x0', writeImage('esp32.bin', firmwareFor('esp32'))], { port: sim.path });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/ESP32 firmware goes at 0x1000, not 0x0/);
    expect(sim.stats.flashBytesWritten).toBe(0);
  });

  it('with --chip, refuses a wrong image before it opens any port', async () => {
    const result = await runCli(['flash', '--chip', 'esp8266', writeImage('esp32-again.bin', firmwareFor('esp32'))], { port: path.join(tmp, 'no-such-port') });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/This firmware is for ESP32, but the board is an ESP8266/);
  });

  it('downloads a catalog board once, caches it with its sha256, and flashes it', async () => {
    const image = firmwareFor('esp32', 64 * 1024, 11);
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      if (!/^\/resources\/firmware\/ESP32_GENERIC-\d{8}-v[\d.]+\.bin$/.test(req.url ?? '')) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': image.length }).end(Buffer.from(image));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const env = { PINWHEEL_FIRMWARE_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, PINWHEEL_DATA_DIR: path.join(tmp, 'data') };
    try {
      for (const round of [1, 2]) {
        const sim = await heldInBootloader('esp32');
        const result = await runCli(['flash', 'ESP32_GENERIC'], { port: sim.path, env, timeoutMs: 60_000 });
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toMatch(round === 1 ? /Firmware ESP32_GENERIC-\d{8}-v[\d.]+\.bin, sha256/ : /\(cached\)/);
        expect(flashRegion(sim, 0x1000, image.length).equals(Buffer.from(image))).toBe(true);
      }
      expect(requests).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  describe('a .uf2 onto a bootloader drive', () => {
    function fakeDrive(boardId: string): string {
      const drive = fs.mkdtempSync(path.join(tmp, 'RPI-RP2-'));
      fs.writeFileSync(path.join(drive, 'INFO_UF2.TXT'), `UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\nBoard-ID: ${boardId}\n`);
      return drive;
    }

    it('copies it whole, then waits for the board to take it and restart', async () => {
      const drive = fakeDrive('RPI-RP2');
      const uf2 = buildUf2({ familyId: UF2_FAMILY.RP2040, payloadBytes: 64 * 1024 });
      const file = writeImage('pico.uf2', uf2);
      const port = path.join(tmp, 'ttyACM-pico');
      // The board: once the whole file is on its drive, it reboots, the drive goes away and its serial port comes back.
      const board = setInterval(() => {
        const copied = path.join(drive, 'pico.uf2');
        if (fs.existsSync(copied) && fs.statSync(copied).size === uf2.length) {
          fs.rmSync(drive, { recursive: true, force: true });
          clearInterval(board);
          setTimeout(() => fs.writeFileSync(port, ''), 500);
        }
      }, 20);
      const result = await runCli(['flash', '--drive', drive, '--port', port, file]);
      clearInterval(board);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/Copied 128 KB to .*; the board took it and restarted\./); // 64 KB of payload in 512-byte blocks of 256
      expect(result.stdout).toContain(`Its serial port is back: ${port}.`);
    });

    it('refuses a UF2 for another family, copying nothing', async () => {
      const drive = fakeDrive('RPI-RP2');
      const file = writeImage('pico2.uf2', buildUf2({ familyId: UF2_FAMILY.RP2350_ARM_S }));
      const result = await runCli(['flash', '--drive', drive, file]);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/This firmware is for RP2350, but the drive is an RP2040 bootloader\. Pick the RP2040 build/);
      expect(fs.readdirSync(drive)).toEqual(['INFO_UF2.TXT']);
    });
  });
});
