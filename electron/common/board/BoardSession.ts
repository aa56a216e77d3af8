/**
 * BoardSession: one board on one Link, the engine's entry point. It composes
 * the raw REPL transport (repl/RawReplTransport.ts, mpremote's Transport),
 * the line arbiter (repl/LineArbiter.ts: one operation at a time, the
 * terminal in between) and the reset policies (repl/resets.ts). Everything
 * above it (probe, file operations) is built on `exec` and `eval` inside
 * `run()`.
 */
import type { Link } from '../link/Link.js';
import { BoardExecError } from './BoardError.js';
import { probeBoard, type BoardInfo } from './BoardProbe.js';
import { py, type PyCode } from './python/py.js';
import { RUN_WRAPPER_FRAME, runPy } from './python/runPy.js';
import { DEFAULT_BOARD_TIMING, type BoardTiming } from './repl/BoardTiming.js';
import type { ExecOptions, ExecResult, ProgramIO } from './repl/execProgram.js';
import { LineArbiter, type RunOptions } from './repl/LineArbiter.js';
import { pasteModeInput } from './repl/pasteMode.js';
import { RawReplTransport } from './repl/RawReplTransport.js';
import { enterBootloader, hardReset, softResetFromRaw, softResetWithMain, type HardResetMethod } from './repl/resets.js';
import { WrapperFrameFilter, withoutWrapperFrame } from './repl/WrapperFrameFilter.js';
import { LEAVE_RAW_SEQUENCE } from './repl/replProtocol.js';
import { bytesOf } from '../util/bytes.js';

export { DEFAULT_BOARD_TIMING, type BoardTiming } from './repl/BoardTiming.js';
export type { ExecOptions, ExecResult, ProgramIO } from './repl/execProgram.js';
export { STREAMED_OUTPUT_TAIL_CHARS } from './repl/KeptOutput.js';
export type { RunOptions } from './repl/LineArbiter.js';
export type { HardResetMethod } from './repl/resets.js';

export interface ProgramOptions extends ExecOptions {
  /** The program's file name (`main.py`): tracebacks name it instead of `<stdin>`. */
  name?: string;
}

export interface BoardSessionOptions {
  timing?: Partial<BoardTiming>;
  /** 'never' skips raw-paste (for links where it is known to break, e.g. some USB-Serial-JTAG boards). */
  rawPaste?: 'auto' | 'never';
  /** Namespaced debug output; never the console. */
  debug?: (message: string) => void;
  /**
   * Where the board waits between operations: 'friendly' (the default) gives
   * a terminal its prompt back after each one; 'raw' stays in the raw REPL,
   * for a client with no terminal in between (the CLI): no Ctrl-B and no
   * interrupt ladder per operation. close() returns it to the friendly REPL.
   */
  idleRepl?: 'friendly' | 'raw';
}

/** What `run()` hands its callback: the raw REPL, held exclusively until the callback settles. */
export interface RawRepl {
  /** The operation's signal (the caller's, plus `interrupt()`). */
  readonly signal: AbortSignal;
  exec(code: string | PyCode, opts?: ExecOptions): Promise<ExecResult>;
  /** `print(expr)` on the board; returns the printed text without the line end. */
  eval(expr: string, opts?: ExecOptions): Promise<string>;
  /** Runs `code` and lets `interact` talk to it through stdin/stdout before the output framing is read. */
  execInteractive<T>(code: string | PyCode, interact: (io: ProgramIO) => Promise<T>, opts?: ExecOptions): Promise<T>;
  /** Ctrl-D at the raw prompt; returns what boot.py printed. */
  softReset(): Promise<string>;
}

export class BoardSession {
  readonly timing: BoardTiming;
  private readonly transport: RawReplTransport;
  private readonly arbiter: LineArbiter;
  private boardInfo: BoardInfo | undefined;

  /** Bytes from the board while no engine operation holds the line (for a terminal). */
  readonly onTerminalData: LineArbiter['onTerminalData'];
  /** Fires true when an operation takes the line and false when the terminal has it back. */
  readonly onDidChangeBusy: LineArbiter['onDidChangeBusy'];

  constructor(
    readonly link: Link,
    private readonly options: BoardSessionOptions = {},
  ) {
    this.timing = { ...DEFAULT_BOARD_TIMING, ...options.timing };
    this.transport = new RawReplTransport(link, this.timing, options.rawPaste ?? 'auto', (m) => this.debug(m));
    this.arbiter = new LineArbiter(link, this.transport, options.idleRepl ?? 'friendly');
    this.onTerminalData = this.arbiter.onTerminalData;
    this.onDidChangeBusy = this.arbiter.onDidChangeBusy;
  }

  /** True while an engine operation holds the line. */
  get busy(): boolean {
    return this.arbiter.busy;
  }

  /** Whether raw-paste works on this board; undefined until the first command tried it. */
  get rawPasteSupported(): boolean | undefined {
    return this.transport.rawPasteSupported;
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
    this.arbiter.dispose();
  }

  /**
   * Ends the session politely: a board left in the raw REPL (idleRepl 'raw')
   * is sent back to the friendly REPL, without waiting for its banner, since
   * nobody is left to read it; then dispose(). The link stays open.
   */
  async close(): Promise<void> {
    const t = this.transport;
    if (!this.arbiter.busy && t.state === 'raw' && !t.lost) {
      await t.write(bytesOf(LEAVE_RAW_SEQUENCE)).catch(() => undefined);
      t.state = 'friendly';
    }
    this.dispose();
  }

  /** Returns the board to the friendly REPL now, its prompt to the terminal (a session kept raw between operations, before a terminal takes over). */
  leaveRaw(): Promise<void> {
    return this.arbiter.leaveRaw();
  }

  // ---- the terminal -----------------------------------------------------------

