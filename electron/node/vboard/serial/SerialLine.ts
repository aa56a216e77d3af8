/**
 * The board's serial side, between the host's writes and the interpreter:
 *
 * - 'uart': a USB-UART bridge at `baud`: both directions paced by the clock,
 *   and a receive buffer (the RX ring) that silently drops what overflows it
 *   while Python is not reading, as an ESP32 UART does. Drops are counted.
 * - 'usb': native USB-CDC: a realistic rate, and backpressure instead of drops.
 *
 * Host bytes wait "on the wire" and are delivered into the ring one by one at
 * line rate; the interpreter's output waits here and leaves at line rate too,
 * while the interpreter's print blocks once too much is queued (CTL.TX_PENDING).
 */
import { CTL, wakeBoardThread } from '../boardProtocol.js';
import type { RxRing } from '../RxRing.js';

/** 8N1 framing: ten bit times per byte. */
const BITS_PER_BYTE = 10;
const MS_PER_S = 1000;
/** USB full-speed CDC as MicroPython drives it: about 1 MB/s. */
export const USB_BYTES_PER_MS = 1000;
/** Host bytes queued "on the wire" before the host's writes are made to wait (a bridge's FIFO plus the OS buffer). */
export const WIRE_BUFFER_BYTES = 4096;
const PUMP_INTERVAL_MS = 1;
/** Longest wait for queued output to leave before a board-initiated reset goes ahead anyway. */
const TX_DRAIN_TIMEOUT_MS = 1000;

export type SerialModel = 'uart' | 'usb';

export interface SerialLineStats {
  /** Host bytes that reached the board's receive buffer (including Ctrl-C taken as an interrupt). */
  rxBytes: number;
  /** Host bytes lost because the receive buffer was full (UART model only) or the chip was held in reset. */
  rxDroppedBytes: number;
  /** Bytes the board transmitted to the host. */
  txBytes: number;
}

/** What the line needs to know of the chip at its end. */
export interface SerialLineChip {
  /** EN is held low: the chip takes nothing. */
  inReset(): boolean;
  /** Takes `b` as a Ctrl-C (raising KeyboardInterrupt) when it is the interrupt character; true when it did. */
  takeInterrupt(b: number): boolean;
}

export interface SerialLineOptions {
  model: SerialModel;
  /** Line rate of the UART model; ignored by 'usb'. */
  baud: number;
  ctl: Int32Array;
  ring: RxRing;
  chip: SerialLineChip;
  /** Bytes leaving the board for the host. */
  onTransmit(data: Uint8Array): void;
  /** More than WIRE_BUFFER_BYTES wait on the wire: stop taking host bytes. */
  onWireFull(): void;
  /** The wire has room again. */
  onWireDrained(): void;
}

interface PendingWrite {
  end: number;
  resolve: () => void;
}

export class SerialLine {
  private readonly msPerByte: number;
  private closed = false;

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
  private readonly stats_: SerialLineStats = { rxBytes: 0, rxDroppedBytes: 0, txBytes: 0 };

  constructor(private readonly options: SerialLineOptions) {
    this.msPerByte = options.model === 'uart' ? (MS_PER_S * BITS_PER_BYTE) / options.baud : 1 / USB_BYTES_PER_MS;
  }

  get stats(): SerialLineStats {
    return { ...this.stats_ };
  }

  /** USB-CDC pushes back when the receive buffer is full; a UART drops. */
  get flowControlled(): boolean {
    return this.options.model === 'usb';
  }

  /** Host bytes onto the wire; resolves once the board's receive side has taken them (or dropped them, as a UART does). */
  write(data: Uint8Array): Promise<void> {
    if (this.closed || data.length === 0) return Promise.resolve();
    if (this.wireBytes === 0) this.rxClock = Math.max(this.rxClock, performance.now());
    this.wire.push(data);
    this.wireBytes += data.length;
    this.wireIn += data.length;
    if (this.wireBytes > WIRE_BUFFER_BYTES) this.options.onWireFull();
    const done = new Promise<void>((resolve) => this.pendingWrites.push({ end: this.wireIn, resolve }));
    this.kick();
    return done;
  }

