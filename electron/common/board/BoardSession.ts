/**
 * BoardSession: the MicroPython REPL protocol over any Link, shaped like
 * mpremote's Transport. Everything above it (probe, file operations) is built
 * on `exec` and `eval` inside `run()`, which takes the line exclusively, one
 * operation at a time. While no operation runs, the board's bytes go to the
 * terminal (`onTerminalData`) and keystrokes come back through `writeTerminal`.
 */
import type { Link } from '../link/Link.js';
import { LinkError } from '../link/Link.js';
import { Emitter, type Disposable } from '../util/disposable.js';
import { BoardError, BoardExecError } from './BoardError.js';
import { describeBytes } from '../util/bytes.js';
import { sleep as pause } from '../util/sleep.js';
import { ByteReader, bytesOf, cancelledError, concatBytes } from './ByteReader.js';
import { probeBoard, type BoardInfo } from './BoardProbe.js';
import { pasteModeInput } from './pasteMode.js';

// Control bytes of the MicroPython REPL (docs/reference/repl.rst).
/** Ctrl-A: enter the raw REPL (at a raw prompt: re-print the raw banner). */
export const CTRL_A = 0x01;
/** Ctrl-B: leave the raw REPL for the friendly one, which prints its banner and prompt. */
export const CTRL_B = 0x02;
/** Ctrl-C: KeyboardInterrupt in a running program (unless kbd_intr(-1) turned it off). */
export const CTRL_C = 0x03;
/** Ctrl-D: end of a raw command; on an empty command (or friendly prompt) a soft reset. */
export const CTRL_D = 0x04;
/** Ctrl-E: with `A\x01` after it at the raw prompt, asks for raw-paste mode. */
export const CTRL_E = 0x05;

/** What the board prints on entering (or re-entering) the raw REPL. */
export const RAW_REPL_BANNER = 'raw REPL; CTRL-B to exit\r\n';
export const RAW_REPL_PROMPT = '>';
/** Raw-paste request and its answers. */
export const RAW_PASTE_REQUEST = '\x05A\x01';
export const RAW_PASTE_SUPPORTED = 'R\x01';
export const RAW_PASTE_REFUSED = 'R\x00';
/** The soft-reset banners of several firmware generations, newest first. */
export const SOFT_REBOOT_BANNERS = ['MPY: soft reboot', 'soft reboot'] as const;
/** The last line of the banner the friendly REPL prints on Ctrl-B, before its prompt. */
export const FRIENDLY_BANNER_END = 'for more information.\r\n';
/** What every soft-reboot banner above contains. */
const SOFT_REBOOT_MARK = 'soft reboot';

export interface BoardTiming {
  /** After Ctrl-C, output must pause this long before we ask for the raw REPL. */
  INTERRUPT_QUIET_MS: number;
  /** ...but a program printing without pause is not waited for longer than this. */
  INTERRUPT_SETTLE_MAX_MS: number;
  /** How many Ctrl-C bytes each rung of the interrupt ladder sends. */
  INTERRUPT_LADDER: readonly number[];
  /** Per rung: how long the raw REPL banner may take after `\r\x01`. */
  RAW_ENTER_TIMEOUT_MS: number;
  /** The answer to a raw-paste request. */
  RAW_PASTE_REPLY_TIMEOUT_MS: number;
  /** A flow-control `\x01` while raw-paste waits for window. */
  RAW_PASTE_FLOW_TIMEOUT_MS: number;
  /** `OK` after a plain raw command, or the compile ack after raw-paste. */
  COMMAND_ACK_TIMEOUT_MS: number;
  /** Plain raw mode: bytes per paced write, kept small for a 64-byte UART buffer (1.9-era boards). */
  RAW_CHUNK_BYTES: number;
  /** Plain raw mode: pause between paced writes. */
  RAW_CHUNK_INTERVAL_MS: number;
  /** How long a program may run in `exec` unless the caller says otherwise. */
  EXEC_TIMEOUT_MS: number;
  /** Traceback and prompt after the program's stdout ended. */
  EXEC_TAIL_TIMEOUT_MS: number;
  /** After a cancel, a program that was told to stop may end by itself within this, before we Ctrl-C it. */
  RECOVER_GRACE_MS: number;
  /** After we Ctrl-C a program that ran too long, its framing must finish within this. */
  RECOVER_TIMEOUT_MS: number;
  /** boot.py and the banner after a soft reset. */
  SOFT_RESET_TIMEOUT_MS: number;
  /** Soft reset with main.py: how long output is gathered once it pauses this long. */
  SOFT_RESET_MAIN_QUIET_MS: number;
  SOFT_RESET_MAIN_MAX_MS: number;
  /** After Ctrl-B, the friendly REPL's banner must end within this (else what came is handed on as is). */
  FRIENDLY_BANNER_TIMEOUT_MS: number;
  /** ...and the prompt that follows it is complete once output pauses this long. */
  FRIENDLY_PROMPT_QUIET_MS: number;
  /** RTS held asserted this long to reset an ESP-style board (esptool uses 100 ms). */
  HARD_RESET_PULSE_MS: number;
  /** A reset board prints something within this; silence means the link has no modem lines. */
  HARD_RESET_EVIDENCE_MS: number;
}

