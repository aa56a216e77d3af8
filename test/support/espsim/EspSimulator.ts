/**
 * An ESP32/ESP8266 as a flasher sees it, on a pseudo-terminal: the ROM serial
 * loader, the flasher stub it becomes after a stub upload, a NOR flash, the
 * usual DTR/RTS auto-reset circuit (driven through a side channel, since a pty
 * has no modem lines), and the line rate (10 bits per byte at the current
 * baud) in both directions. Written from Espressif's published serial
 * protocol; see protocol.ts for the packet layouts.
 *
 * Faults for tests: a corrupted byte when a given flash address is written
 * (so MD5 verification fails), an unplug after N flash bytes (the pty goes
 * away as a pulled cable's port does), and a maximum reliable baud above which
 * the chip's replies arrive garbled.
 */
import { createHash, randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { PtyBridge } from '../../../electron/node/vboard/PtyBridge.js';
import { CHIPS, CHIP_MAGIC_REG_ADDR, SPIFLASH_RDID_CMD, SPI_CMD_USR_BIT, STUB_ONLY_COMMANDS, defaultOui, type ChipModel, type ChipName } from './chips.js';
import { FlashMemory, FLASH_SECTOR_BYTES } from './FlashMemory.js';
import { DATA_PREFIX_BYTES, Op, RomError, StubError, buildResponse, checksumOf, parseRequest, u32, u32Words, type Request } from './protocol.js';
import { SLIP_END, SlipDecoder, slipEncode } from './slip.js';
import { Timeline } from './Timeline.js';
import { appRepl, firmwareIdentity } from './AppRepl.js';
import type { FakeBoard } from '../FakeBoard.js';

/** The baud every ROM loader starts at after reset. */
export const ROM_BAUD = 115200;
/** Start bit + 8 data bits + stop bit. */
export const BITS_PER_UART_BYTE = 10;
/** EN rises through an RC: the chip samples its strapping pins (IO0) shortly after. */
export const STRAP_SAMPLE_DELAY_MS = 2;
/** The ROM answers one SYNC with this many responses. */
export const ROM_SYNC_REPLIES = 8;
/** A non-zero value in the ROM's SYNC replies (the stub's is 0: that is how clients tell them apart). */
export const ROM_SYNC_VALUE = 0x20120707;
/**
 * An unknown opcode is answered with a different op field than the request's:
 * esptool and esptool-js recognise "unsupported" only on a mismatching op with
 * error 0x05.
 */
export const ROM_UNSUPPORTED_REPLY_OP = 0x00;
/** The packet a freshly started flasher stub sends unasked. */
export const STUB_HELLO = new TextEncoder().encode('OHAI');
/**
 * The stub may send fewer unacknowledged READ_FLASH packets than the host
 * allows; a cap keeps the pty's output queue (which drops beyond 64 KiB)
 * from overflowing when line-rate pacing is off.
 */
export const READ_FLASH_MAX_PACKETS_IN_FLIGHT = 8;
/** The first byte of a bootable ESP image; without it the ROM refuses to boot. */
export const ESP_IMAGE_MAGIC = 0xe9;
/** JEDEC manufacturer id (Winbond) and memory type used for the fake flash id. */
export const FLASH_JEDEC_MANUFACTURER = 0xef;
export const FLASH_JEDEC_MEMORY_TYPE = 0x40;
/** Garbled output is each byte XORed with this, with SLIP END bytes blanked, so a reader sees noise, not packets. */
const GARBLE_XOR = 0xa5;
const GARBLED_END_BYTE = 0x00;

export type SimMode = 'reset' | 'app' | 'rom' | 'stub' | 'unplugged' | 'stopped';

export interface EspSimulatorOptions {
  chip: ChipName;
  /** Flash size in bytes; default 4 MiB. */
  flashBytes?: number;
  /** Six bytes; default: the chip vendor's OUI and three random bytes fixed for this instance. */
  mac?: Uint8Array;
  /** Pace bytes at the baud rate (default true); false delivers instantly. */
  lineRate?: boolean;
  /** Above this baud the chip's replies are garbled (a long cable, a cheap USB-UART). */
  maxReliableBaud?: number;
  /** The byte programmed at this flash address is inverted (a weak flash cell). */
  corruptFlashByteAt?: number;
  /** After this many flash bytes are programmed the pty disappears, as a pulled cable. */
  unplugAfterFlashBytes?: number;
  /**
   * How DTR/RTS reach the chip: 'classic' is the two-transistor circuit of a
   * USB-UART dev board (default); 'usb-jtag-serial' is the native USB
   * peripheral of the S3/C3, where RTS alone resets the chip and DTR asserted
   * alone requests the download mode for the next reset.
   */
  resetCircuit?: 'classic' | 'usb-jtag-serial';
  /** Where the pty link goes (default: a fresh temporary folder). */
  path?: string;
  /**
   * 'download': the chip starts in its ROM bootloader, as a board powered up
   * with BOOT held: what a client in another process meets, since only this
   * process can drive the simulated reset lines. Default: the application.
   */
  bootMode?: 'download' | 'app';
  /**
   * The host is taken to switch its baud along with every CHANGE_BAUDRATE
   * (a client in another process cannot tell the simulator its baud).
   */
  hostFollowsBaud?: boolean;
  /**
   * Booting a MicroPython image starts a REPL that answers the board
   * connection's probe with what the image's banner says (AppRepl.ts), so a
   * connection can come back to the new firmware. Default: the app only prints.
   */
  repl?: boolean;
  debug?: (message: string) => void;
}

export interface ModemSignals {
  dtr?: boolean;
  rts?: boolean;
}

export interface EspSimulatorStats {
  /** Requests handled, by command name. */
  commands: Record<string, number>;
  bytesFromHost: number;
  bytesToHost: number;
  flashBytesWritten: number;
  /** Compressed bytes received in FLASH_DEFL_DATA payloads. */
  deflateBytesReceived: number;
  resets: number;
  downloadBoots: number;
  appBoots: number;
  /** Every baud the chip switched to, in order. */
  baudChanges: number[];
  stubStarts: number;
  unplugged: boolean;
}

interface FlashWrite {
  compressed: boolean;
  offset: number;
  size: number;
  blockSize: number;
  nextSeq: number;
  /** Next address the inflater writes to. */
  writePos: number;
  inflater?: zlib.Inflate;
  error?: number;
}

interface FlashRead {
  address: number;
  size: number;
  packetBytes: number;
  maxInFlight: number;
  sent: number;
  acked: number;
}

const OP_NAMES = new Map<number, string>(Object.entries(Op).map(([name, op]) => [op, name]));
let instanceCounter = 0;

export class EspSimulator {
  readonly chip: ChipModel;
  readonly flashMemory: FlashMemory;
  readonly mac: Uint8Array;
  readonly stats: EspSimulatorStats = {
    commands: {},
    bytesFromHost: 0,
    bytesToHost: 0,
    flashBytesWritten: 0,
    deflateBytesReceived: 0,
    resets: 0,
    downloadBoots: 0,
    appBoots: 0,
    baudChanges: [],
    stubStarts: 0,
    unplugged: false,
  };
  /** Text the chip sent outside SLIP packets (boot messages, the app's banner), for tests. */
  consoleText = '';

  private bridge: PtyBridge | undefined;
  private mode: SimMode = 'app';
  private signals = { dtr: false, rts: false };
  private chipBaud = ROM_BAUD;
  private hostBaud = ROM_BAUD;
  private rxClock = 0;
  private txClock = 0;
  private readonly rx = new Timeline();
  private readonly tx = new Timeline();
  private readonly decoder = new SlipDecoder((p) => this.onPacket(p));
  /** Bumped at every reset, so work begun before it sends nothing after. */
  private generation = 0;
  private work: Promise<void> = Promise.resolve();
  private registers = new Map<number, number>();
  private readonly fixedRegisters: Map<number, number>;
  private mem: { loaded: number } | undefined;
  private flashWrite: FlashWrite | undefined;
  private flashRead: FlashRead | undefined;
  private bootTimer: NodeJS.Timeout | undefined;
  private usbDownloadRequested = false;
  /** The booted firmware's REPL (option `repl`), until the next reset. */
  private app: FakeBoard | undefined;

  private constructor(private readonly options: EspSimulatorOptions) {
    this.chip = CHIPS[options.chip];
    this.flashMemory = new FlashMemory(options.flashBytes ?? 4 << 20);
    instanceCounter++;
    this.mac = options.mac ?? Uint8Array.from([...defaultOui(options.chip), ...randomBytes(2), instanceCounter & 0xff]);
    this.fixedRegisters = this.chip.fixedRegisters(this.mac);
  }

  /** Powers the chip on (running its application, as a board on a desk) and serves it on a pty. */
  static async start(options: EspSimulatorOptions): Promise<EspSimulator> {
    const sim = new EspSimulator(options);
    sim.bridge = await PtyBridge.open({
      ...(options.path !== undefined ? { path: options.path } : {}),
      onData: (chunk) => sim.fromHost(chunk),
      ...(options.debug ? { debug: options.debug } : {}),
    });
    if (options.bootMode === 'download') sim.boot('download');
    return sim;
  }

  get path(): string {
    if (!this.bridge) throw new Error('simulator not started');
    return this.bridge.path;
  }

  /** The flash contents, live. */
  get flash(): Uint8Array {
    return this.flashMemory.bytes;
  }

  get currentMode(): SimMode {
    return this.mode;
  }

  get baud(): number {
    return this.chipBaud;
  }

  get macString(): string {
    return Array.from(this.mac, (b) => b.toString(16).padStart(2, '0')).join(':');
  }

  /** The flash's JEDEC id as read back in SPI W0: capacity (log2 of the size), memory type, manufacturer. */
  get flashId(): number {
    return (Math.log2(this.flashMemory.size) << 16) | (FLASH_JEDEC_MEMORY_TYPE << 8) | FLASH_JEDEC_MANUFACTURER;
  }

  /**
   * The side channel for DTR and RTS (partial updates, as Web Serial gives
   * them). The usual auto-reset circuit: two transistors cross-coupled so that
   * EN is low only while RTS is asserted and DTR is not, and IO0 is low only
   * while DTR is asserted and RTS is not; both asserted leaves both high.
   */
  setSignals(update: ModemSignals): void {
    if (this.options.resetCircuit === 'usb-jtag-serial') {
      this.setUsbJtagSignals(update);
      return;
    }
    const wasInReset = this.enLow();
    if (update.dtr !== undefined) this.signals.dtr = update.dtr;
    if (update.rts !== undefined) this.signals.rts = update.rts;
    const inReset = this.enLow();
    if (!wasInReset && inReset) this.holdInReset();
    if (wasInReset && !inReset) this.releaseReset();
  }

  /**
   * The USB-Serial/JTAG peripheral: the chip is held in reset while RTS is
   * asserted and DTR is not; DTR asserted with RTS released latches a download
   * request, honoured when the chip next leaves reset.
   */
  private setUsbJtagSignals(update: ModemSignals): void {
    const wasInReset = this.mode === 'reset';
    if (update.dtr !== undefined) this.signals.dtr = update.dtr;
    if (update.rts !== undefined) this.signals.rts = update.rts;
    if (this.signals.dtr && !this.signals.rts) this.usbDownloadRequested = true;
    const inReset = this.signals.rts && !this.signals.dtr;
    if (!wasInReset && inReset) this.holdInReset();
    if (wasInReset && !this.signals.rts) {
      const download = this.usbDownloadRequested;
      this.usbDownloadRequested = false;
      this.boot(download ? 'download' : 'app');
    }
  }

  /** The host changed its UART's baud (a pty cannot tell us): mismatched bauds turn bytes into noise. */
  setHostBaudRate(baud: number): void {
    this.hostBaud = baud;
  }

  /** The side channel as the flasher's port adapter takes it. */
  get lineControl(): { setSignals: (s: ModemSignals) => Promise<void>; setBaudRate: (baud: number) => void } {
    return {
      setSignals: async (s) => this.setSignals(s),
      setBaudRate: (baud) => this.setHostBaudRate(baud),
    };
  }

  /** Pulls the cable: the pty disappears and the chip stops. */
  async unplug(): Promise<void> {
    if (this.mode === 'unplugged' || this.mode === 'stopped') return;
    this.mode = 'unplugged';
    this.stats.unplugged = true;
    this.stopActivity();
    await this.bridge?.kill();
  }

  async stop(): Promise<void> {
    const wasUnplugged = this.mode === 'unplugged';
    this.mode = 'stopped';
    this.stopActivity();
    if (!wasUnplugged) await this.bridge?.kill();
  }

  private stopActivity(): void {
    this.generation++;
    this.rx.clear();
    this.tx.clear();
    if (this.bootTimer) clearTimeout(this.bootTimer);
    this.flashWrite?.inflater?.destroy();
    this.flashWrite = undefined;
    void this.app?.close();
    this.app = undefined;
  }

  private enLow(): boolean {
    return this.signals.rts && !this.signals.dtr;
  }

  private io0Low(): boolean {
    return this.signals.dtr && !this.signals.rts;
  }

  private holdInReset(): void {
    if (this.mode === 'unplugged' || this.mode === 'stopped') return;
    this.stats.resets++;
    this.mode = 'reset';
    this.stopActivity();
    this.decoder.reset();
    this.registers = new Map();
    this.mem = undefined;
    this.flashRead = undefined;
  }

  private releaseReset(): void {
    if (this.mode !== 'reset') return;
    this.bootTimer = setTimeout(() => {
      this.bootTimer = undefined;
      if (this.mode !== 'reset' || this.enLow()) return;
      this.boot(this.io0Low() ? 'download' : 'app');
    }, STRAP_SAMPLE_DELAY_MS);
  }

  private boot(how: 'download' | 'app'): void {
    this.setChipBaud(ROM_BAUD);
    if (how === 'download') {
      this.stats.downloadBoots++;
      this.mode = 'rom';
      this.sendText(this.chip.downloadBootText, this.chip.bootLogBaud);
      return;
    }
    this.stats.appBoots++;
    this.mode = 'app';
    this.sendText(this.chip.appBootText, this.chip.bootLogBaud);
    if (this.flashMemory.bytes[this.chip.appImageOffset] === ESP_IMAGE_MAGIC) {
      // The banner of the MicroPython image in flash, when it carries one (real firmware does).
      const identity = firmwareIdentity(this.flashMemory.bytes, this.chip.appImageOffset);
      this.sendText(identity ? `${identity.banner}\r\nType "help()" for more information.\r\n>>> ` : this.chip.appBanner, ROM_BAUD);
      if (identity && this.options.repl) {
        const app = appRepl(identity, this.chip.name === 'esp8266' ? 'esp8266' : 'esp32');
        app.onData((bytes) => {
          if (this.app === app) this.send(bytes, ROM_BAUD);
        });
        this.app = app;
      }
    } else this.sendText(`invalid header: 0x${this.readFlashWord(this.chip.appImageOffset).toString(16).padStart(8, '0')}\r\n`, this.chip.bootLogBaud);
  }

  private readFlashWord(address: number): number {
    return new DataView(this.flashMemory.bytes.buffer).getUint32(address, true);
  }

  private setChipBaud(baud: number): void {
    if (baud === this.chipBaud) return;
    this.chipBaud = baud;
    this.stats.baudChanges.push(baud);
  }

  // ---- the wire ----

  private fromHost(chunk: Uint8Array): void {
    this.stats.bytesFromHost += chunk.length;
    if (this.options.lineRate === false) {
      this.deliverToChip(chunk);
      return;
    }
    const now = performance.now();
    this.rxClock = Math.max(this.rxClock, now) + this.wireMs(chunk.length, this.hostLineBaud);
    const generation = this.generation;
    this.rx.schedule(this.rxClock, () => {
      if (generation === this.generation) this.deliverToChip(chunk);
    });
  }

  /** The host's baud as the wire sees it: the chip's own when the host is taken to follow it. */
  private get hostLineBaud(): number {
    return this.options.hostFollowsBaud ? this.chipBaud : this.hostBaud;
  }

  private deliverToChip(chunk: Uint8Array): void {
    // At another baud than the chip's, the host's bytes are framing errors: nothing a loader can parse.
    if (this.hostLineBaud !== this.chipBaud) return;
    if (this.mode === 'rom' || this.mode === 'stub') this.decoder.push(chunk);
    else if (this.mode === 'app') void this.app?.write(chunk).catch(() => undefined);
  }

  private wireMs(bytes: number, baud: number): number {
    return (bytes * BITS_PER_UART_BYTE * 1000) / baud;
  }

  private sendText(text: string, baud: number): void {
    this.consoleText += text;
    this.send(new TextEncoder().encode(text), baud);
  }

  private sendPacket(packet: Uint8Array): void {
    this.send(slipEncode(packet), this.chipBaud);
  }

  private send(bytes: Uint8Array, baud: number): void {
    const deliver = (): void => {
      const garbled = (!this.options.hostFollowsBaud && baud !== this.hostBaud) || (this.options.maxReliableBaud !== undefined && baud > this.options.maxReliableBaud);
      const out = garbled ? bytes.map((b) => (b ^ GARBLE_XOR) === SLIP_END ? GARBLED_END_BYTE : b ^ GARBLE_XOR) : bytes;
      this.stats.bytesToHost += out.length;
      this.bridge?.write(out);
    };
    if (this.options.lineRate === false) {
      deliver();
      return;
    }
    const now = performance.now();
    this.txClock = Math.max(this.txClock, now) + this.wireMs(bytes.length, baud);
    const generation = this.generation;
    this.tx.schedule(this.txClock, () => {
      if (generation === this.generation) deliver();
    });
  }

  // ---- the loader ----

  private onPacket(packet: Uint8Array): void {
    const generation = this.generation;
    this.work = this.work
      .then(() => (generation === this.generation ? this.handlePacket(packet, generation) : undefined))
      .catch((err: unknown) => this.options.debug?.(`espsim: ${String(err)}`));
  }

  private async handlePacket(packet: Uint8Array, generation: number): Promise<void> {
    if (this.flashRead) {
      this.onReadAck(packet);
      return;
    }
    const req = parseRequest(packet);
    if ('error' in req) {
      this.options.debug?.(`espsim: ignored packet: ${req.error}`);
      return;
    }
    const name = OP_NAMES.get(req.op) ?? `0x${req.op.toString(16)}`;
    this.stats.commands[name] = (this.stats.commands[name] ?? 0) + 1;
    await this.handleRequest(req, generation);
  }

  private get statusBytes(): number {
    return this.mode === 'stub' ? 2 : this.chip.romStatusBytes;
  }

  private reply(op: number, opts: { value?: number; data?: Uint8Array; error?: number } = {}): void {
    this.sendPacket(buildResponse(op, opts.value ?? 0, opts.data ?? new Uint8Array(0), { error: opts.error ?? 0, statusBytes: this.statusBytes }));
  }

  private fail(op: number, romError: number, stubError: number): void {
    this.reply(op, { error: this.mode === 'stub' ? stubError : romError });
  }

  private unsupported(op: number): void {
    if (this.mode === 'stub') this.reply(op, { error: StubError.INVALID_COMMAND });
    else this.reply(ROM_UNSUPPORTED_REPLY_OP, { error: RomError.INVALID_MESSAGE });
  }

  private async handleRequest(req: Request, generation: number): Promise<void> {
    const { op, data } = req;
    const inRom = this.mode === 'rom';
    if (inRom && (STUB_ONLY_COMMANDS.has(op) || this.chip.romUnsupported.has(op))) {
      this.unsupported(op);
      return;
    }
    switch (op) {
      case Op.SYNC:
        for (let i = 0; i < (inRom ? ROM_SYNC_REPLIES : 1); i++) this.reply(op, { value: inRom ? ROM_SYNC_VALUE : 0 });
        return;
      case Op.READ_REG:
        if (data.length < 4) return this.fail(op, RomError.INVALID_MESSAGE, StubError.BAD_DATA_LEN);
        this.reply(op, { value: this.readRegister(u32(data, 0)) });
        return;
      case Op.WRITE_REG:
        if (data.length === 0 || data.length % 16 !== 0) return this.fail(op, RomError.INVALID_MESSAGE, StubError.BAD_DATA_LEN);
        for (let i = 0; i < data.length / 16; i++) this.writeRegister(u32(data, i * 4), u32(data, i * 4 + 1), u32(data, i * 4 + 2));
        this.reply(op);
        return;
      case Op.MEM_BEGIN:
        this.mem = { loaded: 0 };
        this.reply(op);
        return;
      case Op.MEM_DATA: {
        const payload = data.subarray(DATA_PREFIX_BYTES);
        if (!this.mem) return this.fail(op, RomError.FAILED_TO_ACT, StubError.NOT_IN_FLASH_MODE);
        if (checksumOf(payload) !== req.checksum) return this.fail(op, RomError.INVALID_CRC, StubError.BAD_DATA_CHECKSUM);
        this.mem.loaded += payload.length;
        this.reply(op);
        return;
      }
      case Op.MEM_END: {
        const stayInLoader = data.length >= 4 && u32(data, 0) !== 0;
        if (!this.mem || this.mem.loaded === 0) return this.fail(op, RomError.FAILED_TO_ACT, StubError.NOT_IN_FLASH_MODE);
        this.reply(op);
        if (!stayInLoader) {
          // The uploaded program runs: from now on we are the flasher stub.
          this.mem = undefined;
          this.mode = 'stub';
          this.stats.stubStarts++;
          this.sendPacket(STUB_HELLO);
        }
        return;
      }
      case Op.SPI_SET_PARAMS:
      case Op.SPI_ATTACH:
        this.reply(op);
        return;
      case Op.CHANGE_BAUDRATE: {
        if (data.length < 8) return this.fail(op, RomError.INVALID_MESSAGE, StubError.BAD_DATA_LEN);
        // The reply still goes out at the old baud; only then does the UART switch.
        this.reply(op);
        this.setChipBaud(u32(data, 0));
        return;
      }
      case Op.FLASH_BEGIN:
      case Op.FLASH_DEFL_BEGIN:
        return this.flashBegin(op, data);
      case Op.FLASH_DATA:
      case Op.FLASH_DEFL_DATA:
        return this.flashData(req, generation);
      case Op.FLASH_END:
      case Op.FLASH_DEFL_END:
        return this.flashEnd(op, data, generation);
      case Op.SPI_FLASH_MD5:
        return this.flashMd5(op, data);
      case Op.ERASE_FLASH:
        this.flashMemory.eraseAll();
        this.reply(op);
        return;
      case Op.ERASE_REGION: {
        const [address, size] = [u32(data, 0), u32(data, 1)];
        if (address % FLASH_SECTOR_BYTES !== 0 || size % FLASH_SECTOR_BYTES !== 0 || !this.flashMemory.contains(address, size)) {
          return this.fail(op, RomError.FAILED_TO_ACT, StubError.BAD_DATA_LEN);
        }
        this.flashMemory.erase(address, size);
        this.reply(op);
        return;
      }
      case Op.READ_FLASH:
        return this.readFlashStart(op, data);
      case Op.GET_SECURITY_INFO:
        if (this.chip.securityInfoChipId === undefined) return this.unsupported(op);
        // flags u32 (no secure boot, no secure download mode), flash_crypt_cnt u8, 7 key purposes, chip id u32, ECO version u32.
        this.reply(op, { data: new Uint8Array([...u32Words(0), 0, 0, 0, 0, 0, 0, 0, 0, ...u32Words(this.chip.securityInfoChipId, 0)]) });
        return;
      case Op.RUN_USER_CODE:
        this.holdInReset();
        this.boot('app');
        return;
      default:
        this.unsupported(op);
    }
  }

  private readRegister(address: number): number {
    const fixed = this.fixedRegisters.get(address);
    if (fixed !== undefined) return fixed;
    if (address === this.chip.uartClkdivReg) return Math.round((this.chip.crystalHz * this.chip.uartClockMultiplier) / this.chipBaud);
    return this.registers.get(address) ?? 0;
  }

  private writeRegister(address: number, value: number, mask: number): void {
    if (address === CHIP_MAGIC_REG_ADDR || this.fixedRegisters.has(address)) return;
    const old = this.registers.get(address) ?? 0;
    const next = ((old & ~mask) | (value & mask)) >>> 0;
    this.registers.set(address, next);
    if (address === this.chip.spi.base && next & SPI_CMD_USR_BIT) this.runSpiUserCommand();
  }

  /** The SPI controller's user command: only RDID is modelled (how clients detect the flash size). */
  private runSpiUserCommand(): void {
    const { base, usr2Offset, w0Offset } = this.chip.spi;
    const command = (this.registers.get(base + usr2Offset) ?? 0) & 0xff;
    if (command === SPIFLASH_RDID_CMD) this.registers.set(base + w0Offset, this.flashId);
    this.registers.set(base, (this.registers.get(base) ?? 0) & ~SPI_CMD_USR_BIT);
  }

  private flashBegin(op: number, data: Uint8Array): void {
    if (data.length < 16) return this.fail(op, RomError.INVALID_MESSAGE, StubError.BAD_DATA_LEN);
    const [size, , blockSize, offset] = [u32(data, 0), u32(data, 1), u32(data, 2), u32(data, 3)];
    if (!this.flashMemory.contains(offset, size)) return this.fail(op, RomError.FAILED_TO_ACT, StubError.TOO_MUCH_DATA);
    this.flashWrite?.inflater?.destroy();
    const compressed = op === Op.FLASH_DEFL_BEGIN;
    const write: FlashWrite = { compressed, offset, size, blockSize, nextSeq: 0, writePos: offset };
    if (compressed) {
      const inflater = zlib.createInflate();
      inflater.on('data', (chunk: Buffer) => this.programInflated(write, new Uint8Array(chunk)));
      inflater.on('error', () => {
        write.error = this.mode === 'stub' ? StubError.INFLATE_ERROR : RomError.DEFLATE_ERROR;
      });
      write.inflater = inflater;
    }
    this.flashMemory.erase(offset, size);
    this.flashWrite = write;
    this.reply(op);
  }

  private programInflated(write: FlashWrite, chunk: Uint8Array): void {
    if (write !== this.flashWrite) return;
    const room = write.offset + write.size - write.writePos;
    if (chunk.length > room) write.error = this.mode === 'stub' ? StubError.TOO_MUCH_DATA : RomError.DEFLATE_ERROR;
    const data = chunk.subarray(0, Math.max(0, room));
    this.program(write.writePos, data);
    write.writePos += data.length;
  }

  private async flashData(req: Request, generation: number): Promise<void> {
    const { op, data } = req;
    const write = this.flashWrite;
    const compressed = op === Op.FLASH_DEFL_DATA;
    if (!write || write.compressed !== compressed) return this.fail(op, RomError.FAILED_TO_ACT, StubError.NOT_IN_FLASH_MODE);
    if (data.length < DATA_PREFIX_BYTES) return this.fail(op, RomError.INVALID_MESSAGE, StubError.BAD_DATA_LEN);
    const [size, seq] = [u32(data, 0), u32(data, 1)];
    const payload = data.subarray(DATA_PREFIX_BYTES);
    if (payload.length !== size) return this.fail(op, RomError.INVALID_MESSAGE, StubError.BAD_DATA_LEN);
    if (checksumOf(payload) !== req.checksum) return this.fail(op, RomError.INVALID_CRC, StubError.BAD_DATA_CHECKSUM);
    if (seq !== write.nextSeq) return this.fail(op, RomError.FAILED_TO_ACT, StubError.BAD_BLOCKSIZE);
    write.nextSeq++;
    if (!compressed) {
      // The last block comes padded to the block size: only the announced size is written.
      const blockStart = seq * write.blockSize;
      this.program(write.offset + blockStart, payload.subarray(0, Math.max(0, write.size - blockStart)));
      this.reply(op);
      return;
    }
    this.stats.deflateBytesReceived += payload.length;
    write.inflater!.write(payload);
    // The stub acknowledges a block on arrival and inflates it while the next one comes in; the ROM writes first.
    if (this.mode !== 'stub') await this.inflated(write);
    if (generation !== this.generation) return;
    if (write.error !== undefined) return this.reply(op, { error: write.error });
    this.reply(op);
  }

  private inflated(write: FlashWrite): Promise<void> {
    return new Promise((resolve) => {
      if (!write.inflater || write.inflater.destroyed) return resolve();
      write.inflater.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve());
    });
  }

  private async flashEnd(op: number, data: Uint8Array, generation: number): Promise<void> {
    const write = this.flashWrite;
    if (!write) return this.fail(op, RomError.FAILED_TO_ACT, StubError.NOT_IN_FLASH_MODE);
    if (write.compressed) await this.inflated(write);
    if (generation !== this.generation) return;
    write.inflater?.destroy();
    this.flashWrite = undefined;
    if (write.error !== undefined) return this.reply(op, { error: write.error });
    this.reply(op);
    // Flag 0 asks for a reboot into the application.
    if (data.length >= 4 && u32(data, 0) === 0) {
      this.holdInReset();
      this.boot('app');
    }
  }

  private program(address: number, data: Uint8Array): void {
    if (data.length === 0) return;
    const corruptAt = this.options.corruptFlashByteAt;
    if (corruptAt !== undefined && corruptAt >= address && corruptAt < address + data.length) {
      data = Uint8Array.from(data);
      data[corruptAt - address] = ~data[corruptAt - address]! & 0xff;
    }
    this.flashMemory.program(address, data);
    this.stats.flashBytesWritten += data.length;
    const unplugAfter = this.options.unplugAfterFlashBytes;
    if (unplugAfter !== undefined && this.stats.flashBytesWritten >= unplugAfter) void this.unplug();
  }

  private flashMd5(op: number, data: Uint8Array): void {
    if (data.length < 8) return this.fail(op, RomError.INVALID_MESSAGE, StubError.BAD_DATA_LEN);
    const [address, size] = [u32(data, 0), u32(data, 1)];
    if (!this.flashMemory.contains(address, size)) return this.fail(op, RomError.FLASH_READ_LENGTH_ERROR, StubError.BAD_DATA_LEN);
    const digest = createHash('md5').update(this.flashMemory.bytes.subarray(address, address + size)).digest();
    // The stub sends the 16 digest bytes; the ROM sends them as 32 hex characters.
    const out = this.mode === 'stub' ? new Uint8Array(digest) : new TextEncoder().encode(digest.toString('hex'));
    this.reply(op, { data: out });
  }

  private readFlashStart(op: number, data: Uint8Array): void {
    if (data.length < 16) return this.fail(op, RomError.INVALID_MESSAGE, StubError.BAD_DATA_LEN);
    const [address, size, packetBytes, maxInFlight] = [u32(data, 0), u32(data, 1), u32(data, 2), u32(data, 3)];
    if (!this.flashMemory.contains(address, size) || packetBytes === 0) return this.fail(op, RomError.FLASH_READ_LENGTH_ERROR, StubError.BAD_DATA_LEN);
    this.reply(op);
    this.flashRead = { address, size, packetBytes, maxInFlight: Math.min(Math.max(1, maxInFlight), READ_FLASH_MAX_PACKETS_IN_FLIGHT), sent: 0, acked: 0 };
    this.pumpRead();
  }

  /** Sends flash data packets while fewer than maxInFlight are unacknowledged; the MD5 follows the last ack. */
  private pumpRead(): void {
    const r = this.flashRead!;
    while (r.sent < r.size && r.sent - r.acked < r.maxInFlight * r.packetBytes) {
      const n = Math.min(r.packetBytes, r.size - r.sent);
      this.sendPacket(this.flashMemory.read(r.address + r.sent, n));
      r.sent += n;
    }
    if (r.acked >= r.size) {
      this.flashRead = undefined;
      this.sendPacket(new Uint8Array(createHash('md5').update(this.flashMemory.bytes.subarray(r.address, r.address + r.size)).digest()));
    }
  }

  /** The host acknowledges read data with the byte count it has so far (a 4-byte packet). */
  private onReadAck(packet: Uint8Array): void {
    if (packet.length !== 4) return;
    this.flashRead!.acked = u32(packet, 0);
    this.pumpRead();
  }
}
