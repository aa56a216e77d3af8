/**
 * Who has the line. Engine operations take it exclusively, one at a time in
 * a queue; between them the board's bytes go to the terminal and keystrokes
 * come back from it. Keystrokes typed while an operation holds the line are
 * held and sent once the friendly REPL is back, since bytes in the middle of
 * a raw command would corrupt it.
 */
import type { Link } from '../../link/Link.js';
import { Emitter, type Disposable } from '../../util/disposable.js';
import { BoardError } from '../BoardError.js';
import { cancelledError } from './ByteReader.js';
import { bytesOf, concatBytes } from '../../util/bytes.js';
import type { RawReplTransport } from './RawReplTransport.js';
import { CTRL_C } from './replProtocol.js';

/** Held keystrokes beyond this while an operation runs are dropped (a stuck key must not grow memory). */
const HELD_TERMINAL_MAX_BYTES = 4096;
/** Carriage return and erase-line: the terminal's current line is redrawn as the board's prompt. */
const REDRAW_LINE = '\r\x1b[K';

export interface RunOptions {
  signal?: AbortSignal;
  /** Used in error messages: "while listing files". */
  label?: string;
}

export class LineArbiter {
  private readonly terminalEmitter = new Emitter<Uint8Array>();
  private readonly busyEmitter = new Emitter<boolean>();
  private readonly disposables: Disposable[] = [];
  private queueTail: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private active: { controller: AbortController; label: string } | undefined;
  private heldTerminal: Uint8Array[] = [];
  private heldTerminalBytes = 0;
  private closed = false;
  /** Set by leaveRaw(): the next release returns to the friendly REPL even when idleRepl is 'raw'. */
  private leaveOnRelease = false;

  /** Bytes from the board while no engine operation holds the line (for a terminal). */
  readonly onTerminalData = this.terminalEmitter.event;
  /** Fires true when an operation takes the line and false when the terminal has it back. */
  readonly onDidChangeBusy = this.busyEmitter.event;

  /**
   * `idleRepl`: where the board waits when the queue empties. 'friendly' gives
   * a terminal its prompt back; 'raw' stays in the raw REPL for a client with
   * no terminal between its operations (the CLI), which saves the Ctrl-B and
   * the interrupt ladder between one operation and the next.
   */
  constructor(
    link: Link,
    private readonly transport: RawReplTransport,
    private readonly idleRepl: 'friendly' | 'raw' = 'friendly',
  ) {
    this.disposables.push(
      link.onData((chunk) => {
        if (this.active) transport.reader.push(chunk);
        else this.terminalEmitter.fire(chunk);
      }),
      link.onClose((error) => {
        const lost = transport.markLost(error);
        this.active?.controller.abort(lost);
      }),
    );
  }

  /** True while an engine operation holds the line. */
  get busy(): boolean {
    return this.active !== undefined;
  }

  /** Hands bytes the board printed during an operation (boot text after a reset) to the terminal. */
  toTerminal(data: Uint8Array): void {
    if (data.length) this.terminalEmitter.fire(data);
  }

  /** Stops listening to the link and cancels the running operation. */
  dispose(): void {
    this.closed = true;
    this.active?.controller.abort(new BoardError('BUSY', 'The board session was closed.'));
    for (const d of this.disposables) d.dispose();
    this.terminalEmitter.dispose();
    this.busyEmitter.dispose();
  }

  /** Keystrokes from a terminal: sent now, or held (up to 4 KB) while an operation holds the line. */
  async writeTerminal(data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === 'string' ? bytesOf(data) : data;
    if (this.active) {
      if (this.heldTerminalBytes + bytes.length <= HELD_TERMINAL_MAX_BYTES) {
        this.heldTerminal.push(bytes);
        this.heldTerminalBytes += bytes.length;
      }
      return;
    }
    await this.transport.write(bytes);
  }

  /** Ctrl-C: cancels the running engine operation, or reaches the user's program in the terminal. */
  async interrupt(): Promise<void> {
    if (this.active) {
      this.active.controller.abort(new BoardError('CANCELLED', `Interrupted ${this.active.label}.`));
      return;
    }
    await this.transport.write(Uint8Array.of(CTRL_C));
  }

  /**
   * Runs `fn` with the line held exclusively. Operations queue and run one at
   * a time; the raw REPL stays entered between queued operations, and when
   * the queue empties the board returns to the friendly REPL so the terminal
   * gets its prompt back.
   */
  runExclusive<T>(fn: (signal: AbortSignal) => Promise<T>, opts: RunOptions): Promise<T> {
    const label = opts.label ?? 'the board operation';
    this.waiting++;
    const result = this.queueTail.then(async () => {
      this.waiting--;
      if (this.closed) throw new BoardError('BUSY', 'The board session was closed.');
      if (this.transport.lost) throw this.transport.lost;
      if (opts.signal?.aborted) throw cancelledError(opts.signal);
      const controller = new AbortController();
      const signal = opts.signal ? AbortSignal.any([opts.signal, controller.signal]) : controller.signal;
      this.active = { controller, label };
      this.busyEmitter.fire(true);
      // Whatever the board printed before we took the line belongs to the terminal.
      this.transport.reader.clear();
      try {
        return await fn(signal);
      } finally {
        await this.release();
      }
    });
    this.queueTail = result.catch(() => undefined);
    return result;
  }

  /** Returns the board to the friendly REPL (with idleRepl 'raw', before a terminal takes over); its prompt goes to the terminal. */
  async leaveRaw(): Promise<void> {
    await this.runExclusive(async () => {
      this.leaveOnRelease = true;
    }, { label: 'returning to the friendly REPL' });
  }

  private async release(): Promise<void> {
    if (this.waiting > 0) {
      this.active = undefined;
      return;
    }
    const transport = this.transport;
    const leave = (this.idleRepl === 'friendly' || this.leaveOnRelease) && transport.state === 'raw' && !transport.lost && !this.closed;
    this.leaveOnRelease = false;
    const promptForTerminal = leave ? await transport.leaveRaw() : undefined;
    this.active = undefined;
    // Redraw the terminal's current line as the board's prompt: the operation's Ctrl-C cleared
    // whatever half-typed line the board had, so the terminal must not keep showing it.
    if (promptForTerminal?.length) this.terminalEmitter.fire(concatBytes([bytesOf(REDRAW_LINE), promptForTerminal]));
    const held = this.heldTerminal;
    this.heldTerminal = [];
    this.heldTerminalBytes = 0;
    this.busyEmitter.fire(false);
    if (held.length && !transport.lost) {
      await transport.write(concatBytes(held)).catch(() => undefined);
    }
  }
}
