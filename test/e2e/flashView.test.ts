/**
 * The Flash view as a person uses it, through the web host in Chromium: the
 * ESP ROM simulator sits on a pseudo-terminal, held in its bootloader (the
 * host's flasher process cannot reach the simulator's reset lines), and the
 * firmware comes from a local server standing in for micropython.org.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { startWebHost, type RunningHost } from '../helpers/webHost.js';
import { EspSimulator } from '../support/espsim/EspSimulator.js';
import { fakeFirmware } from '../support/espsim/esptoolHarness.js';
import { buildEspImage, buildUf2 } from '../support/firmwareImages.js';
import { UF2_FAMILY } from '../../electron/common/flash/chips.js';
import { VirtualBoard } from '../../electron/node/vboard/VirtualBoard.js';
import { CONNECT_TIMEOUT_MS, openWorkbench, showFilesView } from './pinwheelPage.js';

/** A download page of our own, in the shape of micropython.org's: one release newer than the catalog's. */
const NEWER_PAGE = '<html><body><h1>ESP32_GENERIC</h1><ul>' +
  '<li><a href="/resources/firmware/ESP32_GENERIC-20261201-v1.30.0.bin">v1.30.0 (2026-12-01) .bin</a></li>' +
  '<li><a href="/resources/firmware/ESP32_GENERIC-20260824-v1.29.0.bin">v1.29.0 (2026-08-24) .bin</a></li>' +
  '</ul></body></html>';

function firmware(chip: 'esp32' | 'esp32s3', seed: number): Uint8Array {
  const image = fakeFirmware(96 * 1024, 0, seed);
  image.set(buildEspImage({ chip, sizeBytes: 64 }), 0);
  return image;
}

