/**
 * A virtual board running real MicroPython (the official WebAssembly build) in
 * a worker thread, behind a model of the board's serial side. Reach it
 * in-process with link(), or from any serial client through a pseudo-terminal
 * with exposeOnPty(). Files persist in `flashDir`. Its profile chooses the
 * firmware it imitates: today's ESP32 by default, or a 1.9-era board
 * (BoardProfile.ts).
 *
 * This class assembles the board; the parts live beside it:
 * - serial/: the serial line (UART pacing and drops, USB backpressure) and the
 *   ESP auto-reset circuit on DTR/RTS;
 * - BoardLifecycle, BoardThread: booting, resetting and ending interpreter threads;
 * - worker/: the interpreter thread itself; prelude/: the Python it installs;
 * - BoardPinLevels, FlashStore, PtyBridge: pins, flash and the pty as the host sees them;
 * - boardProtocol, RxRing: what the two threads share.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Link, LinkSignals } from '../../common/link/Link.js';
import type { PartInput, PartWiring, PartWiringInput } from '../../common/parts/partsWiring.js';
import type { Disposable } from '../../common/util/disposable.js';
import { Emitter } from '../../common/util/disposable.js';
import { VirtualBoardLink, type VirtualBoardPort } from '../links/VirtualBoardLink.js';
import { CTL, CTL_WORDS, STOP_REQUESTED, wakeBoardThread } from './boardProtocol.js';
import { BoardLifecycle } from './BoardLifecycle.js';
import { BoardParts } from './BoardParts.js';
import { boardProfile, type BoardProfile, type BoardProfileName } from './BoardProfile.js';
import { BoardPeripherals, type BoardPeripheralsView } from './BoardPeripherals.js';
import { BoardPinLevels, type BoardPins } from './BoardPinLevels.js';
import { FlashStore } from './FlashStore.js';
import { boardIfconfig, type NetworkReach } from './net/addressPolicy.js';
import { BoardNet } from './net/BoardNet.js';
import { NET_SHARED_BYTES } from './net/netProtocol.js';
import { PtyBridge } from './PtyBridge.js';
import { RxRing } from './RxRing.js';
import { EspAutoReset } from './serial/EspAutoReset.js';
import { SerialLine, type SerialLineStats, type SerialModel } from './serial/SerialLine.js';
import { compileSharedInterpreter } from './wasm/wasmModule.js';
import type { WasmModule } from './wasm/wasmApi.js';

export type { BoardPins } from './BoardPinLevels.js';
export type { BoardPeripheralsView, PeripheralChange } from './BoardPeripherals.js';
export { BOARD_PROFILE_NAMES, DEFAULT_BOARD_PROFILE, isBoardProfileName, type BoardProfileName } from './BoardProfile.js';

export const DEFAULT_BAUD = 115200;
/** Bytes of machine.unique_id(). */
const UNIQUE_ID_BYTES = 6;

export interface VirtualBoardOptions {
  model: SerialModel;
  /** Line rate of the UART model; ignored by 'usb'. Default 115200. */
  baud?: number;
  /** Host folder holding the board's files; omitted: flash kept in memory for this board's lifetime. */
  flashDir?: string;
  /** The firmware the board imitates. Default 'esp32'. */
  profile?: BoardProfileName;
  /** Receive buffer (the UART ring for the REPL). Default: the profile's (256 on the ESP32, 64 on 1.9). */
  rxBufferBytes?: number;
  /** Where the board's sockets may connect, asked at each connect. Default: this computer and the local network. */
  networkReach?: () => NetworkReach;
  /**
   * Parts wired to the board (checked with PartsWiring; start() rejects an
   * invalid wiring). The bus parts (DHT22, DS18B20, SSD1306) are Python
   * models attached at boot; see setParts().
   */
  parts?: readonly PartWiringInput[];
  /** A connection the reach did not allow was refused (the program got EHOSTUNREACH). */
  onConnectionBlocked?: (address: string, port: number) => void;
  debug?: (message: string) => void;
}

export type VirtualBoardStats = SerialLineStats;

export class VirtualBoard implements VirtualBoardPort {
  readonly description: string;
  readonly pins: BoardPins;
  /** PWM, DAC, NeoPixel and UART output as Python last set them; analog and touch inputs. */
  readonly peripherals: BoardPeripheralsView;