  /** Output the interpreter printed, queued for transmission at line rate. */
  transmit(data: Uint8Array): void {
    if (this.txBytesQueued === 0) this.txClock = Math.max(this.txClock, performance.now());
    this.tx.push(data);
    this.txBytesQueued += data.length;
    this.kick();
  }

  /** Runs the pump soon when bytes wait in either direction. */
  kick(): void {
    if (this.pumpTimer || this.closed) return;
    if (this.wireBytes === 0 && this.txBytesQueued === 0) return;
    this.pumpTimer = setTimeout(() => {
      this.pumpTimer = undefined;
      this.pump();
    }, PUMP_INTERVAL_MS);
  }

  /** A board in reset transmits nothing; what was queued never leaves it. */
  discardTransmit(): void {
    Atomics.sub(this.options.ctl, CTL.TX_PENDING, this.txBytesQueued);
    this.tx = [];
    this.txBytesQueued = 0;
  }

  /** The interpreter thread is gone: output it counted but never posted does not exist. */
  clearTxPending(): void {
    Atomics.store(this.options.ctl, CTL.TX_PENDING, 0);
  }

  /** A hard reset empties the UART's receive buffer. */
  clearReceived(): void {
    this.options.ring.clear();
  }

  /** Resolves once queued output has gone out on the wire (bounded, so a stalled pump cannot block a reset). */
  async drainTx(): Promise<void> {
    const deadline = performance.now() + TX_DRAIN_TIMEOUT_MS;
    while (this.txBytesQueued > 0 && !this.closed && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, PUMP_INTERVAL_MS));
    }
  }

  /** The board went away: the pump stops, writes still on the wire resolve, their bytes are lost. */
  close(): void {
    this.closed = true;
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
    for (const w of this.pendingWrites.splice(0)) w.resolve();
    this.wire = [];
    this.wireBytes = 0;
  }

  private pump(): void {
    const now = performance.now();
    this.pumpRx(now);
    this.pumpTx(now);
    this.kick();
  }

  private pumpRx(now: number): void {
    let delivered = false;
    // Is Python reading? It took bytes since the last pump, or had nothing left to take.
    // The pump itself runs late at times (a busy event loop: 3-5 ms is common), and a
    // real UART would have handed those bytes over one by one to a reader keeping up;
    // delivered here in one burst they would overflow the buffer although Python never
    // stopped reading (seen as random drops at 921600 baud, and at 115200 under load).
    // A REPL waiting for its next byte reads too, however long its thread was descheduled.
    const { head, tail } = this.options.ring.positions();
    const reading = tail !== this.lastRxTail || head === tail || this.options.ring.replReading();
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
    wakeBoardThread(this.options.ctl);
    while (this.pendingWrites.length > 0 && this.pendingWrites[0]!.end <= this.wireOut) this.pendingWrites.shift()!.resolve();
    if (this.wireBytes <= WIRE_BUFFER_BYTES / 2) this.options.onWireDrained();
  }

  /**
   * One byte arriving at the board, as the UART interrupt handler sees it:
   * the interrupt character raises KeyboardInterrupt instead of being queued;
   * a full buffer drops the byte (UART) or refuses it (USB). Returns false
   * when the byte must wait. `reading`: Python kept taking bytes, so a full
   * buffer is the pump's lateness, not an overflow (the byte waits a tick).
   */
  private receive(b: number, reading: boolean): boolean {
    const { chip, ring } = this.options;
    if (chip.inReset()) {
      // A chip held in reset takes nothing; the bytes are lost on the wire.
      this.stats_.rxDroppedBytes++;
      return true;
    }
    // Between resets (no interpreter yet) bytes still land in the UART buffer.
    if (chip.takeInterrupt(b)) {
      this.stats_.rxBytes++;
      return true;
    }
    if (!ring.put(b)) {
      if (this.flowControlled || reading) return false;
      this.stats_.rxDroppedBytes++;
      return true;
    }
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
    Atomics.sub(this.options.ctl, CTL.TX_PENDING, budget);
    Atomics.notify(this.options.ctl, CTL.TX_PENDING);
    this.options.onTransmit(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
  }
}
