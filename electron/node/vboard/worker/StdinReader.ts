/**
 * The interpreter's stdin is the board's UART: reads block until the host
 * sends a byte, and poll() says readable only when one is waiting.
 */
import type { RxRing } from '../RxRing.js';
import type { WasmMemory } from '../wasm/wasmApi.js';
import type { BoardWaiter } from './BoardWaiter.js';

/** poll() event bits (emscripten's, the same as Linux's). */
const POLLIN = 0x1;
const POLLOUT = 0x4;
/** struct pollfd: int fd, short events, short revents. */
const POLLFD_BYTES = 8;
const POLLFD_EVENTS_OFFSET = 4;
const POLLFD_REVENTS_OFFSET = 6;
const STDIN_FD = 0;

/** Thrown out of readByte when a Ctrl-C ends a read; the device layer turns it into EIO (then EINTR, see wasmImports' fd_read). */
const READ_INTERRUPTED = new Error('stdin read interrupted by a KeyboardInterrupt');

export class StdinReader {
  constructor(
    private readonly ring: RxRing,
    private readonly waiter: BoardWaiter,
  ) {}

  /** sys.stdin reads land here: block until the host sends a byte, as a board's UART read does. */
  readByte(): number {
    if (this.waiter.waitUntil(Infinity, () => this.ring.used() > 0) === 'interrupted') throw READ_INTERRUPTED;
    return this.ring.take();
  }

  /**
   * Corrects a poll() result for stdin, which emscripten calls always ready:
   * readable only when a byte is waiting. `result` is what the real poll
   * returned; `memory` holds the pollfd array (undefined: not instantiated yet).
   */
  poll(memory: WasmMemory | undefined, result: number, fds: number, nfds: number): number {
    if (result < 0 || !memory) return result;
    const view = new DataView(memory.buffer);
    let ready = 0;
    for (let i = 0; i < nfds; i++) {
      const entry = fds + POLLFD_BYTES * i;
      if (view.getInt32(entry, true) === STDIN_FD) {
        const events = view.getInt16(entry + POLLFD_EVENTS_OFFSET, true);
        const revents = (events & POLLOUT) | (this.ring.used() > 0 ? events & POLLIN : 0);
        view.setInt16(entry + POLLFD_REVENTS_OFFSET, revents, true);
      }
      if (view.getInt16(entry + POLLFD_REVENTS_OFFSET, true) !== 0) ready++;
    }
    return ready;
  }
}
