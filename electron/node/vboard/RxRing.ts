/**
 * The board's UART receive buffer, shared by both threads: the main thread's
 * serial model puts the bytes that arrive, the interpreter thread takes them.
 *
 * Head and tail are byte counts kept modulo twice the capacity in the shared
 * control words, so a full ring (head - tail == capacity) and an empty one
 * (head == tail) are told apart without a separate count. Each side writes
 * only its own words: the main thread the head, the worker the tail and
 * whether its REPL is the reader.
 */
import { CTL, HOST_UART_IDS, UART_RX_BUFFER_BYTES, UART_RX_WORDS, type UartRxShared } from './boardProtocol.js';

export class RxRing {
  private readonly bytes: Uint8Array;
  readonly capacity: number;

  constructor(
    private readonly ctl: Int32Array,
    buffer: SharedArrayBuffer,
  ) {
    this.bytes = new Uint8Array(buffer);
    this.capacity = this.bytes.length;
  }

  /** Head and tail as loaded now (the serial model compares tails across pumps). */
  positions(): { head: number; tail: number } {
    return { head: Atomics.load(this.ctl, CTL.RX_HEAD), tail: Atomics.load(this.ctl, CTL.RX_TAIL) };
  }

  /** Bytes waiting to be taken. */
  used(): number {
    const { head, tail } = this.positions();
    return (head - tail + 2 * this.capacity) % (2 * this.capacity);
  }

  /** Main thread: queues a received byte; false when the ring is full. */
  put(b: number): boolean {
    if (this.used() >= this.capacity) return false;
    const head = Atomics.load(this.ctl, CTL.RX_HEAD);
    this.bytes[head % this.capacity] = b;
    Atomics.store(this.ctl, CTL.RX_HEAD, (head + 1) % (2 * this.capacity));
    return true;
  }

  /** Interpreter thread: takes the oldest byte; only call when used() > 0. */
  take(): number {
    const tail = Atomics.load(this.ctl, CTL.RX_TAIL);
    const b = this.bytes[tail % this.capacity]!;
    Atomics.store(this.ctl, CTL.RX_TAIL, (tail + 1) % (2 * this.capacity));
    return b;
  }

  /**
   * Interpreter thread: true while its REPL loop reads (between commands). A
   * board's REPL takes each byte in microseconds, so its ring never overflows
   * at line rate. This thread, parked between bytes, was seen woken 2-9 ms
   * late on a busy 2-core machine: longer than a 64-byte ring lasts at 115200
   * baud (5.6 ms). While this is true the main thread lets bytes wait instead
   * of dropping them.
   */
  setReplReading(on: boolean): void {
    Atomics.store(this.ctl, CTL.REPL_READING, on ? 1 : 0);
  }

  /** Main thread: whether the REPL loop is the reader now (see setReplReading). */
  replReading(): boolean {
    return Atomics.load(this.ctl, CTL.REPL_READING) === 1;
  }

  /** Main thread, no interpreter running: drops what was not read (a hard reset empties the UART buffer). */
  clear(): void {
    Atomics.store(this.ctl, CTL.RX_TAIL, Atomics.load(this.ctl, CTL.RX_HEAD));
  }
}

/** Shared memory for the host-fed UARTs' rings (see UartRxShared). */
export function newUartRxShared(): UartRxShared {
  return {
    words: new SharedArrayBuffer(HOST_UART_IDS.length * UART_RX_WORDS * 4),
    data: HOST_UART_IDS.map(() => new SharedArrayBuffer(UART_RX_BUFFER_BYTES)),
  };
}

/** The ring of a host-fed UART (either thread's view); undefined for an id the host does not feed. */
export function uartRxRing(shared: UartRxShared, id: number): RxRing | undefined {
  const index = (HOST_UART_IDS as readonly number[]).indexOf(id);
  if (index < 0) return undefined;
  return new RxRing(new Int32Array(shared.words, index * UART_RX_WORDS * 4, UART_RX_WORDS), shared.data[index]!);
}
