/**
 * esptool-js (Transport + ESPLoader) over the WebSerialPort adapter against
 * the ESP simulator on a pty: detection, stub upload, its own compressed write
 * with MD5 verification, per chip. The failures a flasher must survive (a
 * corrupt block, a pulled cable, a baud that does not work) are tested on the
 * product's own write path in espFlasher.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EspSimulator, type EspSimulatorOptions } from '../../support/espsim/EspSimulator.js';
import { esptoolOn, fakeFirmware, md5Hex, type EsptoolSession } from '../../support/espsim/esptoolHarness.js';

const IMAGE_BYTES = 300_000;
/** The chip id an ESP image carries in its extended header. */
const IMAGE_CHIP_ID = { esp32: 0, esp8266: 0 } as const;
const FLASH_OFFSET = { esp32: 0x1000, esp8266: 0x0 } as const;
/**
 * esptool-js's own hard_reset only releases RTS (never pulses it), and its
 * saved DTR state can keep DTR asserted: this sequence drops DTR first, then
 * pulses EN through RTS, so the board boots its application.
 */
const HARD_RESET_SEQUENCE = 'D0|R1|W100|R0';

const sims: EspSimulator[] = [];
const sessions: EsptoolSession[] = [];

async function startSim(options: EspSimulatorOptions): Promise<EspSimulator> {
  const sim = await EspSimulator.start(options);
  sims.push(sim);
  return sim;
}

function session(sim: EspSimulator, baud: number, usb: { usbVendorId?: number; usbProductId?: number } = {}): EsptoolSession {
  const s = esptoolOn(sim, baud, usb);
  sessions.push(s);
  return s;
}

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.transport.disconnect().catch(() => {});
  for (const sim of sims.splice(0)) await sim.stop();
});

async function writeImage(s: EsptoolSession, image: Uint8Array, address: number, eraseAll = false): Promise<void> {
  await s.loader.writeFlash({
    fileArray: [{ data: image, address }],
    flashMode: 'keep',
    flashFreq: 'keep',
    flashSize: 'keep',
    eraseAll,
    compress: true,
    calculateMD5Hash: (data) => md5Hex(data as unknown as Uint8Array),
  });
}

/** Detects, loads the stub, writes and verifies; prints the times against the line-rate bound. */
async function flashEndToEnd(sim: EspSimulator, chip: 'esp32' | 'esp8266', baud: number, image: Uint8Array, eraseAll = false): Promise<EsptoolSession> {
  const s = session(sim, baud);
  const t0 = performance.now();
  const description = await s.loader.main('default_reset');
  const t1 = performance.now();
  await writeImage(s, image, FLASH_OFFSET[chip], eraseAll);
  const t2 = performance.now();
  const compressed = sim.stats.deflateBytesReceived;
  const boundS = (compressed * 10) / baud;
  console.log(
    `${chip} @${baud}: "${description}" connect+stub ${((t1 - t0) / 1000).toFixed(2)} s; ` +
      `wrote ${image.length} B (${compressed} compressed) + MD5 verify in ${((t2 - t1) / 1000).toFixed(2)} s; ` +
      `line-rate bound ${boundS.toFixed(2)} s (${((t2 - t1) / 1000 / boundS).toFixed(2)}x)`,
  );
  return s;
}

