/**
 * A virtual ESP32 running real MicroPython (the official WebAssembly build) in
 * a worker thread, behind a model of the board's serial side:
 *
 * - 'uart': a USB-UART bridge at `baud` (115200): both directions paced by the
 *   clock, and a receive buffer of `rxBufferBytes` that silently drops what
 *   overflows it while Python is not reading, as an ESP32 UART does.
 * - 'usb': native USB-CDC: a realistic rate and backpressure instead of drops.
 *
 * Reach it in-process with link(), or from any serial client through a
 * pseudo-terminal with exposeOnPty(). Files persist in `flashDir`.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import type { Link, LinkSignals } from '../../common/link/Link.js';
import type { Disposable } from '../../common/util/disposable.js';
import { Emitter } from '../../common/util/disposable.js';
import { VirtualBoardLink, type VirtualBoardPort } from '../links/VirtualBoardLink.js';
import {
  CTL,
  CTL_WORDS,
  PIN_COUNT,
  STOP_TERMINATE,
  type BootKind,
  type WorkerInit,
  type WorkerMessage,
} from './boardProtocol.js';
import { FlashStore } from './FlashStore.js';
import { PtyBridge } from './PtyBridge.js';
import { compileSharedInterpreter } from './wasm/wasmModule.js';
import type { WasmModule } from './wasm/wasmApi.js';

export const DEFAULT_BAUD = 115200;
export const DEFAULT_RX_BUFFER_BYTES = 256;
/** 8N1 framing: ten bit times per byte. */
const BITS_PER_BYTE = 10;
/** USB full-speed CDC as MicroPython drives it: about 1 MB/s. */
export const USB_BYTES_PER_MS = 1000;
/** Host bytes queued "on the wire" before the host's writes are made to wait (a bridge's FIFO plus the OS buffer). */
export const WIRE_BUFFER_BYTES = 4096;
const PUMP_INTERVAL_MS = 1;
/** How long stop() waits for the worker to save its flash before ending it anyway. */
export const STOP_TIMEOUT_MS = 3000;
/** How long start() waits for the interpreter to load. */
export const BOOT_TIMEOUT_MS = 20_000;
/** Longest wait for queued output to leave before a board-initiated reset goes ahead anyway. */
const TX_DRAIN_TIMEOUT_MS = 1000;

export interface VirtualBoardOptions {
  model: 'uart' | 'usb';
  /** Line rate of the UART model; ignored by 'usb'. Default 115200. */
  baud?: number;
  /** Host folder holding the board's files; omitted: flash kept in memory for this board's lifetime. */
  flashDir?: string;
  /** Receive buffer (the ESP32's UART ring for the REPL). Default 256. */
  rxBufferBytes?: number;
  debug?: (message: string) => void;
}

export interface VirtualBoardStats {
  /** Host bytes that reached the board's receive buffer (including Ctrl-C taken as an interrupt). */
  rxBytes: number;
  /** Host bytes lost because the receive buffer was full (UART model only). */
  rxDroppedBytes: number;
  /** Bytes the board transmitted to the host. */
  txBytes: number;
}

export interface BoardPins {
  /** Output level Python last set on a pin (0/1), or undefined if the pin was never driven since reset. */
  getPin(pin: number): number | undefined;
  onPinChange(listener: (pin: number, value: number) => void): Disposable;
  /** The level the host applies to an input pin, read by Pin(n, Pin.IN).value(). */
  setInput(pin: number, value: 0 | 1): void;
}

interface PendingWrite {
  end: number;
  resolve: () => void;
}

interface RunningWorker {
  worker: Worker;
  memory?: Int32Array;
  kbdWords?: Array<[number, number]>;
  interruptCharWord?: number;
}

/**
 * Starts the interpreter worker: the compiled .js next to this file in
 * production; under Vitest/tsx this file is the .ts source, and the worker
 * runs the .ts entry with tsx's loader registered first (Node 20 ignores
 * `--import tsx` in a worker's execArgv for the worker's own entry).
 */
function startWorker(init: WorkerInit): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./worker/boardWorker.js', here), { workerData: init });
  const entry = new URL('./worker/boardWorker.ts', here).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: init });
}