  private readonly control = new SharedArrayBuffer(CTL_WORDS * 4);
  private readonly ctl = new Int32Array(this.control);
  private readonly rxRing: SharedArrayBuffer;
  private readonly flash: FlashStore;
  private readonly uniqueId = new Uint8Array(randomBytes(UNIQUE_ID_BYTES));
  private readonly pinLevels: BoardPinLevels;
  private readonly peripheralState: BoardPeripherals;
  private readonly serial: SerialLine;
  private readonly autoReset = new EspAutoReset();
  private readonly lifecycle: BoardLifecycle;
  private readonly netShared = new SharedArrayBuffer(NET_SHARED_BYTES);
  private readonly net: BoardNet;
  private readonly boardParts: BoardParts;

  private gone = false;
  private pty: PtyBridge | undefined;
  private readonly outputEmitter = new Emitter<Uint8Array>();
  private readonly goneEmitter = new Emitter<void>();
  private readonly debug: (message: string) => void;

  private constructor(
    options: VirtualBoardOptions & { baud: number; rxBufferBytes: number },
    profile: BoardProfile,
    wasmModule: WasmModule,
  ) {
    this.description = profile.description;
    this.rxRing = new SharedArrayBuffer(options.rxBufferBytes);
    this.flash = new FlashStore(options.flashDir);
    this.debug = options.debug ?? (() => {});
    this.pinLevels = new BoardPinLevels(this.ctl);
    this.pins = this.pinLevels;
    this.peripheralState = new BoardPeripherals(this.ctl);
    this.peripherals = this.peripheralState;
    this.boardParts = new BoardParts(this.pinLevels, this.peripheralState, options.parts);
    this.serial = new SerialLine({
      model: options.model,
      baud: options.baud,
      ctl: this.ctl,
      ring: new RxRing(this.ctl, this.rxRing),
      chip: {
        inReset: () => this.autoReset.heldInReset,
        takeInterrupt: (b) => this.lifecycle.running?.takeInterrupt(b) ?? false,
      },
      onTransmit: (data) => {
        this.pty?.write(data);
        this.outputEmitter.fire(data);
      },
      onWireFull: () => this.pty?.pause(),
      onWireDrained: () => this.pty?.resume(),
    });
    this.net = new BoardNet({
      shared: this.netShared,
      wake: () => wakeBoardThread(this.ctl),
      reach: options.networkReach ?? (() => 'local'),
      blocked: options.onConnectionBlocked ?? (() => undefined),
      debug: this.debug,
    });
    this.lifecycle = new BoardLifecycle({
      ctl: this.ctl,
      serial: this.serial,
      pins: this.pinLevels,
      peripherals: this.peripheralState,
      flash: this.flash,
      net: this.net,
      workerInit: (boot, cause, retained) => ({
        control: this.control,
        rxRing: this.rxRing,
        boot,
        flash: this.flash.snapshot(),
        wasmModule,
        uniqueId: this.uniqueId,
        profile: profile.name,
        net: this.netShared,
        ifconfig: boardIfconfig(),
        cause,
        retained,
        uartRx: this.peripheralState.uartRx,
        // Read at each boot: a wiring changed since the last one takes effect now.
        parts: [...this.boardParts.parts],
        partInputs: this.boardParts.inputs,
      }),
      isGone: () => this.gone,
      isHeldInReset: () => this.autoReset.heldInReset,
      debug: this.debug,
    });
  }

  /** Boots a board and resolves once its interpreter is loaded (its boot output goes to whoever listens). */
  static async start(options: VirtualBoardOptions): Promise<VirtualBoard> {
    const profile = boardProfile(options.profile);
    const wasmModule = await compileSharedInterpreter(profile.heap.kind);
    const board = new VirtualBoard(
      {
        ...options,
        baud: options.baud ?? DEFAULT_BAUD,
        rxBufferBytes: options.rxBufferBytes ?? profile.rxBufferBytes,
      },
      profile,
      wasmModule,
    );
    await board.lifecycle.boot('cold');
    return board;
  }

  get stats(): VirtualBoardStats {
    return this.serial.stats;
  }

  /** The UART receive buffer's size (the profile's unless the options chose one). */
  get rxBufferBytes(): number {
    return this.rxRing.byteLength;
  }

  get flowControlled(): boolean {
    return this.serial.flowControlled;
  }

  get isGone(): boolean {
    return this.gone;
  }

  /** TCP connections the board's program has open (a reset or stop closes them all). */
  get openSockets(): number {
    return this.net.openSockets;
  }