export const DEFAULT_BOARD_TIMING: BoardTiming = {
  INTERRUPT_QUIET_MS: 60,
  INTERRUPT_SETTLE_MAX_MS: 400,
  INTERRUPT_LADDER: [1, 2, 3, 5],
  RAW_ENTER_TIMEOUT_MS: 700,
  RAW_PASTE_REPLY_TIMEOUT_MS: 1000,
  RAW_PASTE_FLOW_TIMEOUT_MS: 3000,
  COMMAND_ACK_TIMEOUT_MS: 3000,
  RAW_CHUNK_BYTES: 48,
  RAW_CHUNK_INTERVAL_MS: 10,
  EXEC_TIMEOUT_MS: 10_000,
  EXEC_TAIL_TIMEOUT_MS: 2000,
  RECOVER_GRACE_MS: 300,
  RECOVER_TIMEOUT_MS: 2000,
  SOFT_RESET_TIMEOUT_MS: 10_000,
  SOFT_RESET_MAIN_QUIET_MS: 300,
  SOFT_RESET_MAIN_MAX_MS: 3000,
  FRIENDLY_BANNER_TIMEOUT_MS: 1000,
  FRIENDLY_PROMPT_QUIET_MS: 20,
  HARD_RESET_PULSE_MS: 100,
  HARD_RESET_EVIDENCE_MS: 1500,
};

/** Held keystrokes beyond this while an operation runs are dropped (a stuck key must not grow memory). */
const HELD_TERMINAL_MAX_BYTES = 4096;

export interface BoardSessionOptions {
  timing?: Partial<BoardTiming>;
  /** 'never' skips raw-paste (for links where it is known to break, e.g. some USB-Serial-JTAG boards). */
  rawPaste?: 'auto' | 'never';
  /** Namespaced debug output; never the console. */
  debug?: (message: string) => void;
}

export interface ExecOptions {
  onStdout?: (text: string) => void;
  onStderr?: (text: string) => void;
  signal?: AbortSignal;
  /** How long the program may run (default EXEC_TIMEOUT_MS); it is interrupted with Ctrl-C after that. */
  timeoutMs?: number;
  /**
   * False for clean-up commands that must run even after the operation was
   * cancelled (removing a half-written temp file); only `signal` and the
   * timeouts can stop them then.
   */
  cancellable?: boolean;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
}

/** The running program's stdin and stdout, for protocols where the host and the board take turns. */
export interface ProgramIO {
  write(data: Uint8Array): Promise<void>;
  /**
   * Reads exactly `n` bytes of the program's stdout. If the program ends first
   * the exec fails with its traceback (BoardExecError) or a PROTOCOL error.
   */
  read(n: number, opts: { timeoutMs: number; signal?: AbortSignal | undefined; what: string }): Promise<Uint8Array>;
}

/** What `run()` hands its callback: the raw REPL, held exclusively until the callback settles. */
export interface RawRepl {
  /** The operation's signal (the caller's, plus `interrupt()`). */
  readonly signal: AbortSignal;
  exec(code: string, opts?: ExecOptions): Promise<ExecResult>;
  /** `print(expr)` on the board; returns the printed text without the line end. */
  eval(expr: string, opts?: ExecOptions): Promise<string>;
  /** Runs `code` and lets `interact` talk to it through stdin/stdout before the output framing is read. */
  execInteractive<T>(code: string, interact: (io: ProgramIO) => Promise<T>, opts?: ExecOptions): Promise<T>;
  /** Ctrl-D at the raw prompt; returns what boot.py printed. */
  softReset(): Promise<string>;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Used in error messages: "while listing files". */
  label?: string;
}

type ReplState = 'unknown' | 'friendly' | 'raw';

/** Thrown inside ProgramIO.read when the program's stdout ends; turned into the real error by execInteractive. */
class ProgramEnded extends Error {}

/** An abortable pause whose cancellation reads as the engine's CANCELLED error. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return pause(ms, signal).catch(() => {
    throw cancelledError(signal);
  });
}

/** Largest end <= `end` that does not cut a UTF-8 sequence (Thonny's rule for paced raw writes). */
function utf8Boundary(data: Uint8Array, start: number, end: number): number {
  if (end >= data.length) return data.length;
  let e = end;
  while (e > start + 1 && (data[e]! & 0xc0) === 0x80) e--;
  return e;
}

function isBoardError(err: unknown, ...codes: BoardError['code'][]): err is BoardError {
  return err instanceof BoardError && (codes.length === 0 || codes.includes(err.code));
}