export class VirtualBoard implements VirtualBoardPort {
  readonly description: string;
  readonly pins: BoardPins;

  private readonly control = new SharedArrayBuffer(CTL_WORDS * 4);
  private readonly ctl = new Int32Array(this.control);
  private readonly rxRing: SharedArrayBuffer;
  private readonly ring: Uint8Array;
  private readonly msPerByte: number;
  private readonly flash: FlashStore;
  private readonly uniqueId = new Uint8Array(randomBytes(6));

  private current: RunningWorker | undefined;
  private gone = false;
  private heldInReset = false;
  private signals = { dtr: false, rts: false };

  // Host -> board: bytes on the wire, delivered into the receive ring at line rate.
  private wire: Uint8Array[] = [];
  private wireOffset = 0;
  private wireBytes = 0;
  private wireIn = 0;
  private wireOut = 0;
  private pendingWrites: PendingWrite[] = [];
  private rxClock = 0;
  /** The ring's tail at the previous pump: whether Python took bytes since then. */
  private lastRxTail = 0;

  // Board -> host.
  private tx: Uint8Array[] = [];
  private txBytesQueued = 0;
  private txClock = 0;

  private pumpTimer: NodeJS.Timeout | undefined;
  private pty: PtyBridge | undefined;
  private readonly stats_: VirtualBoardStats = { rxBytes: 0, rxDroppedBytes: 0, txBytes: 0 };
  private readonly outputEmitter = new Emitter<Uint8Array>();
  private readonly goneEmitter = new Emitter<void>();
  private readonly pinEmitter = new Emitter<[number, number]>();
  private readonly pinLevels = new Map<number, number>();
  private readonly debug: (message: string) => void;

  private constructor(
    private readonly options: Required<Pick<VirtualBoardOptions, 'model' | 'baud' | 'rxBufferBytes'>> & VirtualBoardOptions,
    private readonly wasmModule: WasmModule,
  ) {
    this.description = 'Virtual board (ESP32)';
    this.rxRing = new SharedArrayBuffer(options.rxBufferBytes);
    this.ring = new Uint8Array(this.rxRing);
    this.msPerByte = options.model === 'uart' ? (1000 * BITS_PER_BYTE) / options.baud : 1 / USB_BYTES_PER_MS;
    this.flash = new FlashStore(options.flashDir);
    this.debug = options.debug ?? (() => {});
    this.pins = {
      getPin: (pin) => this.pinLevels.get(pin),
      onPinChange: (listener) => this.pinEmitter.event(([pin, value]) => listener(pin, value)),
      setInput: (pin, value) => {
        if (pin < 0 || pin >= PIN_COUNT) throw new RangeError(`no pin ${pin}`);
        Atomics.store(this.ctl, CTL.PIN_INPUT_BASE + pin, value ? 1 : 0);
      },
    };
  }

  /** Boots a board and resolves once its interpreter is loaded (its boot output goes to whoever listens). */
  static async start(options: VirtualBoardOptions): Promise<VirtualBoard> {
    const wasmModule = await compileSharedInterpreter();
    const board = new VirtualBoard(
      {
        ...options,
        baud: options.baud ?? DEFAULT_BAUD,
        rxBufferBytes: options.rxBufferBytes ?? DEFAULT_RX_BUFFER_BYTES,
      },
      wasmModule,
    );
    await board.boot('cold');
    return board;
  }

  get stats(): VirtualBoardStats {
    return { ...this.stats_ };
  }

  get flowControlled(): boolean {
    return this.options.model === 'usb';
  }

  get isGone(): boolean {
    return this.gone;
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
    await this.restart('cold');
  }

  /** Pulls the plug: the worker and the pty vanish at once. Flash keeps what was synced until now. */
  async kill(): Promise<void> {
    if (this.gone) return;
    // The thread must not save its flash on the way out: STOP_TERMINATE, not a stop request.
    Atomics.store(this.ctl, CTL.STOP, STOP_TERMINATE);
    this.markGone();
    const running = this.current;
    this.current = undefined;
    await Promise.all([running ? this.endWorker(running) : undefined, this.pty?.kill()]);
  }

