/**
 * One flashing session with an ESP chip, on esptool-js: into the ROM
 * bootloader, detect the chip, load the stub, move to the fastest baud that
 * works, then (once the caller has checked the image against the chip)
 * erase, write compressed, verify by MD5, and reset the chip into its new
 * firmware with a real RTS pulse.
 *
 * It runs wherever the serial port is opened (the CLI's process, or the
 * flasher process the app starts): serialport's native binding crashes when
 * a worker thread uses it beside the main thread, so flashing cannot move to
 * a worker; a separate process keeps its CPU work (deflate at level 9 costs
 * seconds for 1.5 MB) off the thread that serves the UI.
 */
import { createHash } from 'node:crypto';
import { CustomReset, ESPLoader, Transport } from 'esptool-js';

/** What esptool-js's Transport opens: a Web Serial port (see the serial adapter). */
export type EspSerialDevice = ConstructorParameters<typeof Transport>[0];

/** The speed the ROM bootloader starts at. */
export const ROM_BAUD = 115_200;
/** Tried from the requested speed down; each is checked with a command before anything is written. */
export const BAUD_LADDER = [921_600, 460_800, ROM_BAUD] as const;
/**
 * After the write: RTS pulses EN low with DTR released (IO0 high), so the
 * chip boots its new firmware. esptool-js's own hard_reset only releases RTS
 * and never pulses it, which leaves a classic board in the bootloader.
 */
export const HARD_RESET_SEQUENCE = 'D0|R1|W100|R0';

export interface EspChipInfo {
  /** esptool-js's chip family name, e.g. "ESP32", "ESP32-S3", "ESP8266". */
  family: string;
  /** The description with the revision, e.g. "ESP32-D0WD-V3 (revision v3.1)". */
  description: string;
  features: string[];
  crystalMhz: number;
  mac: string;
  /** JEDEC id of the flash chip; its third byte codes the size. */
  flashId: number;
  /** Detected from the flash id; undefined when the id does not say. */
  flashSizeBytes: number | undefined;
  /** The speed the session settled at. */
  baud: number;
}

export interface EspWriteProgress {
  /** Bytes of the image written so far (uncompressed) and in all. */
  written: number;
  total: number;
}

export interface EspFlasherOptions {
  /** The fastest speed to try (falls back down BAUD_LADDER). */
  baud: number;
  /** Cancels whatever runs: the port is closed, so every wait ends. */
  signal?: AbortSignal;
  /** esptool-js's own log lines, for --debug. */
  log?: (line: string) => void;
}

export class EspFlasherError extends Error {
  override readonly name = 'EspFlasherError';
}

export class EspFlasher {
  private constructor(
    private readonly transport: Transport,
    private readonly loader: ESPLoader,
    readonly info: EspChipInfo,
  ) {}

  /** Resets the chip into its bootloader, detects it, loads the stub and settles on a baud. */
  static async connect(device: EspSerialDevice, options: EspFlasherOptions): Promise<EspFlasher> {
    const transport = new Transport(device, false);
    const log = options.log ?? (() => {});
    const terminal = { clean: () => {}, writeLine: (line: string) => log(line), write: (text: string) => log(text) };
    const loader = new ESPLoader({ transport, baudrate: options.baud, romBaudrate: ROM_BAUD, terminal });
    const abort = (): void => void transport.disconnect().catch(() => undefined);
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      await loader.main('default_reset');
      await settleBaud(loader, options.baud, log);
      const chip = loader.chip;
      const flashId = await loader.readFlashId();
      const sizeName = loader.DETECTED_FLASH_SIZES[(flashId >> 16) & 0xff];
      const info: EspChipInfo = {
        family: chip.CHIP_NAME,
        description: await chip.getChipDescription(loader),
        features: await chip.getChipFeatures(loader),
        crystalMhz: await chip.getCrystalFreq(loader),
        mac: await chip.readMac(loader),
        flashId,
        flashSizeBytes: sizeName ? loader.flashSizeBytes(sizeName as Parameters<ESPLoader['flashSizeBytes']>[0]) : undefined,
        baud: transport.baudrate,
      };
      return new EspFlasher(transport, loader, info);
    } catch (err) {
      await transport.disconnect().catch(() => undefined);
      if (options.signal?.aborted) throw new EspFlasherError('Cancelled.');
      throw err;
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
  }

  /**
   * Writes `image` at `offset` (compressed; every region MD5-verified by the
   * stub against the image). The caller has validated the image: nothing here
   * looks at what it contains.
   */
  async write(image: Uint8Array, offset: number, options: { eraseAll: boolean; signal?: AbortSignal; onProgress?: (p: EspWriteProgress) => void }): Promise<void> {
    const abort = (): void => void this.transport.disconnect().catch(() => undefined);
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      await this.loader.writeFlash({
        fileArray: [{ data: image, address: offset }],
        flashMode: 'keep',
        flashFreq: 'keep',
        flashSize: 'keep',
        eraseAll: options.eraseAll,
        compress: true,
        reportProgress: (_file, written, total) => options.onProgress?.({ written, total }),
        calculateMD5Hash: (data) => createHash('md5').update(data).digest('hex'),
      });
    } catch (err) {
      if (options.signal?.aborted) throw new EspFlasherError('Cancelled while writing: the board needs flashing again.');
      throw err;
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
  }

  /** Boots the chip into its firmware (an RTS pulse), then lets the port go. */
  async resetAndClose(): Promise<void> {
    try {
      await new CustomReset(this.transport, HARD_RESET_SEQUENCE).reset();
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    await this.transport.disconnect().catch(() => undefined);
  }
}

/**
 * esptool-js falls back from a baud that fails straight to the ROM's 115200;
 * try the steps between too, each checked with a register read.
 */
async function settleBaud(loader: ESPLoader, requested: number, log: (line: string) => void): Promise<void> {
  if (loader.transport.baudrate === requested) return;
  for (const baud of BAUD_LADDER) {
    if (baud >= requested || baud <= loader.transport.baudrate) continue;
    // changeBaud() moves to the loader's `baudrate`, which esptool-js declares private but has no setter for.
    (loader as unknown as { baudrate: number }).baudrate = baud;
    log(`Trying ${baud} baud`);
    await loader.changeBaud();
    if (loader.transport.baudrate === baud) return;
  }
}