export class BoardSession {
  readonly timing: BoardTiming;
  private readonly reader = new ByteReader();
  private readonly terminalEmitter = new Emitter<Uint8Array>();
  private readonly busyEmitter = new Emitter<boolean>();
  private readonly disposables: Disposable[] = [];
  private state: ReplState = 'unknown';
  private rawPaste: boolean | undefined;
  private rawPasteWindowBytes = 0;
  private queueTail: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private active: { controller: AbortController; label: string } | undefined;
  private heldTerminal: Uint8Array[] = [];
  private heldTerminalBytes = 0;
  private lost: BoardError | undefined;
  private closed = false;
  private boardInfo: BoardInfo | undefined;

  /** Bytes from the board while no engine operation holds the line (for a terminal). */
  readonly onTerminalData = this.terminalEmitter.event;
  /** Fires true when an operation takes the line and false when the terminal has it back. */
  readonly onDidChangeBusy = this.busyEmitter.event;

  constructor(
    readonly link: Link,
    private readonly options: BoardSessionOptions = {},
  ) {
    this.timing = { ...DEFAULT_BOARD_TIMING, ...options.timing };
    if (options.rawPaste === 'never') this.rawPaste = false;
    this.disposables.push(
      link.onData((chunk) => {
        if (this.active) this.reader.push(chunk);
        else this.terminalEmitter.fire(chunk);
      }),
      link.onClose((error) => {
        // The link's own message already says what happened and what to do.
        this.lost = new BoardError('LINK_LOST', error ? error.message : 'The connection to the board was closed.', { cause: error });
        this.reader.fail(this.lost);
        this.active?.controller.abort(this.lost);
      }),
    );
  }

  /** True while an engine operation holds the line. */
  get busy(): boolean {
    return this.active !== undefined;
  }

  /** Whether raw-paste works on this board; undefined until the first command tried it. */
  get rawPasteSupported(): boolean | undefined {
    return this.rawPaste;
  }

  /** The result of the last `probe()`. */
  get info(): BoardInfo | undefined {
    return this.boardInfo;
  }

  private debug(message: string): void {
    this.options.debug?.(message);
  }

  /** Stops listening to the link (the link itself stays open; its owner closes it). */
  dispose(): void {
    this.closed = true;
    this.active?.controller.abort(new BoardError('BUSY', 'The board session was closed.'));
    for (const d of this.disposables) d.dispose();
    this.terminalEmitter.dispose();
    this.busyEmitter.dispose();
  }

  // ---- terminal passthrough -------------------------------------------------

  /**
   * Keystrokes from a terminal. While an operation holds the line they are
   * held (up to 4 KB) and sent when the friendly REPL is back, since bytes in
   * the middle of a raw command would corrupt it.
   */
  async writeTerminal(data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === 'string' ? bytesOf(data) : data;
    if (this.active) {
      if (this.heldTerminalBytes + bytes.length <= HELD_TERMINAL_MAX_BYTES) {
        this.heldTerminal.push(bytes);
        this.heldTerminalBytes += bytes.length;
      }
      return;
    }
    await this.write(bytes);
  }

  /** Pastes text into the friendly REPL: several lines go through paste mode (see pasteMode.ts). */
  async paste(text: string): Promise<void> {
    await this.writeTerminal(pasteModeInput(text));
  }

  /**
   * Ctrl-C: cancels the running engine operation (it stops its program and
   * frees the line), or interrupts the user's program running in the terminal.
   */
  async interrupt(): Promise<void> {
    if (this.active) {
      this.active.controller.abort(new BoardError('CANCELLED', `Interrupted ${this.active.label}.`));
      return;
    }
    await this.write(Uint8Array.of(CTRL_C));
  }

  // ---- the operation queue ---------------------------------------------------

  /**
   * Runs `fn` with the raw REPL held exclusively. Operations queue and run one
   * at a time; the raw REPL stays entered between queued operations, and when
   * the queue empties the board returns to the friendly REPL (`\r\x02`) so the
   * terminal gets its prompt back.
   */
  run<T>(fn: (repl: RawRepl) => Promise<T>, opts: RunOptions = {}): Promise<T> {
    return this.runExclusive(async (signal) => {
      await this.ensureRaw(signal);
      return fn(this.makeRepl(signal));
    }, opts);
  }

  private runExclusive<T>(fn: (signal: AbortSignal) => Promise<T>, opts: RunOptions): Promise<T> {
    const label = opts.label ?? 'the board operation';
    this.waiting++;
    const result = this.queueTail.then(async () => {
      this.waiting--;
      if (this.closed) throw new BoardError('BUSY', 'The board session was closed.');
      if (this.lost) throw this.lost;
      if (opts.signal?.aborted) throw cancelledError(opts.signal);
      const controller = new AbortController();
      const signal = opts.signal ? AbortSignal.any([opts.signal, controller.signal]) : controller.signal;
      this.active = { controller, label };
      this.busyEmitter.fire(true);
      // Whatever the board printed before we took the line belongs to the terminal.
      this.reader.clear();
      try {
        return await fn(signal);
      } finally {
        await this.release();
      }
    });
    this.queueTail = result.catch(() => undefined);
    return result;
  }