  /**
   * Keystrokes from a terminal. While an operation holds the line they are
   * held (up to 4 KB) and sent when the friendly REPL is back, since bytes in
   * the middle of a raw command would corrupt it.
   */
  writeTerminal(data: Uint8Array | string): Promise<void> {
    return this.arbiter.writeTerminal(data);
  }

  /** Pastes text into the friendly REPL: several lines go through paste mode (see repl/pasteMode.ts). */
  paste(text: string): Promise<void> {
    return this.writeTerminal(pasteModeInput(text));
  }

  /**
   * Ctrl-C: cancels the running engine operation (it stops its program and
   * frees the line), or interrupts the user's program running in the terminal.
   */
  interrupt(): Promise<void> {
    return this.arbiter.interrupt();
  }

  // ---- operations ---------------------------------------------------------------

  /**
   * Runs `fn` with the raw REPL held exclusively. Operations queue and run one
   * at a time; the raw REPL stays entered between queued operations, and when
   * the queue empties the board returns to the friendly REPL (`\r\x02`) so the
   * terminal gets its prompt back.
   */
  run<T>(fn: (repl: RawRepl) => Promise<T>, opts: RunOptions = {}): Promise<T> {
    return this.arbiter.runExclusive(async (signal) => {
      await this.transport.ensureRaw(signal);
      return fn(this.makeRepl(signal));
    }, opts);
  }

  private makeRepl(signal: AbortSignal): RawRepl {
    const repl: RawRepl = {
      signal,
      exec: (code, opts = {}) => this.transport.exec(String(code), opts, signal).then((r) => r.result),
      eval: async (expr, opts = {}) => {
        // The caller's expression is code by design: py.raw says so.
        const { stdout } = await repl.exec(py`print(${py.raw(expr)})`, opts);
        return stdout.replace(/\r?\n$/, '');
      },
      execInteractive: async (code, interact, opts = {}) => {
        const r = await this.transport.exec(String(code), opts, signal, interact);
        return r.value as Awaited<ReturnType<typeof interact>>;
      },
      softReset: () => softResetFromRaw(this.transport, signal),
    };
    return repl;
  }

  exec(code: string | PyCode, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.run((repl) => repl.exec(code, opts), { signal: opts.signal, label: 'running code on the board' });
  }

  /**
   * Runs the user's program (the app's Run, the CLI's run and exec). Its output
   * streams to `onStdout` and `onStderr`; the result keeps only the tail. With
   * `name`, the board compiles it under that name (python/runPy.ts), so its
   * traceback says `File "main.py", line 3`, without the wrapper's own frame.
   */
  async runProgram(source: string, opts: ProgramOptions = {}): Promise<ExecResult> {
    const { name, ...execOpts } = opts;
    // An empty name would print as File "", which nothing can link to: such code keeps <stdin>.
    if (!name) return this.exec(source, execOpts);
    const filter = new WrapperFrameFilter(RUN_WRAPPER_FRAME);
    const onStderr = execOpts.onStderr;
    const show = (text: string) => {
      if (text) onStderr?.(text);
    };
    try {
      return await this.exec(runPy(source, name), { ...execOpts, ...(onStderr ? { onStderr: (text: string) => show(filter.push(text)) } : {}) });
    } catch (err) {
      show(filter.end());
      if (err instanceof BoardExecError) throw new BoardExecError(withoutWrapperFrame(err.traceback, RUN_WRAPPER_FRAME), err.stdout);
      throw err;
    }
  }

  eval(expr: string, opts: ExecOptions = {}): Promise<string> {
    return this.run((repl) => repl.eval(expr, opts), { signal: opts.signal, label: 'evaluating on the board' });
  }

  /** Finds out what the board is and can do; the file operations choose their strategies from this. */
  async probe(opts: RunOptions = {}): Promise<BoardInfo> {
    const info = await this.run((repl) => probeBoard(repl), { ...opts, label: opts.label ?? 'probing the board' });
    info.rawPaste = this.transport.rawPasteSupported === true;
    this.boardInfo = info;
    return info;
  }

  /**
   * Soft reset. By default from the raw REPL: boot.py runs (main.py does not)
   * and its output is returned. With `runMain`, from the friendly REPL: main.py
   * runs too and its output also goes to the terminal.
   */
  softReset(opts: RunOptions & { runMain?: boolean } = {}): Promise<string> {
    const label = opts.label ?? 'soft-resetting the board';
    if (!opts.runMain) return this.run((repl) => repl.softReset(), { ...opts, label });
    return this.arbiter.runExclusive((signal) => softResetWithMain(this.transport, signal, (data) => this.arbiter.toTerminal(data)), { ...opts, label });
  }

  /**
   * Hard reset. 'signals' pulses RTS with DTR released (EN low on ESP-style
   * boards, as esptool does); 'machine' runs machine.reset(); 'auto' pulses and
   * falls back to machine.reset() when the board stays silent (links without
   * modem lines, USB-CDC boards). Returns the method that was used.
   */
  /** machine.bootloader(): the board leaves for its UF2 (or other) bootloader; UNSUPPORTED when it cannot. */
  enterBootloader(opts: RunOptions = {}): Promise<void> {
    return this.arbiter.runExclusive((signal) => enterBootloader(this.transport, signal), { ...opts, label: opts.label ?? 'putting the board into its bootloader' });
  }

  hardReset(opts: RunOptions & { method?: 'auto' | HardResetMethod } = {}): Promise<HardResetMethod> {
    const method = opts.method ?? 'auto';
    return this.arbiter.runExclusive(
      (signal) => hardReset(this.transport, method, signal, (data) => this.arbiter.toTerminal(data), (m) => this.debug(m)),
      { ...opts, label: opts.label ?? 'resetting the board' },
    );
  }
}
