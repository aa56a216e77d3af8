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
import { deflateSync } from 'node:zlib';
import { CustomReset, ESPLoader, Transport } from 'esptool-js';

/** What esptool-js's Transport opens: a Web Serial port (WebSerialPort.ts), which says when its device is gone. */
export interface EspSerialDevice {
  readonly lost: boolean;
}
type TransportDevice = ConstructorParameters<typeof Transport>[0];

/** zlib's best compression, as esptool uses: fewer bytes on the wire is what makes flashing fast. */
const DEFLATE_LEVEL = 9;
/** A compressed block may take this long to be inflated and written; more for blocks that inflate to more. */
const BLOCK_TIMEOUT_MIN_MS = 3000;
const BLOCK_TIMEOUT_SAFETY = 2;
/** What the chip says when it is not in its bootloader at all (esptool-js's connect gives up). */
const NOT_IN_BOOTLOADER = /Failed to connect|Invalid head of packet|timed? ?out/i;

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
/** How long the new firmware gets to print its banner after the reset; a first boot formats its filesystem first. */
export const BANNER_TIMEOUT_MS = 5000;
const BANNER_POLL_MS = 20;
/** A restarted ESP prints its ROM boot log within milliseconds (the ESP8266's at 74880 baud, noise at 115200, but bytes). */
const SILENT_BOOT_MS = 1000;
const BANNER_LINE = /MicroPython v\d[^\r\n]*/;
const REPL_PROMPT = '>>> ';

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

/** What a write took: the compressed bytes on the wire, the write itself and the MD5 check, apart. */
export interface EspWriteResult {
  compressedBytes: number;
  writeMs: number;
  verifyMs: number;
}

export interface EspFlasherOptions {
  /** The fastest speed to try (falls back down BAUD_LADDER). */
  baud: number;
  /** Cancels whatever runs: the port is closed, so every wait ends. */
  signal?: AbortSignal;
  /** esptool-js's own log lines, for --debug. */
  log?: (line: string) => void;
}

/** esptool-js's Transport prints some trace lines with console.log even with tracing off; here they go to our log. */
class QuietTransport extends Transport {
  traceTo: (line: string) => void = () => {};
  override trace(message: string): void {
    this.traceTo(message);
  }
}

export class EspFlasherError extends Error {
  override readonly name = 'EspFlasherError';
}

export class EspFlasher {
  private constructor(
    private readonly transport: Transport,
    private readonly loader: ESPLoader,
    private readonly device: EspSerialDevice,
    readonly info: EspChipInfo,
  ) {}

  /** Resets the chip into its bootloader, detects it, loads the stub and settles on a baud. */
  static async connect(device: EspSerialDevice, options: EspFlasherOptions): Promise<EspFlasher> {
    // esptool-js types its device as the DOM's SerialPort; the adapter has the members it uses.
    const transport = new QuietTransport(device as unknown as TransportDevice, false);
    const log = options.log ?? (() => {});
    transport.traceTo = log;
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
      return new EspFlasher(transport, loader, device, info);
    } catch (err) {
      await transport.disconnect().catch(() => undefined);
      if (options.signal?.aborted) throw new EspFlasherError('Cancelled before anything was written.');
      if (device.lost) throw new EspFlasherError('The board was disconnected before anything was written. Plug it back in and try again.', { cause: err });
      if (err instanceof Error && NOT_IN_BOOTLOADER.test(err.message)) {
        throw new EspFlasherError(
          'The chip did not answer in its bootloader. Hold the BOOT button, tap EN (RST), release BOOT, and try again. (Boards without an auto-reset circuit, and ports without DTR/RTS, need this.)',
          { cause: err },
        );
      }
      throw err;
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
  }