describe('esptool-js against the ESP simulator', () => {
  it('ESP32: detects chip, MAC and flash size, writes compressed at 0x1000 at 921600, verifies, and boots it after an RTS pulse', async () => {
    const sim = await startSim({ chip: 'esp32', flashBytes: 4 << 20 });
    const image = fakeFirmware(IMAGE_BYTES, IMAGE_CHIP_ID.esp32);
    const s = await flashEndToEnd(sim, 'esp32', 921600, image);

    expect(s.log).toContain('Chip is ESP32-D0WD-V3 (revision 3)');
    expect(s.log).toContain('Features: Wi-Fi, BT, Dual Core, 240MHz, Coding Scheme None');
    expect(s.log).toContain('Crystal is 40MHz');
    expect(s.log).toContain(`MAC: ${sim.macString}`);
    expect(s.log).toContain('Flash ID: 1640ef');
    expect(await s.loader.detectFlashSize()).toBe('4MB');
    expect(sim.stats.stubStarts).toBe(1);
    expect(sim.baud).toBe(921600);
    expect(s.log).toContain('Hash of data verified.');
    expect(Buffer.from(sim.flash.subarray(0x1000, 0x1000 + image.length)).equals(Buffer.from(image))).toBe(true);
    expect(sim.flash.subarray(0, 0x1000).every((b) => b === 0xff)).toBe(true);
    expect(sim.flash[0x1000 + image.length]).toBe(0xff);
    expect(await s.loader.readFlash(0x1000, 20_000)).toEqual(image.subarray(0, 20_000));

    // esptool-js's own after-step leaves the chip in the stub: nothing was reset.
    await s.loader.after('hard_reset', false);
    await new Promise((r) => setTimeout(r, 50));
    expect(sim.currentMode).toBe('stub');

    await s.loader.after('custom_reset', false, HARD_RESET_SEQUENCE);
    await new Promise((r) => setTimeout(r, 50));
    expect(sim.currentMode).toBe('app');
    expect(sim.consoleText).toContain('MicroPython v1.24.1 on 2024-11-29; Generic ESP32 module with ESP32');
  });

  it('ESP8266: detects chip, MAC and 1 MB flash, erases everything, writes compressed at 0x0 through the stub, verifies', async () => {
    const sim = await startSim({ chip: 'esp8266', flashBytes: 1 << 20 });
    // An old filesystem far above the image: only the full erase clears it.
    sim.flash.fill(0x42, 0xf0000, 0xf8000);
    const image = fakeFirmware(IMAGE_BYTES, IMAGE_CHIP_ID.esp8266, 2);
    const s = await flashEndToEnd(sim, 'esp8266', 921600, image, true);

    expect(sim.stats.commands['ERASE_FLASH']).toBe(1);
    expect(sim.flash.subarray(image.length).every((b) => b === 0xff)).toBe(true);
    expect(s.log).toContain('Chip is ESP8266EX');
    expect(s.log).toContain('Crystal is 26MHz');
    expect(s.log).toContain(`MAC: ${sim.macString}`);
    expect(sim.macString.startsWith('18:fe:34:')).toBe(true);
    expect(await s.loader.detectFlashSize()).toBe('1MB');
    expect(sim.stats.stubStarts).toBe(1);
    expect(s.log).toContain('Hash of data verified.');
    expect(Buffer.from(sim.flash.subarray(0, image.length)).equals(Buffer.from(image))).toBe(true);
    expect(sim.flash[image.length]).toBe(0xff);
  });

  it.each([
    { chip: 'esp32s3' as const, imageChipId: 9, description: 'ESP32-S3 (QFN56) (revision v0.2)' },
    { chip: 'esp32c3' as const, imageChipId: 5, description: 'ESP32-C3 (QFN32) (revision v0.4)' },
  ])('$chip: identified by GET_SECURITY_INFO, writes compressed at 0x0 and verifies', async ({ chip, imageChipId, description }) => {
    const sim = await startSim({ chip, flashBytes: 8 << 20 });
    const image = fakeFirmware(64 * 1024, imageChipId, 7);
    const s = session(sim, 921600);
    expect(await s.loader.main('default_reset')).toBe(description);
    expect(s.log).toContain(`MAC: ${sim.macString}`);
    expect(s.log).toContain('Crystal is 40MHz');
    expect(sim.stats.commands['GET_SECURITY_INFO']).toBeGreaterThan(0);
    expect(await s.loader.detectFlashSize()).toBe('8MB');
    await writeImage(s, image, 0x0);
    expect(s.log).toContain('Hash of data verified.');
    expect(Buffer.from(sim.flash.subarray(0, image.length)).equals(Buffer.from(image))).toBe(true);
  });

  it('ESP32-C3 on its USB-Serial/JTAG port (303A:1001): esptool-js picks the USB reset, which enters the download mode', async () => {
    const sim = await startSim({ chip: 'esp32c3', resetCircuit: 'usb-jtag-serial' });
    const s = session(sim, 921600, { usbVendorId: 0x303a, usbProductId: 0x1001 });
    expect(await s.loader.main('default_reset')).toBe('ESP32-C3 (QFN32) (revision v0.4)');
    expect(sim.stats.downloadBoots).toBe(1);
    expect(sim.consoleText).toContain('boot:0x5 (DOWNLOAD(USB/UART0/1))');
    // An RTS pulse with DTR released restarts the application.
    await s.loader.after('custom_reset', false, HARD_RESET_SEQUENCE);
    expect(sim.currentMode).toBe('app');
  });
});