  private async release(): Promise<void> {
    if (this.waiting === 0) {
      let promptForTerminal: Uint8Array | undefined;
      if (this.state === 'raw' && !this.lost && !this.closed) {
        try {
          await this.write(bytesOf('\r\x02'));
          this.state = 'friendly';
          promptForTerminal = await this.readFriendlyPrompt();
        } catch {
          this.state = 'unknown';
        }
      }
      this.active = undefined;
      // Redraw the terminal's current line as the board's prompt: the operation's Ctrl-C cleared
      // whatever half-typed line the board had, so the terminal must not keep showing it.
      if (promptForTerminal?.length) this.terminalEmitter.fire(concatBytes([bytesOf('\r\x1b[K'), promptForTerminal]));
      const held = this.heldTerminal;
      this.heldTerminal = [];
      this.heldTerminalBytes = 0;
      this.busyEmitter.fire(false);
      if (held.length && !this.lost) {
        await this.write(concatBytes(held)).catch(() => undefined);
      }
    } else {
      this.active = undefined;
    }
  }

  /**
   * Ctrl-B answers with the whole banner ("MicroPython v1.x on ...", "Type
   * "help()" ...") before the prompt. Printed after every file operation it
   * buried the user's REPL in banners, so it is swallowed here and only what
   * follows it (the prompt) goes to the terminal. A board that answers
   * differently loses nothing: everything read is handed on.
   */
  private async readFriendlyPrompt(): Promise<Uint8Array> {
    const marker = bytesOf(FRIENDLY_BANNER_END);
    try {
      await this.reader.readUntil(marker, { timeoutMs: this.timing.FRIENDLY_BANNER_TIMEOUT_MS, timeoutMessage: 'no banner' });
    } catch (err) {
      if (!isBoardError(err, 'TIMEOUT', 'PROTOCOL')) throw err;
    }
    return this.reader.settle(this.timing.FRIENDLY_PROMPT_QUIET_MS, this.timing.INTERRUPT_SETTLE_MAX_MS);
  }

  // ---- conveniences over run() ----------------------------------------------

  exec(code: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.run((repl) => repl.exec(code, opts), { signal: opts.signal, label: 'running code on the board' });
  }

  eval(expr: string, opts: ExecOptions = {}): Promise<string> {
    return this.run((repl) => repl.eval(expr, opts), { signal: opts.signal, label: 'evaluating on the board' });
  }

  /** Finds out what the board is and can do; the file operations choose their strategies from this. */
  async probe(opts: RunOptions = {}): Promise<BoardInfo> {
    const info = await this.run((repl) => probeBoard(repl), { ...opts, label: opts.label ?? 'probing the board' });
    info.rawPaste = this.rawPaste === true;
    this.boardInfo = info;
    return info;
  }

  /**
   * Soft reset. By default from the raw REPL: boot.py runs (main.py does not)
   * and its output is returned. With `runMain`, from the friendly REPL: main.py
   * runs too and its output also goes to the terminal.
   */
  softReset(opts: RunOptions & { runMain?: boolean } = {}): Promise<string> {
    if (!opts.runMain) return this.run((repl) => repl.softReset(), { ...opts, label: opts.label ?? 'soft-resetting the board' });
    return this.runExclusive(async (signal) => {
      await this.ensureRaw(signal);
      this.reader.clear();
      // Leave raw mode (friendly banner + prompt), then Ctrl-D at the empty friendly prompt.
      await this.write(bytesOf('\r\x02'));
      await sleep(this.timing.INTERRUPT_QUIET_MS, signal);
      this.reader.clear();
      this.state = 'unknown';
      await this.write(Uint8Array.of(CTRL_D));
      // The quiet window starts at the soft-reboot banner, not at Ctrl-D: a board that takes
      // a moment to restart (the virtual board starts a fresh interpreter, ~0.3 s) would
      // otherwise look quiet and main.py's output would be cut off.
      const mark = bytesOf(SOFT_REBOOT_MARK);
      let out: Uint8Array;
      try {
        const head = await this.reader.readUntil(mark, {
          timeoutMs: this.timing.SOFT_RESET_TIMEOUT_MS,
          signal,
          timeoutMessage: 'The board did not print its soft-reboot banner.',
        });
        const rest = await this.reader.settle(this.timing.SOFT_RESET_MAIN_QUIET_MS, this.timing.SOFT_RESET_MAIN_MAX_MS, signal);
        out = concatBytes([head, mark, rest]);
      } catch (err) {
        if (!isBoardError(err, 'TIMEOUT')) throw err;
        out = this.reader.take();
      }
      if (out.length) this.terminalEmitter.fire(out);
      this.state = 'friendly';
      return stripSoftRebootBanner(new TextDecoder().decode(out));
    }, { ...opts, label: opts.label ?? 'soft-resetting the board' });
  }

