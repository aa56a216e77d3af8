// EspFlasher, the flashing session the CLI (and later the app's flasher
// process) runs, against the ESP ROM simulator with its reset circuit wired
// through the side channel: auto-reset into the bootloader, the baud ladder,
// a verified write, the RTS pulse into the new firmware, and every way a
// write can go wrong.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EspFlasher, EspFlasherError } from '../../../electron/node/flash/EspFlasher.js';
import { WebSerialPort } from '../../../electron/node/flash/WebSerialPort.js';
import { EspSimulator, type EspSimulatorOptions } from '../../support/espsim/EspSimulator.js';
import { fakeFirmware } from '../../support/espsim/esptoolHarness.js';

const IMAGE_BYTES = 160 * 1024;
const sims: EspSimulator[] = [];
afterEach(async () => {
  for (const sim of sims.splice(0)) await sim.stop();
});

async function simulator(options: EspSimulatorOptions): Promise<EspSimulator> {
  const sim = await EspSimulator.start(options);
  sims.push(sim);
  return sim;
}

function connect(sim: EspSimulator, baud: number, signal?: AbortSignal): Promise<EspFlasher> {
  return EspFlasher.connect(new WebSerialPort({ path: sim.path, lineControl: sim.lineControl }), { baud, ...(signal ? { signal } : {}) });
}

describe('EspFlasher on the simulated chip', () => {
  it('resets into the bootloader, writes and verifies, then pulses RTS so the chip boots the new firmware', async () => {
    const sim = await simulator({ chip: 'esp32' });
    const image = fakeFirmware(IMAGE_BYTES, 0, 3);
    const flasher = await connect(sim, 921_600);
    expect(flasher.info).toMatchObject({ family: 'ESP32', mac: sim.macString, flashSizeBytes: 4 * 1024 * 1024, baud: 921_600 });
    const seen: number[] = [];
    await flasher.write(image, 0x1000, { eraseAll: false, onProgress: ({ written, total }) => seen.push(written / total) });
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(1);
    expect(Buffer.from(sim.flash.subarray(0x1000, 0x1000 + image.length)).equals(Buffer.from(image))).toBe(true);
    const bootsBefore = sim.stats.appBoots;
    await flasher.resetAndClose();
    await expect.poll(() => sim.stats.appBoots).toBe(bootsBefore + 1);
    expect(sim.currentMode).toBe('app');
  });

  it('erases the whole flash first when asked', async () => {
    const sim = await simulator({ chip: 'esp8266' });
    sim.flash.fill(0x00, 0x200000, 0x200100); // something left from an earlier firmware
    const flasher = await connect(sim, 460_800);
    await flasher.write(fakeFirmware(32 * 1024, 0, 4), 0, { eraseAll: true });
    await flasher.close();
    expect(sim.stats.commands['ERASE_FLASH']).toBe(1);
    expect(sim.flash.subarray(0x200000, 0x200100).every((b) => b === 0xff)).toBe(true);
  });

  it('settles on 460800 when 921600 does not work on the line, rather than dropping to 115200', async () => {
    const sim = await simulator({ chip: 'esp32', maxReliableBaud: 460_800 });
    const flasher = await connect(sim, 921_600);
    expect(flasher.info.baud).toBe(460_800);
    const image = fakeFirmware(64 * 1024, 0, 5);
    await flasher.write(image, 0x1000, { eraseAll: false });
    await flasher.close();
    expect(Buffer.from(sim.flash.subarray(0x1000, 0x1000 + image.length)).equals(Buffer.from(image))).toBe(true);
  });

  it('catches a corrupt block by MD5 and says the board needs flashing again', async () => {
    const sim = await simulator({ chip: 'esp32', corruptFlashByteAt: 0x1000 + 40_000 });
    const flasher = await connect(sim, 921_600);
    await expect(flasher.write(fakeFirmware(IMAGE_BYTES, 0, 6), 0x1000, { eraseAll: false })).rejects.toThrow(
      /Verification failed: the flash does not hold what was written \(MD5 [0-9a-f]{32}, expected [0-9a-f]{32}\)\. The board needs flashing again/,
    );
    await flasher.close();
  });

  it('a cable pulled mid-write gives a clear error, and flashing again on the replugged board works', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pinwheel-espsim-')), 'tty');
    const sim = await simulator({ chip: 'esp32', unplugAfterFlashBytes: 48 * 1024, path });
    const image = fakeFirmware(IMAGE_BYTES, 0, 7);
    const flasher = await connect(sim, 921_600);
    const error = await flasher.write(image, 0x1000, { eraseAll: false }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(EspFlasherError);
    expect((error as Error).message).toBe('The board was disconnected while writing: it needs flashing again. Plug it back in and flash again.');
    await flasher.close();
    // The same board back on the same path.
    const replugged = await simulator({ chip: 'esp32', path });
    const again = await connect(replugged, 921_600);
    await again.write(image, 0x1000, { eraseAll: false });
    await again.close();
    expect(Buffer.from(replugged.flash.subarray(0x1000, 0x1000 + image.length)).equals(Buffer.from(image))).toBe(true);
  });

  it('cancels a write at once and says the board needs flashing again', async () => {
    const sim = await simulator({ chip: 'esp32' });
    const controller = new AbortController();
    const flasher = await connect(sim, 115_200);
    const started = Date.now();
    const writing = flasher.write(fakeFirmware(IMAGE_BYTES, 0, 8), 0x1000, {
      eraseAll: false,
      signal: controller.signal,
      onProgress: ({ written }) => {
        if (written > 0) controller.abort();
      },
    });
    await expect(writing).rejects.toThrow('Cancelled while writing: the board needs flashing again.');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a chip that never enters its bootloader gets the hold-BOOT hint', async () => {
    // No reset lines reach this chip: it stays in its application.
    const sim = await simulator({ chip: 'esp32' });
    const noLines = new WebSerialPort({ path: sim.path, lineControl: { setSignals: async () => {} } });
    await expect(EspFlasher.connect(noLines, { baud: 115_200 })).rejects.toThrow(/Hold the BOOT button, tap EN \(RST\), release BOOT, and try again/);
  }, 60_000);
});
