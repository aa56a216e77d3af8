/**
 * What the board prints, on its way to the host: the interpreter's bytes
 * (minus traceback lines into the prelude) with line endings cooked as a
 * board's UART driver cooks them, the wasm port's name (and, for a board that
 * claims older firmware, its version) rewritten to the board's, batched into
 * messages, and held back while the UART's transmit buffer is full, as a
 * board's print blocks.
 */
import { CTL, TX_BUFFER_BYTES } from '../boardProtocol.js';
import { HostChannel, IDLE_WAIT_MS } from './HostChannel.js';
import { PreludeFrameFilter } from './PreludeFrameFilter.js';

/** Output is posted when this much is buffered, or when the oldest byte is this old. */
const OUT_FLUSH_BYTES = 512;
const OUT_FLUSH_MS = 4;
const LF = 0x0a;
const CR = 0x0d;
/** Shortest tail held back as a possible start of the wasm's board name. */
const MIN_HELD_NAME_BYTES = 3;

/** The wasm port's board name; rewritten so banners say what board this is. */
export const WASM_BOARD_TEXT = 'JS with Emscripten';

/** Sees each interpreter byte before it is shown; false swallows it. */
export type OutputTap = (c: number) => boolean;

export class BoardOutput {
  private outBuf: number[] = [];
  private outFirstAt = 0;
  private lastOutByte = 0;
  /** Output is captured instead of sent while this is set (banners rewritten by the board model). */
  private capture: number[] | null = null;
  private tap: OutputTap | undefined;
  private readonly preludeFrames: PreludeFrameFilter;
  private readonly showWasmByte = (c: number): void => this.show(c);
  /** Text of the interpreter's that is shown as `renameTo` instead (its board name, by default). */
  private renameFrom: Buffer;
  private renameTo: Buffer;

  constructor(
    private readonly channel: HostChannel,
    preludeDir: string,
    boardName: string,
  ) {
    this.preludeFrames = new PreludeFrameFilter(preludeDir);
    this.renameFrom = Buffer.from(WASM_BOARD_TEXT, 'latin1');
    this.renameTo = Buffer.from(boardName, 'latin1');
  }

  /** Replaces what is rewritten: e.g. the whole banner line of a board that claims older firmware. */
  setRename(from: string, to: string): void {
    this.renameFrom = Buffer.from(from, 'latin1');
    this.renameTo = Buffer.from(to, 'latin1');
  }

  /** `data` with the interpreter's text rewritten as the board shows it. */
  rename(data: Buffer): Buffer {
    const at = data.indexOf(this.renameFrom);
    if (at < 0) return data;
    return Buffer.concat([data.subarray(0, at), this.renameTo, this.rename(data.subarray(at + this.renameFrom.length))]);
  }

  /** Lets the REPL driver watch (and swallow) what the interpreter prints. */
  setTap(tap: OutputTap): void {
    this.tap = tap;
  }

  /** A byte printed by the interpreter; traceback lines into the prelude are hidden. */
  wasmByte(c: number): void {
    this.preludeFrames.push(c, this.showWasmByte);
  }

  /** Bytes the board model itself sends (raw-paste replies, soft reboot banner). */
  emit(bytes: string | Uint8Array): void {
    const data = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    for (const c of data) {
      this.lastOutByte = c;
      this.push(c);
    }
  }

  /** Runs `fn` with the interpreter's output captured, and returns it. */
  captured(fn: () => void): Buffer {
    this.flush(true);
    const bytes: number[] = [];
    this.capture = bytes;
    try {
      fn();
    } finally {
      this.capture = null;
    }
    return Buffer.from(bytes);
  }

  /**
   * Posts buffered output. When `final` is false, a tail that might be the start
   * of the renamed text is held back so the rename never misses a split.
   */
  flush(final: boolean): void {
    if (final) this.preludeFrames.release(this.showWasmByte);
    if (this.outBuf.length === 0) return;
    let data = Buffer.from(this.outBuf);
    let held = 0;
    if (!final) {
      for (let n = Math.min(this.renameFrom.length - 1, data.length); n >= MIN_HELD_NAME_BYTES; n--) {
        if (data.subarray(data.length - n).equals(this.renameFrom.subarray(0, n))) {
          held = n;
          break;
        }
      }
    }
    const keep = held > 0 ? [...data.subarray(data.length - held)] : [];
    data = data.subarray(0, data.length - held);
    this.outBuf = keep;
    if (keep.length > 0) this.outFirstAt = performance.now();
    if (data.length === 0) return;
    this.transmit(this.rename(data));
  }

  private show(c: number): void {
    if (this.tap && !this.tap(c)) return;
    if (this.capture) {
      this.capture.push(c);
      return;
    }
    // The wasm prints a bare \n where a board's cooked output sends \r\n.
    if (c === LF && this.lastOutByte !== CR) this.push(CR);
    this.lastOutByte = c;
    this.push(c);
  }

  private push(c: number): void {
    if (this.outBuf.length === 0) this.outFirstAt = performance.now();
    this.outBuf.push(c);
    // A line end goes out at once: a program that prints and then computes without
    // printing (`print("started")` then `while True: n += 1`) never returns to JS,
    // so nothing else would flush it, and the host would see nothing, unlike a
    // board whose UART sends the line while the program runs.
    if (c === LF || this.outBuf.length >= OUT_FLUSH_BYTES || performance.now() - this.outFirstAt >= OUT_FLUSH_MS) this.flush(false);
  }

  private transmit(data: Buffer): void {
    const { ctl } = this.channel;
    Atomics.add(ctl, CTL.TX_PENDING, data.length);
    this.channel.post({ type: 'out', data: new Uint8Array(data) });
    // A board's print blocks while its UART transmit buffer is full.
    for (;;) {
      const pending = Atomics.load(ctl, CTL.TX_PENDING);
      if (pending <= TX_BUFFER_BYTES || this.channel.stopRequested()) break;
      Atomics.wait(ctl, CTL.TX_PENDING, pending, IDLE_WAIT_MS);
    }
  }
}
