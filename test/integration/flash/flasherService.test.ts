// The app's flash domain: FlasherService runs each job in the flasher
// process (a real child process) against the ESP ROM simulator on a pty, held
// in its bootloader (a child process cannot reach the simulator's reset
// lines), and holds the port's lease meanwhile.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload, PortInfo } from '../../../electron/common/api/contract.js';
import { runFlasherJob } from '../../../electron/node/flash/flasherJob.js';
import type { CallContext } from '../../../electron/common/api/dispatcher.js';
import { FirmwareCache } from '../../../electron/node/flash/FirmwareCache.js';
import { PortLeases } from '../../../electron/node/ports/PortLeases.js';
import { FLASHER_OWNER, FlasherService } from '../../../electron/node/services/flash/FlasherService.js';
import { EspSimulator } from '../../support/espsim/EspSimulator.js';
import { fakeFirmware } from '../../support/espsim/esptoolHarness.js';
import { buildEspImage } from '../../support/firmwareImages.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-flasher-service-'));
const sims: EspSimulator[] = [];
let server: http.Server;
let served: Uint8Array;
let requests = 0;
const requested: string[] = [];
/** A download page of our own, in the shape of micropython.org's: one release newer than the catalog's. */
const NEWER_PAGE = '<html><body><h1>ESP32_GENERIC</h1><ul>' +
  '<li><a href="/resources/firmware/ESP32_GENERIC-20261201-v1.30.0.bin">v1.30.0 (2026-12-01) .bin</a></li>' +
  '<li><a href="/resources/firmware/ESP32_GENERIC-20260824-v1.29.0.bin">v1.29.0 (2026-08-24) .bin</a></li>' +
  '</ul></body></html>';

function firmware(chip: 'esp32' | 'esp32s3', bytes = 96 * 1024, seed = 21): Uint8Array {
  const image = fakeFirmware(bytes, 0, seed);
  image.set(buildEspImage({ chip, sizeBytes: 64 }), 0);
  return image;
}