  /** The parts wired to the board (as checked, with their defaults filled in). */
  get parts(): readonly PartWiring[] {
    return this.boardParts.parts;
  }

  /**
   * Rewires the board (throws, changing nothing, when `parts` is not a valid
   * PartsWiring). The bus parts' Python models are attached when the
   * interpreter boots, so a new DHT22, DS18B20 or SSD1306 answers from the
   * next boot on: reset(), machine.reset(), a soft reset (Ctrl-D) or a new
   * board. Sensor values set for a part id are kept; pin parts (LED, button,
   * potentiometer, NeoPixel) are the host's at once.
   */
  setParts(parts: readonly PartWiringInput[]): void {
    this.boardParts.set(parts);
  }

  /**
   * What the person sets on a wired part, by its id: a DHT22's temperature
   * and humidity or a DS18B20's temperature (read by the board at its next
   * measurement, kept through resets), a button's press (its pin pulled
   * low), a potentiometer's position (0-3.3 V on its pin). Throws when no
   * part has that id or the input is for another kind of part.
   */
  setPartInput(id: string, input: PartInput): void {
    this.boardParts.setInput(id, input);
  }

  /** An in-process Link, e.g. for the app's built-in connection. Several may be open at once. */
  link(): Link {
    return new VirtualBoardLink(this);
  }

  /**
   * Serves the board on a pseudo-terminal and returns its path (open it with
   * `serialport`). `path` chooses where the pty's link goes (its folder must
   * exist), e.g. the path of a board that was killed, to plug one back in
   * where the app expects it; by default a new temporary path is used.
   */
  async exposeOnPty(options: { path?: string } = {}): Promise<string> {
    if (this.gone) throw new Error('the virtual board has stopped');
    if (this.pty) {
      if (options.path !== undefined && path.resolve(options.path) !== this.pty.path) {
        throw new Error(`the virtual board is already served on ${this.pty.path}`);
      }
      return this.pty.path;
    }
    this.pty = await PtyBridge.open({
      ...(options.path !== undefined ? { path: options.path } : {}),
      onData: (chunk) => void this.write(chunk),
      onExit: (reason) => this.debug(`pty bridge ended: ${reason}`),
      debug: this.debug,
    });
    return this.pty.path;
  }

  /** Presses the EN button: a hard reset and cold boot. */
  async reset(): Promise<void> {
    if (this.gone) throw new Error('the virtual board has stopped');
    await this.lifecycle.restart('cold');
  }

  /** Pulls the plug: the worker and the pty vanish at once. Flash keeps what was synced until now. */
  async kill(): Promise<void> {
    if (this.gone) return;
    this.lifecycle.forbidSave();
    this.markGone();
    const running = this.lifecycle.detach();
    await Promise.all([running?.end(), this.pty?.kill()]);
  }

  /** Clean shutdown: the worker saves its flash first. */
  async stop(): Promise<void> {
    if (this.gone) return;
    const running = this.lifecycle.running;
    if (running) await running.saveAndStop();
    this.markGone();
    this.lifecycle.detach();
    await Promise.all([running?.end(), this.pty?.kill()]);
  }

  // -------------------------------------------------------------------------
  // VirtualBoardPort (what links use)

  write(data: Uint8Array): Promise<void> {
    if (this.gone) return Promise.resolve();
    return this.serial.write(data);
  }

  onOutput(listener: (chunk: Uint8Array) => void): Disposable {
    return this.outputEmitter.event(listener);
  }

  onGone(listener: () => void): Disposable {
    return this.goneEmitter.event(listener);
  }

  /** DTR/RTS into the ESP auto-reset circuit: EN low halts the chip, EN released boots it. */
  async setSignals(signals: LinkSignals): Promise<void> {
    if (this.gone) return;
    const edge = this.autoReset.setLines(signals);
    if (edge === 'enter-reset') await this.lifecycle.halt();
    else if (edge === 'leave-reset') await this.lifecycle.boot('cold');
  }

  private markGone(): void {
    this.gone = true;
    this.net.closeAll();
    this.serial.close();
    // Ask a running thread to save its flash and stop, unless it is already being ended.
    Atomics.compareExchange(this.ctl, CTL.STOP, 0, STOP_REQUESTED);
    wakeBoardThread(this.ctl);
    this.goneEmitter.fire();
    this.goneEmitter.dispose();
    this.outputEmitter.dispose();
  }
}