  /**
   * Writes `image` at `offset`: deflated here with zlib, sent in the stub's
   * blocks, then the region's MD5 checked against the image's. (esptool-js's
   * writeFlash inflates every block again to report progress, which cost 1.3 s
   * of CPU per 1.5 MB here.) The caller has validated the image.
   */
  async write(image: Uint8Array, offset: number, options: { eraseAll: boolean; signal?: AbortSignal; onProgress?: (p: EspWriteProgress) => void }): Promise<EspWriteResult> {
    const { loader } = this;
    // On cancel the port closes (so esptool-js's waits end) and the write gives up at once: closing waits for a
    // block in flight to time out, which would keep the person waiting for seconds.
    let cancel: (err: Error) => void = () => {};
    const cancelled = new Promise<never>((_, reject) => (cancel = reject));
    const abort = (): void => {
      cancel(new EspFlasherError('Cancelled while writing: the board needs flashing again.'));
      void this.transport.disconnect().catch(() => undefined);
    };
    options.signal?.addEventListener('abort', abort, { once: true });
    cancelled.catch(() => undefined);
    try {
      return await Promise.race([this.writeBlocks(image, offset, options), cancelled]);
    } catch (err) {
      if (err instanceof EspFlasherError) throw err;
      if (options.signal?.aborted) throw new EspFlasherError('Cancelled while writing: the board needs flashing again.', { cause: err });
      if (this.device.lost) {
        throw new EspFlasherError('The board was disconnected while writing: it needs flashing again. Plug it back in and flash again.', { cause: err });
      }
      throw err;
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
  }

  private async writeBlocks(image: Uint8Array, offset: number, options: { eraseAll: boolean; onProgress?: (p: EspWriteProgress) => void }): Promise<EspWriteResult> {
    const { loader } = this;
    if (options.eraseAll) await loader.eraseFlash();
    const writeStarted = performance.now();
    const compressed = new Uint8Array(deflateSync(image, { level: DEFLATE_LEVEL }));
    const blockBytes = loader.FLASH_WRITE_SIZE;
    const blocks = await loader.flashDeflBegin(image.length, compressed.length, offset);
    const inflatedPerBlock = (image.length / Math.max(1, blocks)) * BLOCK_TIMEOUT_SAFETY;
    const timeout = Math.max(BLOCK_TIMEOUT_MIN_MS, loader.timeoutPerMb(loader.ERASE_WRITE_TIMEOUT_PER_MB, inflatedPerBlock));
    options.onProgress?.({ written: 0, total: image.length });
    for (let seq = 0; seq < blocks; seq++) {
      await loader.flashDeflBlock(compressed.subarray(seq * blockBytes, (seq + 1) * blockBytes), seq, timeout);
      options.onProgress?.({ written: Math.min(image.length, Math.round(((seq + 1) / blocks) * image.length)), total: image.length });
    }
    // Stay in the stub: the MD5 check and the reset come next.
    await loader.flashDeflFinish(false);
    const verifyStarted = performance.now();
    const expected = createHash('md5').update(image).digest('hex');
    const actual = await loader.flashMd5sum(offset, image.length);
    if (actual !== expected) {
      throw new EspFlasherError(
        `Verification failed: the flash does not hold what was written (MD5 ${actual}, expected ${expected}). The board needs flashing again; try a lower --baud or another cable.`,
      );
    }
    return { compressedBytes: compressed.length, writeMs: verifyStarted - writeStarted, verifyMs: performance.now() - verifyStarted };
  }

  /** Boots the chip into its firmware (an RTS pulse), then lets the port go. */
  async resetAndClose(): Promise<void> {
    try {
      await new CustomReset(this.transport, HARD_RESET_SEQUENCE).reset();
    } finally {
      await this.close();
    }
  }

  /**
   * Resets the chip into its new firmware and listens to it boot at 115200
   * (MicroPython's REPL speed), up to the REPL's first prompt: returns the
   * MicroPython banner ("MicroPython v1.24.1 on 2024-11-29; Generic ESP32
   * module with ESP32"), or undefined when none came in time (a native-USB
   * chip re-enumerates and takes its port with it; a first boot after an
   * erase formats the filesystem first). Closes the port either way.
   */
  async resetAndReadBanner(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<string | undefined> {
    const timeoutMs = options.timeoutMs ?? BANNER_TIMEOUT_MS;
    try {
      if (this.transport.baudrate !== ROM_BAUD) await this.transport.changeBaudrate(ROM_BAUD);
      this.transport.flushInput();
      await new CustomReset(this.transport, HARD_RESET_SEQUENCE).reset();
      const started = Date.now();
      const deadline = started + timeoutMs;
      let text = '';
      while (Date.now() < deadline && !options.signal?.aborted && !this.device.lost) {
        text = Buffer.from(this.transport.peek()).toString('latin1');
        // A chip that restarted prints its boot log at once; silence means it is not talking on this port.
        if (text === '' && Date.now() - started > SILENT_BOOT_MS) return undefined;
        const banner = BANNER_LINE.exec(text);
        if (banner && text.indexOf(REPL_PROMPT, banner.index) >= 0) return banner[0];
        await new Promise((resolve) => setTimeout(resolve, BANNER_POLL_MS));
      }
      return BANNER_LINE.exec(text)?.[0];
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