  /** Clean shutdown: the worker saves its flash first. */
  async stop(): Promise<void> {
    if (this.gone) return;
    const running = this.current;
    if (running) {
      const stopped = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, STOP_TIMEOUT_MS);
        running.worker.on('message', (m: WorkerMessage) => {
          if (m.type === 'stopped') {
            clearTimeout(timer);
            resolve();
          }
        });
        running.worker.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      Atomics.store(this.ctl, CTL.STOP, 1);
      this.wake();
      await stopped;
    }
    this.markGone();
    this.current = undefined;
    await Promise.all([running ? this.endWorker(running) : undefined, this.pty?.kill()]);
  }

  // -------------------------------------------------------------------------
  // VirtualBoardPort (what links use)

  write(data: Uint8Array): Promise<void> {
    if (this.gone) return Promise.resolve();
    if (data.length === 0) return Promise.resolve();
    if (this.wireBytes === 0) this.rxClock = Math.max(this.rxClock, performance.now());
    this.wire.push(data);
    this.wireBytes += data.length;
    this.wireIn += data.length;
    if (this.wireBytes > WIRE_BUFFER_BYTES) this.pty?.pause();
    const done = new Promise<void>((resolve) => this.pendingWrites.push({ end: this.wireIn, resolve }));
    this.schedulePump();
    return done;
  }

  onOutput(listener: (chunk: Uint8Array) => void): Disposable {
    return this.outputEmitter.event(listener);
  }

  onGone(listener: () => void): Disposable {
    return this.goneEmitter.event(listener);
  }

  /** ESP auto-reset circuit: RTS asserted with DTR released pulls EN low (held in reset); leaving that state boots. */
  async setSignals(signals: LinkSignals): Promise<void> {
    if (this.gone) return;
    this.signals = { dtr: signals.dtr ?? this.signals.dtr, rts: signals.rts ?? this.signals.rts };
    const enLow = this.signals.rts && !this.signals.dtr;
    if (enLow && !this.heldInReset) {
      this.heldInReset = true;
      await this.halt();
    } else if (!enLow && this.heldInReset) {
      this.heldInReset = false;
      await this.boot('cold');
    }
  }

  // -------------------------------------------------------------------------
  // Worker lifecycle

  private async boot(kind: BootKind): Promise<void> {
    Atomics.store(this.ctl, CTL.STOP, 0);
    const init: WorkerInit = {
      control: this.control,
      rxRing: this.rxRing,
      boot: kind,
      flash: this.flash.snapshot(),
      wasmModule: this.wasmModule,
      uniqueId: this.uniqueId,
    };
    const worker = startWorker(init);
    const running: RunningWorker = { worker };
    this.current = running;
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`virtual board did not boot within ${BOOT_TIMEOUT_MS} ms`)), BOOT_TIMEOUT_MS);
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          resolve();
        } else if (m.type === 'fatal') {
          clearTimeout(timer);
          reject(new Error(`virtual board crashed: ${m.message}`));
        }
      });
      worker.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      worker.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`virtual board worker exited (${code}) while booting`));
      });
    });
    worker.on('message', (m: WorkerMessage) => this.onWorkerMessage(running, m));
    worker.on('error', (err) => this.debug(`board worker error: ${err.stack ?? err.message}`));
    worker.on('exit', (code) => {
      if (this.current === running && !this.gone) {
        this.debug(`board worker exited unexpectedly (${code})`);
        this.current = undefined;
      }
    });
    await ready;
  }

  /** Ends the running interpreter: the board is in reset (or between resets). */
  private async halt(): Promise<void> {
    const running = this.current;
    this.current = undefined;
    // A board in reset transmits nothing; what was queued never leaves it.
    Atomics.sub(this.ctl, CTL.TX_PENDING, this.txBytesQueued);
    this.tx = [];
    this.txBytesQueued = 0;
    this.clearPins();
    if (running) await this.endWorker(running);
    Atomics.store(this.ctl, CTL.TX_PENDING, 0);
  }

  /** Ends a worker thread; one parked after a reset request also leaves by itself (see blockUntilTerminated). */
  private async endWorker(running: RunningWorker): Promise<void> {
    Atomics.store(this.ctl, CTL.STOP, STOP_TERMINATE);
    Atomics.notify(this.ctl, CTL.STOP);
    this.wake();
    await running.worker.terminate();
  }

  /** Resolves once queued output has gone out on the wire (bounded, so a stalled pump cannot block a reset). */
  private async drainTx(): Promise<void> {
    const deadline = performance.now() + TX_DRAIN_TIMEOUT_MS;
    while (this.txBytesQueued > 0 && !this.gone && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, PUMP_INTERVAL_MS));
    }
  }

  private async restart(kind: BootKind): Promise<void> {
    if (kind === 'cold') {
      await this.halt();
      // A hard reset empties the UART's receive buffer.
      Atomics.store(this.ctl, CTL.RX_TAIL, Atomics.load(this.ctl, CTL.RX_HEAD));
    } else {
      const running = this.current;
      this.current = undefined;
      this.clearPins();
      if (running) await this.endWorker(running);
    }
    if (this.gone || this.heldInReset) return;
    try {
      await this.boot(kind);
    } catch (err) {
      this.debug(`virtual board failed to boot: ${(err as Error).message}`);
    }
  }

  private onWorkerMessage(running: RunningWorker, m: WorkerMessage): void {
    if (this.current !== running && m.type !== 'flash') return;
    switch (m.type) {
      case 'ready':
        running.memory = new Int32Array(m.memory);
        running.kbdWords = m.kbdWords;
        running.interruptCharWord = m.interruptCharWord;
        this.schedulePump();
        break;
      case 'out':
        if (this.txBytesQueued === 0) this.txClock = Math.max(this.txClock, performance.now());
        this.tx.push(m.data);
        this.txBytesQueued += m.data.length;
        this.schedulePump();
        break;
      case 'pin':
        this.pinLevels.set(m.pin, m.value);
        this.pinEmitter.fire([m.pin, m.value]);
        break;
      case 'flash':
        try {
          this.flash.apply(m.writes, m.deletes);
        } catch (err) {
          this.debug(`flash sync failed: ${(err as Error).message}`);
        }
        break;
      case 'reset':
        // What the program printed before machine.reset() still leaves the chip: ESP-IDF waits for
        // the console UART to go idle before it restarts (this includes the raw-paste ack).
        void this.drainTx().then(() => this.restart(m.kind === 'hard' ? 'cold' : m.kind));
        break;
      case 'fatal':
        this.debug(`virtual board crashed: ${m.message}`);
        break;
      case 'stopped':
        break;
    }
  }

  private clearPins(): void {
    const high = [...this.pinLevels].filter(([, v]) => v !== 0).map(([pin]) => pin);
    this.pinLevels.clear();
    for (const pin of high) this.pinEmitter.fire([pin, 0]);
  }

  private markGone(): void {
    this.gone = true;
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
    // Ask a running thread to save its flash and stop, unless it is already being ended.
    Atomics.compareExchange(this.ctl, CTL.STOP, 0, 1);
    this.wake();
    for (const w of this.pendingWrites.splice(0)) w.resolve();
    this.wire = [];
    this.wireBytes = 0;
    this.goneEmitter.fire();
    this.goneEmitter.dispose();
    this.outputEmitter.dispose();
  }

  private wake(): void {
    Atomics.add(this.ctl, CTL.WAKE_SEQ, 1);
    Atomics.notify(this.ctl, CTL.WAKE_SEQ);
  }

  // -------------------------------------------------------------------------
  // The serial model

  private schedulePump(): void {
    if (this.pumpTimer || this.gone) return;
    if (this.wireBytes === 0 && this.txBytesQueued === 0) return;
    this.pumpTimer = setTimeout(() => {
      this.pumpTimer = undefined;
      this.pump();
    }, PUMP_INTERVAL_MS);
  }

  private pump(): void {
    const now = performance.now();
    this.pumpRx(now);
    this.pumpTx(now);
    this.schedulePump();
  }

  private pumpRx(now: number): void {
    let delivered = false;
    // Is Python reading? It took bytes since the last pump, or had nothing left to take.
    // The pump itself runs late at times (a busy event loop: 3-5 ms is common), and a
    // real UART would have handed those bytes over one by one to a reader keeping up;
    // delivered here in one burst they would overflow the buffer although Python never
    // stopped reading (seen as random drops at 921600 baud, and at 115200 under load).
    const tail = Atomics.load(this.ctl, CTL.RX_TAIL);
    const head = Atomics.load(this.ctl, CTL.RX_HEAD);
    const reading = tail !== this.lastRxTail || head === tail;
    this.lastRxTail = tail;
    while (this.wireBytes > 0 && this.rxClock + this.msPerByte <= now) {
      const chunk = this.wire[0]!;
      const b = chunk[this.wireOffset]!;
      if (!this.receive(b, reading)) {
        // USB backpressure, or a late pump while Python reads: the byte waits on the host side.
        this.rxClock = now;
        break;
      }
      delivered = true;
      this.rxClock += this.msPerByte;
      this.wireOffset++;
      this.wireBytes--;
      this.wireOut++;
      if (this.wireOffset === chunk.length) {
        this.wire.shift();
        this.wireOffset = 0;
      }
    }
    if (!delivered) return;
    this.wake();
    while (this.pendingWrites.length > 0 && this.pendingWrites[0]!.end <= this.wireOut) this.pendingWrites.shift()!.resolve();
    if (this.wireBytes <= WIRE_BUFFER_BYTES / 2) this.pty?.resume();
  }

  /**
   * One byte arriving at the board, as the UART interrupt handler sees it:
   * the interrupt character raises KeyboardInterrupt instead of being queued;
   * a full buffer drops the byte (UART) or refuses it (USB). Returns false
   * when the byte must wait. `reading`: Python kept taking bytes, so a full
   * buffer is the pump's lateness, not an overflow (the byte waits a tick).
   */
  private receive(b: number, reading: boolean): boolean {
    if (this.heldInReset) {
      // A chip held in reset takes nothing; the bytes are lost on the wire.
      this.stats_.rxDroppedBytes++;
      return true;
    }
    // Between resets (no interpreter yet) bytes still land in the UART buffer.
    const running = this.current;
    if (running?.memory && running.kbdWords && running.interruptCharWord !== undefined) {
      if (Atomics.load(running.memory, running.interruptCharWord) === b) {
        for (const [index, value] of running.kbdWords) Atomics.store(running.memory, index, value);
        this.stats_.rxBytes++;
        return true;
      }
    }
    const cap = this.ring.length;
    const head = Atomics.load(this.ctl, CTL.RX_HEAD);
    const tail = Atomics.load(this.ctl, CTL.RX_TAIL);
    const used = (head - tail + 2 * cap) % (2 * cap);
    if (used >= cap) {
      if (this.options.model === 'usb' || reading) return false;
      this.stats_.rxDroppedBytes++;
      return true;
    }
    this.ring[head % cap] = b;
    Atomics.store(this.ctl, CTL.RX_HEAD, (head + 1) % (2 * cap));
    this.stats_.rxBytes++;
    return true;
  }

  private pumpTx(now: number): void {
    if (this.txBytesQueued === 0) return;
    let budget = Math.floor((now - this.txClock) / this.msPerByte);
    if (budget <= 0) return;
    budget = Math.min(budget, this.txBytesQueued);
    this.txClock += budget * this.msPerByte;
    const parts: Uint8Array[] = [];
    let left = budget;
    while (left > 0) {
      const chunk = this.tx[0]!;
      if (chunk.length <= left) {
        parts.push(chunk);
        this.tx.shift();
        left -= chunk.length;
      } else {
        parts.push(chunk.subarray(0, left));
        this.tx[0] = chunk.subarray(left);
        left = 0;
      }
    }
    this.txBytesQueued -= budget;
    this.stats_.txBytes += budget;
    Atomics.sub(this.ctl, CTL.TX_PENDING, budget);
    Atomics.notify(this.ctl, CTL.TX_PENDING);
    const out = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    this.pty?.write(out);
    this.outputEmitter.fire(out);
  }
}