function setUp() {
  const events: Array<EventPayload<'job.progress'>> = [];
  const leases = new PortLeases();
  const cache = new FirmwareCache({ dir: fs.mkdtempSync(path.join(tmp, 'cache-')), baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  const service = new FlasherService({ leases, progress: (e) => events.push(e), cache });
  return { service, handlers: service.handlers(), events, leases };
}

const ctx = (signal = new AbortController().signal): CallContext => ({ signal, clientId: 'test' });

async function heldInBootloader(): Promise<EspSimulator> {
  const sim = await EspSimulator.start({ chip: 'esp32', bootMode: 'download', hostFollowsBaud: true });
  sims.push(sim);
  return sim;
}

beforeAll(async () => {
  served = firmware('esp32', 80 * 1024, 22);
  server = http.createServer((req, res) => {
    requests++;
    requested.push(req.url ?? '');
    if (req.url === '/download/ESP32_GENERIC/') return void res.writeHead(200, { 'Content-Type': 'text/html' }).end(NEWER_PAGE);
    if (!/^\/resources\/firmware\/ESP32_GENERIC-\d{8}-v[\d.]+\.bin$/.test(req.url ?? '')) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Length': served.length }).end(Buffer.from(served));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterEach(async () => {
  for (const sim of sims.splice(0)) await sim.stop();
});
afterAll(() => {
  server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('FlasherService', () => {
  it('lists the catalog with each board\'s newest known release', async () => {
    const { handlers } = setUp();
    const { boards } = await handlers['flash.catalog']({}, ctx());
    expect(boards.find((b) => b.id === 'ESP32_GENERIC')).toMatchObject({ chip: 'esp32', fileType: 'bin', latest: { version: expect.stringMatching(/^\d+\.\d+\.\d+$/) } });
    expect(boards.find((b) => b.id === 'RPI_PICO')).toMatchObject({ chip: 'rp2040', fileType: 'uf2' });
  });

  it('writes a file in the flasher process, holding the port meanwhile, with progress by step', async () => {
    const sim = await heldInBootloader();
    const { handlers, events, leases } = setUp();
    const image = firmware('esp32');
    const file = path.join(tmp, 'fw.bin');
    fs.writeFileSync(file, image);
    const holders: Array<string | undefined> = [];
    const watch = setInterval(() => void leases.holderOf(sim.path).then((h) => holders.push(h)), 20);
    const result = await handlers['flash.write']({ port: sim.path, source: { kind: 'file', path: file }, eraseAll: false, jobId: 'job-1' }, ctx());
    clearInterval(watch);
    expect(result).toMatchObject({ firmware: 'fw.bin', offset: 0x1000, bytes: image.length, chip: { family: 'ESP32', mac: sim.macString } });
    expect(Buffer.from(sim.flash.subarray(0x1000, 0x1000 + image.length)).equals(Buffer.from(image))).toBe(true);
    expect(holders).toContain(FLASHER_OWNER);
    expect(await leases.holderOf(sim.path)).toBeUndefined();
    const labels = [...new Set(events.map((e) => e.label))];
    expect(labels).toContain('Writing at 0x1000');
    expect(events.at(-1)).toMatchObject({ jobId: 'job-1', done: image.length, total: image.length });
  });

  it('downloads a catalog board once and writes it', async () => {
    const { handlers } = setUp();
    const before = requests;
    for (const round of [1, 2]) {
      const sim = await heldInBootloader();
      const result = await handlers['flash.write']({ port: sim.path, source: { kind: 'catalog', board: 'ESP32_GENERIC' }, eraseAll: false }, ctx());
      expect(result.firmware, `round ${round}`).toMatch(/^ESP32_GENERIC-\d{8}-v[\d.]+\.bin$/);
      expect(Buffer.from(sim.flash.subarray(0x1000, 0x1000 + served.length)).equals(Buffer.from(served))).toBe(true);
    }
    expect(requests - before).toBe(1);
  });

  it('refuses a firmware for another chip with BAD_REQUEST and leaves the flash untouched', async () => {
    const sim = await heldInBootloader();
    const { handlers } = setUp();
    const file = path.join(tmp, 's3.bin');
    fs.writeFileSync(file, firmware('esp32s3'));
    await expect(handlers['flash.write']({ port: sim.path, source: { kind: 'file', path: file }, eraseAll: true }, ctx())).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'This firmware is for ESP32-S3, but the board is an ESP32. Pick an ESP32 firmware (ESP32_GENERIC).',
    });
    expect(sim.stats.flashBytesWritten).toBe(0);
    expect(sim.stats.commands['ERASE_FLASH']).toBeUndefined();
  });

  it('cancelling the call stops the write and frees the port', async () => {
    const sim = await heldInBootloader();
    const { handlers, events, leases } = setUp();
    const file = path.join(tmp, 'big.bin');
    fs.writeFileSync(file, firmware('esp32', 600 * 1024, 23));
    const controller = new AbortController();
    const writing = handlers['flash.write']({ port: sim.path, source: { kind: 'file', path: file }, eraseAll: false, baud: 115_200, jobId: 'job-2' }, ctx(controller.signal));
    const started = Date.now();
    while (!events.some((e) => e.label.startsWith('Writing') && e.done > 0) && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await expect(writing).rejects.toMatchObject({ code: 'CANCELLED', message: 'Cancelled while writing: the board needs flashing again.' });
    expect(await leases.holderOf(sim.path)).toBeUndefined();
  });

  it('asks the board connection to lend the port, and a port nobody can give up is BUSY', async () => {
    const sim = await heldInBootloader();
    const { handlers, leases } = setUp();
    let lentTo: string | undefined;
    const held = await leases.acquire(sim.path, { owner: 'the board connection', onPreempt: async (by) => void (lentTo = by) });
    const info = await handlers['flash.info']({ port: sim.path }, ctx());
    expect(info).toMatchObject({ family: 'ESP32', mac: sim.macString });
    expect(lentTo).toBe(FLASHER_OWNER);
    expect(held.released).toBe(true);
    const stubborn = await leases.acquire(sim.path, { owner: 'another program' });
    await expect(handlers['flash.info']({ port: sim.path }, ctx())).rejects.toMatchObject({ code: 'BUSY' });
    stubborn.release();
  });

  it("passes the port's USB ids to the flasher, so a native-USB chip gets the USB reset", async () => {
    const jobs: unknown[] = [];
    const leases = new PortLeases();
    const service = new FlasherService({
      leases,
      progress: () => {},
      describePort: async (port) => ({ path: port, kind: 'serial', friendlyName: 'USB JTAG/serial debug unit', likelyMicroPython: true, vendorId: '303a', productId: '1001' }),
      run: async (job, { onMessage }) => {
        jobs.push(job);
        onMessage({ type: 'chip', info: { family: 'ESP32-C3', description: 'ESP32-C3', features: [], crystalMhz: 40, mac: '00:00:00:00:00:01', flashId: 0x1640ef, baud: 921600 } });
        onMessage({ type: 'finished' });
      },
    });
    await service.handlers()['flash.info']({ port: '/dev/ttyACM0' }, ctx());
    expect(jobs).toEqual([{ type: 'info', port: '/dev/ttyACM0', baud: 921_600, usbVendorId: 0x303a, usbProductId: 0x1001 }]);
  });

  it("suggests a board for a port from the MicroPython on it, else from the port's USB ids", async () => {
    const service = new FlasherService({
      leases: new PortLeases(),
      progress: () => {},
      describePort: async (port) => ({ path: port, kind: 'serial', friendlyName: 'Board in FS mode', likelyMicroPython: true, vendorId: '2e8a', productId: '0005' }),
    });
    const suggest = service.handlers()['flash.suggest'];
    expect(await suggest({ port: '/dev/ttyACM0', machine: 'Raspberry Pi Pico W with RP2040' }, ctx())).toMatchObject({ board: 'RPI_PICO_W', certain: true });
    expect(await suggest({ port: '/dev/ttyACM0' }, ctx())).toMatchObject({ board: 'RPI_PICO', certain: false });
    expect(await suggest({}, ctx())).toBeNull();
  });

  it('follows a chip that re-enumerates on another port when reset into its bootloader, and says so', async () => {
    // An ESP32-S3 running MicroPython's native-USB build: its ROM bootloader is another USB device, on another port.
    const app = await EspSimulator.start({ chip: 'esp32s3' });
    sims.push(app);
    let rom: EspSimulator | undefined;
    const listed: PortInfo[] = [{ path: app.path, kind: 'serial', friendlyName: 'ESP32-S3 (MicroPython)', likelyMicroPython: true, vendorId: '303a', productId: '4001' }];
    const events: Array<EventPayload<'job.progress'>> = [];
    const service = new FlasherService({
      leases: new PortLeases(),
      progress: (e) => events.push(e),
      cache: new FirmwareCache({ dir: fs.mkdtempSync(path.join(tmp, 'cache-')) }),
      listPorts: async () => [...listed],
      describePort: async (p) => listed.find((q) => q.path === p),
      // In this process, so the simulators' reset lines can be reached.
      run: (job, { signal, onMessage }) => {
        const sim = job.port === app.path ? app : rom!;
        return runFlasherJob(job, {
          send: async (m) => onMessage(m),
          signal: signal ?? new AbortController().signal,
          lineControl: {
            setSignals: async (lines) => {
              if (sim === app && lines.dtr === true && lines.rts === false) {
                // The download strap: the chip drops off USB and comes back as its ROM's device.
                listed.splice(0);
                await app.unplug();
                rom = await EspSimulator.start({ chip: 'esp32s3', bootMode: 'download', hostFollowsBaud: true });
                sims.push(rom);
                listed.push({ path: rom.path, kind: 'serial', friendlyName: 'ESP32-S3 (ROM)', likelyMicroPython: true, vendorId: '303a', productId: '0002' });
                return;
              }
              await sim.lineControl.setSignals(lines);
            },
            setBaudRate: (baud) => sim.lineControl.setBaudRate(baud),
          },
        });
      },
    });
    const image = firmware('esp32s3', 64 * 1024, 24);
    const file = path.join(tmp, 's3-native.bin');
    fs.writeFileSync(file, image);
    const result = await service.handlers()['flash.write']({ port: app.path, source: { kind: 'file', path: file }, eraseAll: false, jobId: 'moved' }, ctx());
    expect(rom).toBeDefined();
    expect(result).toMatchObject({ port: rom!.path, offset: 0, chip: { family: 'ESP32-S3' } });
    expect(Buffer.from(rom!.flash.subarray(0, image.length)).equals(Buffer.from(image))).toBe(true);
    expect(events.map((e) => e.label)).toContain(`The board came back as ${rom!.path}: following it`);
  });

  it('does not follow when the port is still there: a chip that never answered gets the BOOT-button advice', async () => {
    const sim = await EspSimulator.start({ chip: 'esp32' });
    sims.push(sim);
    const listed: PortInfo[] = [{ path: sim.path, kind: 'serial', friendlyName: 'CP2102', likelyMicroPython: true, vendorId: '10c4', productId: 'ea60' }];
    let runs = 0;
    const service = new FlasherService({
      leases: new PortLeases(),
      progress: () => {},
      listPorts: async () => listed,
      run: async (_job, { onMessage }) => {
        runs++;
        onMessage({ type: 'failed', failure: 'no-bootloader', message: 'The chip did not answer in its bootloader. Hold the BOOT button, tap EN (RST), release BOOT, and try again.' });
      },
    });
    await expect(service.handlers()['flash.info']({ port: sim.path }, ctx())).rejects.toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining('Hold the BOOT button') });
    expect(runs).toBe(1);
  });

  it('finds a release newer than the catalog on the download page, and flashes it when asked', async () => {
    const { handlers } = setUp();
    const found = await handlers['flash.newer']({ board: 'ESP32_GENERIC' }, ctx());
    expect(found.newer).toEqual([{ version: '1.30.0', date: '20261201' }]);
    expect(found.known.version).toBe('1.29.0');
    const sim = await heldInBootloader();
    const result = await handlers['flash.write'](
      { port: sim.path, source: { kind: 'catalog', board: 'ESP32_GENERIC', release: found.newer[0]! }, eraseAll: false },
      ctx(),
    );
    expect(result.firmware).toBe('ESP32_GENERIC-20261201-v1.30.0.bin');
    expect(requested).toContain('/resources/firmware/ESP32_GENERIC-20261201-v1.30.0.bin');
  });
});