  /**
   * Hard reset. 'signals' pulses RTS with DTR released (EN low on ESP-style
   * boards, as esptool does); 'machine' runs machine.reset(); 'auto' pulses and
   * falls back to machine.reset() when the board stays silent (links without
   * modem lines, USB-CDC boards). Returns the method that was used.
   */
  hardReset(opts: RunOptions & { method?: 'auto' | 'signals' | 'machine' } = {}): Promise<'signals' | 'machine'> {
    const method = opts.method ?? 'auto';
    return this.runExclusive(async (signal) => {
      if (method === 'signals' || (method === 'auto' && this.link.supportsSignals !== false)) {
        this.reader.clear();
        await this.setSignals({ dtr: false, rts: true });
        await sleep(this.timing.HARD_RESET_PULSE_MS, signal).finally(() => this.setSignals({ dtr: false, rts: false }));
        this.state = 'unknown';
        if (method === 'signals') return 'signals';
        const spoke = await this.reader
          .wait(() => (this.reader.available > 0 ? true : undefined), {
            timeoutMs: this.timing.HARD_RESET_EVIDENCE_MS,
            signal,
            timeoutMessage: 'silent',
          })
          .catch((err: unknown) => {
            if (isBoardError(err, 'TIMEOUT')) return false;
            throw err;
          });
        if (spoke) {
          // Let the boot text arrive, then hand it to the terminal.
          const boot = await this.reader.settle(this.timing.INTERRUPT_QUIET_MS, this.timing.INTERRUPT_SETTLE_MAX_MS, signal);
          if (boot.length) this.terminalEmitter.fire(boot);
          return 'signals';
        }
        this.debug('hard reset: no output after the RTS pulse, falling back to machine.reset()');
      }
      await this.ensureRaw(signal);
      try {
        await this.sendCommand('import machine\nmachine.reset()\n', signal);
      } catch (err) {
        // A board can reset before its "compiled, running" ack leaves the UART (the FIFO is lost with
        // the reset), so boot text where the ack should be means the reset worked.
        if (!isBoardError(err, 'PROTOCOL', 'TIMEOUT')) throw err;
        this.state = 'unknown';
        const boot = await this.reader.settle(this.timing.INTERRUPT_QUIET_MS, this.timing.INTERRUPT_SETTLE_MAX_MS, signal);
        if (boot.length) this.terminalEmitter.fire(boot);
        return 'machine';
      }
      this.state = 'unknown';
      // A board that resets never finishes the framing; one that cannot reset prints a traceback.
      try {
        const stdout = await this.reader.readUntil(Uint8Array.of(CTRL_D), {
          timeoutMs: this.timing.HARD_RESET_EVIDENCE_MS,
          signal,
          timeoutMessage: 'resetting',
        });
        const stderr = await this.reader.readUntil(Uint8Array.of(CTRL_D), {
          timeoutMs: this.timing.EXEC_TAIL_TIMEOUT_MS,
          signal,
          timeoutMessage: 'resetting',
        });
        await this.readPrompt(signal);
        if (stderr.length) {
          const text = new TextDecoder().decode(stderr);
          throw new BoardError('UNSUPPORTED', `This board cannot be reset from the host: machine.reset() failed (${text.trim().split('\n').pop() ?? ''}). Press its reset button.`, {
            cause: new BoardExecError(text, new TextDecoder().decode(stdout)),
          });
        }
      } catch (err) {
        if (isBoardError(err, 'TIMEOUT')) return 'machine';
        throw err;
      }
      return 'machine';
    }, { ...opts, label: opts.label ?? 'resetting the board' });
  }

  // ---- link helpers ---------------------------------------------------------

  private async write(data: Uint8Array): Promise<void> {
    if (this.lost) throw this.lost;
    try {
      await this.link.write(data);
    } catch (err) {
      if (err instanceof LinkError) {
        throw new BoardError('LINK_LOST', `Could not send to the board: ${err.message}`, { cause: err });
      }
      throw err;
    }
  }