describe('the Flash view', () => {
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  let server: http.Server;
  const served = firmware('esp32', 31);
  const sims: EspSimulator[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-flash-view-'));
  /** Where the host looks for removable drives. */
  const media = path.join(tmp, 'media');
  const picoUf2 = buildUf2({ familyId: UF2_FAMILY.RP2040, payloadBytes: 48 * 1024 });

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/download/ESP32_GENERIC/') return void res.writeHead(200, { 'Content-Type': 'text/html' }).end(NEWER_PAGE);
      if (/^\/resources\/firmware\/RPI_PICO-\d{8}-v[\d.]+\.uf2$/.test(req.url ?? '')) return void res.writeHead(200, { 'Content-Length': picoUf2.length }).end(Buffer.from(picoUf2));
      if (!/^\/resources\/firmware\/ESP32_GENERIC-\d{8}-v[\d.]+\.bin$/.test(req.url ?? '')) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Length': served.length }).end(Buffer.from(served));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fs.mkdirSync(media);
    host = await startWebHost({
      env: { PINWHEEL_FIRMWARE_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, PINWHEEL_UF2_MOUNT_ROOTS: media },
    });
    browser = await launchBrowser();
    ({ page } = await openWorkbench(browser, host));
    await page.getByRole('tab', { name: 'Flash' }).click();
  });

  afterAll(async () => {
    for (const sim of sims) await sim.stop();
    await browser?.close();
    await host?.stop();
    server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function choosePort(sim: EspSimulator): Promise<void> {
    const view = page.getByTestId('flash-view');
    await view.getByLabel('Port', { exact: true }).selectOption({ label: 'Other port…' });
    await view.getByLabel('Port path').fill(sim.path);
  }

  it('flashes the newest release of the chosen board, verified, and says so', async () => {
    const sim = await EspSimulator.start({ chip: 'esp32', bootMode: 'download', hostFollowsBaud: true });
    sims.push(sim);
    const view = page.getByTestId('flash-view');
    await choosePort(sim);
    await expect(view.getByLabel('Board').inputValue()).resolves.toBe('ESP32_GENERIC');
    await view.getByRole('button', { name: 'Flash' }).click();
    const status = view.getByRole('status');
    await status.waitFor({ timeout: 60_000 });
    expect(await status.textContent()).toMatch(/^Flashed ESP32_GENERIC-\d{8}-v[\d.]+\.bin at 0x1000: 96 KB written in [\d.]+ s, verified, and the chip restarted into it/);
    // The host's flasher process cannot reach the simulator's reset lines, so the chip never restarts: no banner.
    // (test/integration/flash/flashAndReconnect.test.ts has the board that does.)
    expect(await status.textContent()).toContain('It printed no MicroPython banner');
    expect(await view.getByLabel('Chip').textContent()).toContain(sim.macString);
    expect(Buffer.from(sim.flash.subarray(0x1000, 0x1000 + served.length)).equals(Buffer.from(served))).toBe(true);
    await screenshot(page, 'flash-view-done');
  });

  it('checks micropython.org for a newer release and flashes the one chosen', async () => {
    const sim = await EspSimulator.start({ chip: 'esp32', bootMode: 'download', hostFollowsBaud: true });
    sims.push(sim);
    const view = page.getByTestId('flash-view');
    await choosePort(sim);
    await view.getByRole('button', { name: 'Check for newer' }).click();
    await view.getByLabel('Release').selectOption('1.30.0');
    await screenshot(page, 'flash-view-newer-release');
    await view.getByRole('button', { name: 'Flash' }).click();
    await expect.poll(() => view.getByRole('status').textContent().catch(() => ''), { timeout: 60_000 }).toMatch(/^Flashed ESP32_GENERIC-20261201-v1\.30\.0\.bin at 0x1000/);
  });

  it('refuses a file for another chip with what to pick, and writes nothing', async () => {
    const sim = await EspSimulator.start({ chip: 'esp32', bootMode: 'download', hostFollowsBaud: true });
    sims.push(sim);
    const file = path.join(tmp, 'esp32s3.bin');
    fs.writeFileSync(file, firmware('esp32s3', 32));
    const view = page.getByTestId('flash-view');
    await choosePort(sim);
    await view.getByLabel('Firmware file').fill(file);
    await view.getByRole('button', { name: 'Flash' }).click();
    await expect
      .poll(() => page.getByTestId('workbench').textContent(), { timeout: 60_000 })
      .toContain('This firmware is for ESP32-S3, but the board is an ESP32. Pick an ESP32 firmware (ESP32_GENERIC).');
    expect(sim.stats.flashBytesWritten).toBe(0);
    // The refusal stays in the view beside Try again (the notification fades); a right file then goes on.
    const alert = view.getByRole('alert');
    expect(await alert.textContent()).toContain('This firmware is for ESP32-S3, but the board is an ESP32.');
    await screenshot(page, 'flash-view-refused');
    const good = path.join(tmp, 'esp32.bin');
    fs.writeFileSync(good, firmware('esp32', 33));
    await view.getByLabel('Firmware file').fill(good);
    // The refusal reset the chip, but this one has no auto-reset circuit the host can reach: the retry says what to do.
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => alert.textContent().catch(() => ''), { timeout: 60_000 }).toContain('Hold the BOOT button, tap EN (RST), release BOOT, and try again.');
    await screenshot(page, 'flash-view-hold-boot');
    // Done as it says: BOOT (IO0) held low while EN is tapped.
    sim.setSignals({ dtr: false, rts: true });
    sim.setSignals({ dtr: true, rts: false });
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => view.getByRole('status').textContent().catch(() => ''), { timeout: 60_000 }).toMatch(/^Flashed esp32\.bin at 0x1000/);
    expect(await view.getByRole('alert').count()).toBe(0);
    expect(sim.stats.flashBytesWritten).toBeGreaterThan(0);
    await view.getByLabel('Firmware file').fill('');
  });

  it('Detect chip reports the chip and picks the board for it', async () => {
    const sim = await EspSimulator.start({ chip: 'esp8266', bootMode: 'download', hostFollowsBaud: true });
    sims.push(sim);
    const view = page.getByTestId('flash-view');
    await view.getByLabel('Firmware file').fill('');
    await choosePort(sim);
    await view.getByLabel('Board').selectOption('ESP32_GENERIC');
    await view.getByRole('button', { name: 'Detect chip' }).click();
    await expect.poll(() => view.getByLabel('Chip').textContent(), { timeout: 60_000 }).toContain(sim.macString);
    expect(await view.getByLabel('Chip').textContent()).toContain('ESP8266');
    await expect(view.getByLabel('Board').inputValue()).resolves.toBe('ESP8266_GENERIC');
    expect(sim.stats.flashBytesWritten).toBe(0);
  });

  it("a board's card offers Update MicroPython, which opens the Flash view on that board's port", async () => {
    const board = await VirtualBoard.start({ model: 'usb' });
    try {
      const ptyPath = await board.exposeOnPty();
      await showFilesView(page);
      await page.locator('.port-other summary').click();
      await page.getByTestId('other-port-input').fill(ptyPath);
      await page.getByTestId('other-port-connect').click();
      await page.locator('[data-testid=board-status][data-state=connected]').waitFor({ timeout: CONNECT_TIMEOUT_MS });
      await screenshot(page, 'board-card-update-micropython');
      await page.getByTestId('board-card').getByRole('button', { name: 'Update MicroPython' }).click();
      const view = page.getByTestId('flash-view');
      await expect(view.getByLabel('Port', { exact: true }).inputValue()).resolves.toBe(ptyPath);
      await expect.poll(() => view.getByLabel('Board').inputValue(), { timeout: 10_000 }).toBe('ESP32_GENERIC');
      // Preselected from what the running MicroPython calls itself (os.uname().machine).
      await expect.poll(() => view.textContent(), { timeout: 10_000 }).toContain('Picked for this port: the board runs MicroPython on "Pinwheel virtual board with ESP32"');
      await screenshot(page, 'flash-view-from-board-card');
    } finally {
      await board.stop();
    }
  });

  it('a UF2 board: its drive shows up, the .uf2 goes onto it, and Pinwheel connects to the port the board comes back on', async () => {
    const view = page.getByTestId('flash-view');
    const portPath = path.join(tmp, 'ttyACM-pico');
    const drivePath = path.join(media, 'RPI-RP2');
    await view.getByLabel('Firmware file').fill('');
    await view.getByLabel('Port', { exact: true }).selectOption({ label: 'Other port…' });
    await view.getByLabel('Port path').fill(portPath);
    await view.getByLabel('Board').selectOption('RPI_PICO');
    await view.getByText('No UF2 drive is mounted.').waitFor({ timeout: 10_000 });
    expect(await view.getByRole('button', { name: 'Flash' }).isDisabled()).toBe(true);
    await screenshot(page, 'flash-view-uf2-no-drive');
    // BOOTSEL held while plugging in: the boot ROM's drive mounts.
    fs.mkdirSync(drivePath);
    fs.writeFileSync(path.join(drivePath, 'INFO_UF2.TXT'), 'UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\nBoard-ID: RPI-RP2\n');
    await expect.poll(() => view.getByLabel('Drive').inputValue().catch(() => ''), { timeout: 10_000 }).toBe(drivePath);
    // The ROM: once the whole file is on the drive, the board restarts into MicroPython and its serial port appears.
    const board = await VirtualBoard.start({ model: 'usb' });
    const rom = setInterval(() => {
      const copied = fs.readdirSync(drivePath).find((n) => n.endsWith('.uf2'));
      if (!copied || fs.statSync(path.join(drivePath, copied)).size !== picoUf2.length) return;
      clearInterval(rom);
      fs.rmSync(drivePath, { recursive: true, force: true });
      setTimeout(() => void board.exposeOnPty({ path: portPath }), 300);
    }, 20);
    try {
      await view.getByRole('button', { name: 'Flash' }).click();
      await expect
        .poll(() => view.getByRole('status').textContent().catch(() => ''), { timeout: 30_000 })
        .toMatch(new RegExp(`^Copied RPI_PICO-\\d{8}-v[\\d.]+\\.uf2 to ${drivePath} \\(96 KB in [\\d.]+ s\\); the board restarted into it and is back on ${portPath}`));
      await page.locator('[data-testid=board-status][data-state=connected]').waitFor({ timeout: CONNECT_TIMEOUT_MS });
      await screenshot(page, 'flash-view-uf2-done');
    } finally {
      clearInterval(rom);
      await board.stop();
    }
  });
});