  private async setSignals(signals: { dtr: boolean; rts: boolean }): Promise<void> {
    try {
      await this.link.setSignals(signals);
    } catch (err) {
      throw new BoardError('LINK_LOST', `Could not set the serial lines: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  // ---- raw REPL ------------------------------------------------------------

  private async ensureRaw(signal: AbortSignal): Promise<void> {
    if (this.state !== 'raw') await this.enterRaw(signal);
  }

  /**
   * The interrupt ladder: `\r` + 1, 2, 3, 5 Ctrl-C, each followed by a pause
   * for the output to stop and `\r\x01`, until the raw banner appears. Several
   * Ctrl-Cs get through a main.py that catches KeyboardInterrupt once; the
   * pause lets a program that prints without end be drained. Everything
   * before the banner (a `\x00` after reset, soft-reboot text, any custom
   * prompt) is discarded, so no particular prompt is assumed.
   */
  private async enterRaw(signal: AbortSignal): Promise<void> {
    const t = this.timing;
    const started = Date.now();
    const banner = bytesOf(RAW_REPL_BANNER + RAW_REPL_PROMPT);
    let lastSeen: Uint8Array = new Uint8Array(0);
    for (const ctrlCs of t.INTERRUPT_LADDER) {
      await this.write(bytesOf('\r' + '\x03'.repeat(ctrlCs)));
      const drained = await this.reader.settle(t.INTERRUPT_QUIET_MS, t.INTERRUPT_SETTLE_MAX_MS, signal);
      if (drained.length) lastSeen = drained;
      await this.write(bytesOf('\r\x01'));
      try {
        await this.reader.readUntil(banner, { timeoutMs: t.RAW_ENTER_TIMEOUT_MS, signal, timeoutMessage: 'no banner' });
        this.state = 'raw';
        this.debug(`raw REPL entered after ${ctrlCs} Ctrl-C`);
        return;
      } catch (err) {
        if (!isBoardError(err, 'TIMEOUT')) throw err;
        const pending = this.reader.peek();
        if (pending.length) lastSeen = pending.slice();
      }
    }
    this.state = 'unknown';
    const secs = Math.max(1, Math.round((Date.now() - started) / 1000));
    const heard = lastSeen.length ? ` Last output: "${describeBytes(lastSeen.subarray(Math.max(0, lastSeen.length - 60)))}".` : ' It sent nothing at all.';
    throw new BoardError(
      'NO_PROMPT',
      `The board did not answer Ctrl-C within ${secs} s. Is another program using it, or is it in the bootloader? Press the board's reset button and try again.${heard}`,
    );
  }

  /** Reads the `>` that ends every raw command; anything else means we lost step. */
  private async readPrompt(signal?: AbortSignal): Promise<void> {
    const b = await this.reader.readExactly(1, {
      timeoutMs: this.timing.EXEC_TAIL_TIMEOUT_MS,
      signal,
      timeoutMessage: 'The board did not return to the raw REPL prompt after running code. Press its reset button and try again.',
    });
    if (b[0] !== RAW_REPL_PROMPT.charCodeAt(0)) {
      this.state = 'unknown';
      throw new BoardError('PROTOCOL', `Expected the raw REPL prompt ">" after the command, got "${describeBytes(b)}".`);
    }
  }

  /**
   * Sends a command and waits until the board has accepted it (raw-paste's
   * compile ack, or plain raw's `OK`). Uploads are not cancellable half-way:
   * a truncated command could run as partial code. Returns once the program runs.
   */
  private async sendCommand(code: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw cancelledError(signal);
    const data = bytesOf(code);
    // Stale bytes (a late duplicate banner, echo) must not be read as the answer.
    this.reader.clear();
    if (this.rawPaste !== false) {
      const sent = await this.tryRawPaste(data, signal);
      if (sent) return;
    }
    await this.sendPlainRaw(data);
  }

  /** Returns false when the board has no raw-paste (remembered for this session). */
  private async tryRawPaste(data: Uint8Array, signal: AbortSignal): Promise<boolean> {
    const t = this.timing;
    await this.write(bytesOf(RAW_PASTE_REQUEST));
    let reply: Uint8Array;
    try {
      reply = await this.reader.readExactly(2, {
        timeoutMs: t.RAW_PASTE_REPLY_TIMEOUT_MS,
        timeoutMessage: 'The board did not answer the raw-paste request.',
      });
    } catch (err) {
      if (!isBoardError(err, 'TIMEOUT')) throw err;
      // Some USB-Serial-JTAG boards stall here: fall back to plain raw mode for good.
      this.debug('raw-paste: no answer, using plain raw mode from now on');
      this.rawPaste = false;
      this.state = 'unknown';
      await this.enterRaw(signal);
      return false;
    }
    const r = String.fromCharCode(...reply);
    if (r === RAW_PASTE_SUPPORTED) {
      const w = await this.reader.readExactly(2, { timeoutMs: t.RAW_PASTE_REPLY_TIMEOUT_MS, timeoutMessage: 'The board did not send its raw-paste window size.' });
      const window = w[0]! | (w[1]! << 8);
      if (window === 0) throw new BoardError('PROTOCOL', 'The board offered a raw-paste window of 0 bytes.');
      this.rawPaste = true;
      this.rawPasteWindowBytes = window;
      await this.rawPasteWrite(data, window);
      return true;
    }
    this.rawPaste = false;
    if (r === RAW_PASTE_REFUSED) {
      this.debug('raw-paste refused by the board (R\\x00)');
      return false;
    }
    // Old firmware ignores \x05A and re-enters raw mode on \x01: the banner again ("ra" + "w REPL...").
    this.debug(`raw-paste unknown to the board (answered "${describeBytes(reply)}")`);
    await this.reader.readUntil(bytesOf(RAW_REPL_BANNER.slice(2) + RAW_REPL_PROMPT), {
      timeoutMs: t.RAW_PASTE_REPLY_TIMEOUT_MS,
      maxBytes: 256,
      timeoutMessage: 'The board answered the raw-paste request with neither raw-paste nor the raw REPL banner.',
    });
    return false;
  }

  /**
   * Raw-paste upload: the window size already granted one window; each `\x01`
   * from the board grants another; a `\x04` from the board means it stopped
   * reading (e.g. a syntax error), which we acknowledge with `\x04`.
   */
  private async rawPasteWrite(data: Uint8Array, window: number): Promise<void> {
    const t = this.timing;
    let remain = window;
    let offset = 0;
    while (offset < data.length) {
      while (remain === 0 || this.reader.available > 0) {
        const b = await this.reader.readExactly(1, {
          timeoutMs: t.RAW_PASTE_FLOW_TIMEOUT_MS,
          timeoutMessage: `The board stopped granting raw-paste window after ${offset} of ${data.length} bytes.`,
        });
        if (b[0] === CTRL_A) remain += window;
        else if (b[0] === CTRL_D) {
          // The board aborted reception; its error follows in the normal framing.
          await this.write(Uint8Array.of(CTRL_D));
          return;
        } else {
          this.state = 'unknown';
          throw new BoardError('PROTOCOL', `Unexpected byte during raw-paste upload: "${describeBytes(b)}".`);
        }
      }
      const n = Math.min(remain, data.length - offset);
      await this.write(data.subarray(offset, offset + n));
      offset += n;
      remain -= n;
    }
    await this.write(Uint8Array.of(CTRL_D));
    // Until the compile ack the board may still send flow-control bytes; skip them.
    await this.reader.wait(
      () => {
        while (this.reader.available > 0) {
          const b = this.reader.take(1)[0];
          if (b === CTRL_D) return true;
          if (b !== CTRL_A) {
            this.state = 'unknown';
            throw new BoardError('PROTOCOL', `Unexpected byte after a raw-paste upload: "${describeBytes(Uint8Array.of(b ?? 0))}".`);
          }
        }
        return undefined;
      },
      { timeoutMs: t.COMMAND_ACK_TIMEOUT_MS, timeoutMessage: 'The board did not confirm the end of the raw-paste upload.' },
    );
  }

  /**
   * Plain raw mode: paced writes that never cut a UTF-8 character, so a board
   * with a 64-byte receive buffer is not overrun; then `\x04` and `OK`.
   */
  private async sendPlainRaw(data: Uint8Array): Promise<void> {
    const t = this.timing;
    for (let off = 0; off < data.length; ) {
      const end = utf8Boundary(data, off, off + t.RAW_CHUNK_BYTES);
      await this.write(data.subarray(off, end));
      off = end;
      if (off < data.length) await sleep(t.RAW_CHUNK_INTERVAL_MS);
    }
    await this.write(Uint8Array.of(CTRL_D));
    // Tolerate a repeated raw banner before OK (a late answer to an earlier \x01).
    const before = await this.reader.readUntil(bytesOf('OK'), {
      timeoutMs: t.COMMAND_ACK_TIMEOUT_MS,
      maxBytes: 512,
      timeoutMessage: 'The board did not acknowledge the command (no "OK" from the raw REPL). Press its reset button and try again.',
    });
    if (before.length) this.debug(`skipped before OK: ${describeBytes(before)}`);
  }

  // ---- exec -----------------------------------------------------------------

  private makeRepl(signal: AbortSignal): RawRepl {
    const repl: RawRepl = {
      signal,
      exec: (code, opts = {}) => this.execCore(code, opts, signal, undefined).then((r) => r.result),
      eval: async (expr, opts = {}) => {
        const { stdout } = await repl.exec(`print(${expr})`, opts);
        return stdout.replace(/\r?\n$/, '');
      },
      execInteractive: async (code, interact, opts = {}) => {
        const r = await this.execCore(code, opts, signal, interact);
        return r.value as Awaited<ReturnType<typeof interact>>;
      },
      softReset: () => this.softResetRaw(signal),
    };
    return repl;
  }

  private async execCore(
    code: string,
    opts: ExecOptions,
    runSignal: AbortSignal,
    interact: ((io: ProgramIO) => Promise<unknown>) | undefined,
  ): Promise<{ result: ExecResult; value: unknown }> {
    const base = opts.cancellable === false ? new AbortController().signal : runSignal;
    const signal = opts.signal ? AbortSignal.any([base, opts.signal]) : base;
    if (this.state !== 'raw') await this.enterRaw(signal);
    await this.sendCommand(code, signal);

    const timeoutMs = opts.timeoutMs ?? this.timing.EXEC_TIMEOUT_MS;
    const outDecoder = new TextDecoder();
    const errDecoder = new TextDecoder();
    let stdout = '';
    let stdoutEnded = false;
    let endedEarly = false;
    let value: unknown;

    const io: ProgramIO = {
      write: (data) => this.write(data),
      read: (n, o) =>
        this.reader.wait(
          () => {
            const data = this.reader.peek();
            const end = data.subarray(0, n).indexOf(CTRL_D);
            if (end >= 0) {
              stdout += outDecoder.decode(this.reader.take(end), { stream: true });
              this.reader.take(1);
              stdoutEnded = true;
              throw new ProgramEnded();
            }
            return data.length >= n ? this.reader.take(n) : undefined;
          },
          { timeoutMs: o.timeoutMs, signal: o.signal, timeoutMessage: `The board did not answer while ${o.what}.` },
        ),
    };

    try {
      if (interact) {
        try {
          value = await interact(io);
        } catch (err) {
          if (!(err instanceof ProgramEnded)) throw err;
          endedEarly = true;
        }
      }
      if (!stdoutEnded) {
        await this.reader.readUntil(Uint8Array.of(CTRL_D), {
          timeoutMs,
          signal,
          timeoutMessage: `The program on the board did not finish within ${Math.round(timeoutMs / 100) / 10} s; it was stopped with Ctrl-C.`,
          onData: (chunk) => {
            const text = outDecoder.decode(chunk, { stream: true });
            stdout += text;
            if (text) opts.onStdout?.(text);
          },
        });
        stdoutEnded = true;
      }
    } catch (err) {
      await this.recoverRunning(stdoutEnded);
      throw err;
    }
    const tail = outDecoder.decode();
    if (tail) {
      stdout += tail;
      opts.onStdout?.(tail);
    }

    let stderr = '';
    try {
      await this.reader.readUntil(Uint8Array.of(CTRL_D), {
        timeoutMs: this.timing.EXEC_TAIL_TIMEOUT_MS,
        signal,
        timeoutMessage: 'The board did not finish printing its error output. Press its reset button and try again.',
        onData: (chunk) => {
          const text = errDecoder.decode(chunk, { stream: true });
          stderr += text;
          if (text) opts.onStderr?.(text);
        },
      });
      stderr += errDecoder.decode();
      await this.readPrompt(signal);
    } catch (err) {
      this.state = 'unknown';
      throw err;
    }
    if (stderr.length > 0) throw new BoardExecError(stderr, stdout);
    if (endedEarly) {
      throw new BoardError('PROTOCOL', `The program on the board ended before the host was done with it. It printed: "${stdout.slice(-200)}"`);
    }
    return { result: { stdout, stderr }, value };
  }

  /**
   * After a timeout or cancel while a program runs: Ctrl-C it and read up to
   * the end of its framing (`\x04` + traceback + `\x04>`), so the next command
   * starts in step. If that fails too, the next operation re-enters the raw
   * REPL through the interrupt ladder.
   */
  private async recoverRunning(stdoutEnded: boolean): Promise<void> {
    if (this.lost) return;
    const t = this.timing;
    const end = Uint8Array.of(CTRL_D);
    try {
      if (!stdoutEnded) {
        // A program that was already told to stop (e.g. a transfer's abort header) gets a moment to end by itself.
        try {
          await this.reader.readUntil(end, { timeoutMs: t.RECOVER_GRACE_MS, timeoutMessage: 'still running' });
        } catch (err) {
          if (!isBoardError(err, 'TIMEOUT')) throw err;
          await this.write(Uint8Array.of(CTRL_C));
          await this.reader.readUntil(end, { timeoutMs: t.RECOVER_TIMEOUT_MS, timeoutMessage: 'no framing after Ctrl-C' });
        }
      }
      await this.reader.readUntil(end, { timeoutMs: t.RECOVER_TIMEOUT_MS, timeoutMessage: 'no traceback end' });
      await this.readPrompt();
    } catch {
      this.state = 'unknown';
    }
  }

  private async softResetRaw(signal: AbortSignal): Promise<string> {
    if (this.state !== 'raw') await this.enterRaw(signal);
    this.reader.clear();
    await this.write(Uint8Array.of(CTRL_D));
    let out: Uint8Array;
    try {
      out = await this.reader.readUntil(bytesOf(RAW_REPL_BANNER + RAW_REPL_PROMPT), {
        timeoutMs: this.timing.SOFT_RESET_TIMEOUT_MS,
        signal,
        timeoutMessage: 'The board did not come back after a soft reset; boot.py may be stuck in a loop.',
      });
    } catch (err) {
      if (!isBoardError(err, 'TIMEOUT')) throw err;
      // boot.py looping: break into it with the ladder.
      const partial = this.reader.peek().slice();
      this.state = 'unknown';
      await this.enterRaw(signal);
      return stripSoftRebootBanner(new TextDecoder().decode(partial));
    }
    return stripSoftRebootBanner(new TextDecoder().decode(out));
  }
}

/**
 * Removes the soft-reboot banner (any generation) and `\x00` noise from what
 * the board printed during a soft reset, leaving boot.py's output.
 */
export function stripSoftRebootBanner(text: string): string {
  let s = text.replace(/\x00/g, '');
  for (const banner of SOFT_REBOOT_BANNERS) {
    const i = s.indexOf(banner);
    if (i >= 0) {
      const eol = s.indexOf('\n', i);
      s = eol >= 0 ? s.slice(eol + 1) : '';
      break;
    }
  }
  return s;
}
