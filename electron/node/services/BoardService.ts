/**
 * The board connection behind the API: one board at a time, over a serial
 * port or the built-in virtual board. Owns the link, the engine session and
 * the file operations; publishes `board.status` on every change, the board's
 * output as batched `terminal.data`, transfer progress as `job.progress` and
 * the virtual board's pins as `vboard.pins`. When a board is unplugged it says
 * so at once ('lost') and reconnects by itself when the port comes back.
 */
import { stat } from 'node:fs/promises';
import {
  VIRTUAL_BOARD_PATH,
  type BoardInfoDto,
  type BoardStatus,
  type BoardFileEntryDto,
  type BoardStatDto,
  type DiskUsageDto,
  type PortInfo,
  type RunResult,
  type WriteResultDto,
} from '../../common/api/contract.js';
import { ApiError } from '../../common/api/errors.js';
import type { EventHub } from '../../common/api/EventHub.js';
import { BoardError, BoardExecError, tracebackSummary } from '../../common/board/BoardError.js';
import { BoardFiles, type WriteOptions, type WriteResult } from '../../common/board/files/BoardFiles.js';
import type { BoardInfo } from '../../common/board/BoardProbe.js';
import { BoardSession, type BoardTiming } from '../../common/board/BoardSession.js';
import { normalizeBoardPath } from '../../common/board/boardPath.js';
import type { Link } from '../../common/link/Link.js';
import type { Disposable } from '../../common/util/disposable.js';
import { errorMessage } from '../../common/util/format.js';
import { LinkError } from '../../common/link/Link.js';
import { SerialLink } from '../links/SerialLink.js';
import { PIN_COUNT } from '../vboard/boardProtocol.js';
import type { BoardPins } from '../vboard/VirtualBoard.js';
import { JobProgress } from './JobProgress.js';
import { nodeCodec } from './nodeCodec.js';
import type { SettingsStore } from './SettingsStore.js';
import { TerminalBatcher } from './TerminalBatcher.js';
import { WatchedLink } from './WatchedLink.js';

/** How the built-in virtual board appears in the port list. */
export const VIRTUAL_PORT_INFO: PortInfo = {
  path: VIRTUAL_BOARD_PATH,
  kind: 'virtual',
  friendlyName: 'Virtual board (ESP32, built in)',
  likelyMicroPython: true,
};

/** What the status says when the link to a connected board fails. */
export const UNPLUGGED_MESSAGE = 'The board was unplugged or stopped answering.';
/** While lost: how often the port's path is checked (discovery does not list ptys or typed paths). */
export const RECONNECT_POLL_MS = 1000;
/**
 * While connected to a serial port, how often its device path is checked: an
 * unplugged USB board's device node vanishes, which catches a hang-up the
 * serial driver did not report (see WatchedLink).
 */
export const PRESENCE_POLL_MS = 1000;
/** After a failed reconnect attempt (a board still booting), the pause before the next. */
export const RECONNECT_RETRY_MS = 2000;
/** How much of the REPL's latest output is kept to tell whether it sits at a prompt. */
const REPL_PROMPT_TAIL_CHARS = 8;
/** The friendly REPL's prompts: `>>> `, continuation `... `, and aiorepl's `--> `. */
const REPL_PROMPT_AT_END = /(>>>|\.\.\.|-->) $/;

/** The last `n` bytes as latin1 text: enough to recognise an ASCII prompt without decoding UTF-8. */
function latin1Tail(bytes: Uint8Array, n: number): string {
  let s = '';
  for (const b of bytes.subarray(Math.max(0, bytes.length - n))) s += String.fromCharCode(b);
  return s;
}

/** Completion must feel instant; a slow board gets no completions rather than a stalled editor. */
export const COMPLETIONS_TIMEOUT_MS = 1500;
/** Completion answers kept per connection (cleared by run and reset, which change what exists). */
const COMPLETIONS_CACHE_MAX = 200;
/** Pin changes are merged into one `vboard.pins` event per interval: a fast blink must not flood IPC. */
export const PIN_EVENT_INTERVAL_MS = 50;
/** Before a reset, a running program is stopped; this bounds the wait for it to end. */
export const STOP_BEFORE_RESET_TIMEOUT_MS = 5000;
/** setTimeout's ceiling (~24.8 days): a program started with Run may run until stopped. */
const RUN_FOREVER_MS = 2 ** 31 - 1;

/** What the service needs of the built-in virtual board (VirtualBoard implements it). */
export interface VirtualBoardHost {
  link(): Link;
  readonly pins: BoardPins;
  stop(): Promise<void>;
}

export type OpenSerialLink = (path: string, options: { baudRate?: number | undefined; signal?: AbortSignal | undefined }) => Promise<Link>;

/** What the service needs of port discovery (PortDiscovery implements it). */
export interface BoardPortSource {
  list(): Promise<PortInfo[]>;
  onDidChange(listener: (ports: PortInfo[]) => void): Disposable;
  /** Checks a typed path without opening it; rejects when it is not there. */
  describePath?(path: string): Promise<PortInfo>;
}

export interface BoardServiceOptions {
  events: EventHub;
  ports: BoardPortSource;
  settings: SettingsStore;
  /** Boots the virtual board; called once, on the first connect to VIRTUAL_BOARD_PATH. */
  startVirtualBoard: () => Promise<VirtualBoardHost>;
  /** Default: SerialLink.open. Tests inject links here. */
  openSerial?: OpenSerialLink;
  /** Engine timing (tests shorten it). */
  timing?: Partial<BoardTiming>;
  reconnectPollMs?: number;
  reconnectRetryMs?: number;
  /** Default PRESENCE_POLL_MS; 0 turns the check off. */
  presencePollMs?: number;
  debug?: (message: string) => void;
}

interface Connection {
  readonly path: string;
  readonly baudRate: number | undefined;
  readonly port: PortInfo;
  readonly link: Link;
  readonly session: BoardSession;
  readonly files: BoardFiles;
  readonly disposables: Disposable[];
  readonly virtual: VirtualBoardHost | undefined;
  readonly completions: Map<string, string[]>;
  /** The last few characters the REPL printed: a prompt there means nothing of the user's is running. */
  terminalTail: string;
  /** Probed and reported as connected; before that, connect() handles failures itself. */
  ready: boolean;
  closed: boolean;
}

interface ReconnectWatch {
  readonly path: string;
  readonly baudRate: number | undefined;
  readonly controller: AbortController;
  subscription: Disposable | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  attempting: boolean;
  notBefore: number;
}

type StatusPatch = { [K in keyof BoardStatus]?: BoardStatus[K] | undefined };

export class BoardService {
  private status: BoardStatus = { state: 'disconnected', busy: false, running: false, reconnecting: false };
  private lastSentStatus = '';
  private conn: Connection | undefined;
  /** Bumped by every connect and disconnect: a slower, older connect sees it was superseded. */
  private generation = 0;
  private watch: ReconnectWatch | undefined;
  private runInFlight: Promise<unknown> | undefined;
  private virtualBoard: Promise<VirtualBoardHost> | undefined;
  private pinTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private readonly terminal: TerminalBatcher;
  private readonly openSerial: OpenSerialLink;
  private readonly debug: (message: string) => void;

  constructor(private readonly options: BoardServiceOptions) {
    this.terminal = new TerminalBatcher((data) => options.events.emit('terminal.data', { data }));
    this.debug = options.debug ?? (() => {});
    this.openSerial = options.openSerial ?? ((path, o) => SerialLink.open(path, { baudRate: o.baudRate, signal: o.signal, debug: this.debug }));
    this.status.lastPort = options.settings.get().lastPort;
  }

  // ---- status ------------------------------------------------------------------

  getStatus(): BoardStatus {
    return { ...this.status };
  }

  private update(patch: StatusPatch): void {
    const next: Record<string, unknown> = { ...this.status };
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    const lastPort = this.options.settings.get().lastPort;
    if (lastPort !== undefined) next.lastPort = lastPort;
    this.status = next as BoardStatus;
    const key = JSON.stringify(this.status);
    if (key === this.lastSentStatus || this.disposed) return;
    this.lastSentStatus = key;
    this.options.events.emit('board.status', this.getStatus());
  }

  // ---- connect / disconnect ----------------------------------------------------

  /** Connects to `path` (closing any other board first) and resolves once the board answered the probe. */
  async connect(path: string, options: { baudRate?: number | undefined; signal?: AbortSignal | undefined } = {}): Promise<BoardStatus> {
    this.stopReconnect();
    return this.open(path, options.baudRate, options.signal, false);
  }

  async disconnect(): Promise<BoardStatus> {
    this.stopReconnect();
    this.generation++;
    await this.teardown();
    this.update({ state: 'disconnected', port: undefined, info: undefined, storage: undefined, busy: false, running: false, error: undefined, reconnecting: false });
    return this.getStatus();
  }

  private async open(path: string, baudRate: number | undefined, signal: AbortSignal | undefined, reconnecting: boolean): Promise<BoardStatus> {
    const gen = ++this.generation;
    const superseded = () => new ApiError('CANCELLED', `Connecting to ${path} was given up for another connection.`);
    await this.teardown();
    if (gen !== this.generation) throw superseded();
    const isVirtual = path === VIRTUAL_BOARD_PATH;
    let port: PortInfo = isVirtual ? VIRTUAL_PORT_INFO : { path, kind: 'serial', friendlyName: path, likelyMicroPython: false };
    this.update({ state: 'connecting', port, info: undefined, storage: undefined, busy: false, running: false, error: undefined, reconnecting });
    let conn: Connection | undefined;
    try {
      if (!isVirtual) port = await this.describe(path);
      if (gen !== this.generation) throw superseded();
      this.update({ port });
      let virtual: VirtualBoardHost | undefined;
      let link: Link;
      if (isVirtual) {
        virtual = await abortable(this.ensureVirtualBoard(), signal);
        link = virtual.link();
      } else {
        link = new WatchedLink(await this.openSerial(path, { baudRate, signal }));
      }
      conn = this.attach(path, baudRate, port, link, virtual);
      if (link instanceof WatchedLink) this.watchPresence(conn, link);
      if (gen !== this.generation) throw superseded();
      const info = await conn.session.probe({ signal, label: 'connecting to the board' });
      // Firmware without os.statvfs still connects; the storage bar is then left out.
      const storage = await conn.files.diskUsage('/', { signal }).catch((err: unknown) => {
        if (signal?.aborted || !conn?.link.isOpen) throw err;
        this.debug(`disk usage unavailable: ${errorMessage(err)}`);
        return undefined;
      });
      if (gen !== this.generation) throw superseded();
      conn.ready = true;
      this.update({ state: 'connected', port, info: toInfoDto(info), storage, busy: conn.session.busy, running: false, error: undefined, reconnecting: false });
      await this.options.settings.update({ lastPort: path, lastBaudRate: baudRate }).catch((err: unknown) => this.debug(`settings not saved: ${errorMessage(err)}`));
      this.update({});
      if (virtual) this.emitPins();
      return this.getStatus();
    } catch (err) {
      if (conn) await this.closeConnection(conn);
      // A newer connect closed this one's link under it: that, not the link error, is what happened.
      if (gen !== this.generation) throw superseded();
      const error = signal?.aborted && !(err instanceof ApiError) ? new ApiError('CANCELLED', `Connecting to ${port.friendlyName} was cancelled.`) : err;
      this.update({
        state: reconnecting ? 'lost' : 'disconnected',
        port,
        info: undefined,
        storage: undefined,
        busy: false,
        running: false,
        error: reconnecting ? `${UNPLUGGED_MESSAGE} Reconnecting failed: ${errorMessage(error)}` : errorMessage(error),
        reconnecting,
      });
      throw error;
    }
  }

  /** The port as the list shows it (friendly name, USB ids), or a plain description of a typed path. */
  private async describe(path: string): Promise<PortInfo> {
    const { ports } = this.options;
    if (ports.describePath) return ports.describePath(path);
    const listed = (await ports.list().catch(() => [])).find((p) => p.path === path);
    return listed ?? { path, kind: 'serial', friendlyName: `Serial port ${path}`, likelyMicroPython: false };
  }

  private ensureVirtualBoard(): Promise<VirtualBoardHost> {
    this.virtualBoard ??= this.options.startVirtualBoard().catch((err: unknown) => {
      this.virtualBoard = undefined;
      throw new ApiError('INTERNAL', `The virtual board did not start: ${errorMessage(err)}`);
    });
    return this.virtualBoard;
  }

  private attach(path: string, baudRate: number | undefined, port: PortInfo, link: Link, virtual: VirtualBoardHost | undefined): Connection {
    const session = new BoardSession(link, { timing: this.options.timing, debug: (m) => this.debug(`session: ${m}`) });
    const conn: Connection = {
      path,
      baudRate,
      port,
      link,
      session,
      files: new BoardFiles(session, nodeCodec),
      disposables: [],
      virtual,
      completions: new Map(),
      terminalTail: '',
      ready: false,
      closed: false,
    };
    conn.disposables.push(
      session.onTerminalData((bytes) => {
        conn.terminalTail = (conn.terminalTail + latin1Tail(bytes, REPL_PROMPT_TAIL_CHARS)).slice(-REPL_PROMPT_TAIL_CHARS);
        this.terminal.pushBytes(bytes);
      }),
      session.onDidChangeBusy((busy) => {
        if (this.conn !== conn) return;
        // Output held while the line was taken goes out before the prompt that follows it.
        if (!busy) this.terminal.flush();
        if (conn.ready) this.update({ busy });
      }),
      link.onClose((error) => {
        if (conn.closed || this.conn !== conn || !conn.ready) return;
        this.debug(`link closed${error ? `: ${error.message}` : ''}`);
        this.onLost(conn);
      }),
    );
    if (virtual) conn.disposables.push(virtual.pins.onPinChange(() => this.schedulePins()));
    this.conn = conn;
    return conn;
  }

  /** Declares the link lost when the port's device path disappears (POSIX; Windows COM ports have no path to check). */
  private watchPresence(conn: Connection, link: WatchedLink): void {
    const interval = this.options.presencePollMs ?? PRESENCE_POLL_MS;
    if (interval <= 0 || process.platform === 'win32') return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async () => {
      timer = undefined;
      if (conn.closed) return;
      const present = await stat(conn.path).then(
        (info) => info.isCharacterDevice(),
        () => false,
      );
      if (conn.closed) return;
      if (!present) {
        this.debug(`${conn.path} disappeared`);
        link.markLost(new LinkError('DISCONNECTED', `The port ${conn.path} disappeared. Was the board unplugged?`));
        return;
      }
      timer = setTimeout(() => void check(), interval);
    };
    timer = setTimeout(() => void check(), interval);
    conn.disposables.push({ dispose: () => clearTimeout(timer) });
  }

  /** Stops using a connection at once (no await before the status can change), then closes its link. */
  private closeConnection(conn: Connection): Promise<void> {
    if (conn.closed) return Promise.resolve();
    conn.closed = true;
    if (this.conn === conn) this.conn = undefined;
    for (const d of conn.disposables.splice(0)) d.dispose();
    conn.session.dispose();
    this.terminal.flush();
    if (conn.virtual) this.options.events.emit('vboard.pins', { pins: {} });
    return conn.link.close().catch((err: unknown) => this.debug(`closing the link: ${errorMessage(err)}`));
  }

  private async teardown(): Promise<void> {
    const conn = this.conn;
    this.runInFlight = undefined;
    if (conn) await this.closeConnection(conn);
  }

  /** The link failed under a connected board: say so before anything else, then watch for its return. */
  private onLost(conn: Connection): void {
    const gen = ++this.generation;
    this.runInFlight = undefined;
    const closing = this.closeConnection(conn);
    this.update({ state: 'lost', port: conn.port, info: undefined, storage: undefined, busy: false, running: false, error: UNPLUGGED_MESSAGE, reconnecting: !this.disposed });
    // The old link must be closed before the same port is opened again (serial ports are locked).
    void closing.then(() => {
      if (!this.disposed && this.generation === gen) this.startReconnect(conn.path, conn.baudRate);
    });
  }

  // ---- automatic reconnect ---------------------------------------------------------

  private startReconnect(path: string, baudRate: number | undefined): void {
    this.stopReconnect();
    const watch: ReconnectWatch = { path, baudRate, controller: new AbortController(), subscription: undefined, timer: undefined, attempting: false, notBefore: 0 };
    this.watch = watch;
    watch.subscription = this.options.ports.onDidChange((ports) => {
      if (ports.some((p) => p.path === path)) void this.tryReconnect(watch);
    });
    const poll = async () => {
      watch.timer = undefined;
      if (this.watch !== watch) return;
      if (await this.portPresent(path)) await this.tryReconnect(watch);
      if (this.watch === watch) watch.timer = setTimeout(() => void poll(), this.options.reconnectPollMs ?? RECONNECT_POLL_MS);
    };
    watch.timer = setTimeout(() => void poll(), this.options.reconnectPollMs ?? RECONNECT_POLL_MS);
  }

  private stopReconnect(): void {
    const watch = this.watch;
    if (!watch) return;
    this.watch = undefined;
    watch.subscription?.dispose();
    if (watch.timer !== undefined) clearTimeout(watch.timer);
    watch.controller.abort(new ApiError('CANCELLED', 'Reconnecting was stopped.'));
  }

  private async portPresent(path: string): Promise<boolean> {
    if (path === VIRTUAL_BOARD_PATH) return true;
    try {
      if (this.options.ports.describePath) await this.options.ports.describePath(path);
      else if (!(await stat(path)).isCharacterDevice()) return false;
      return true;
    } catch {
      return false;
    }
  }

  private async tryReconnect(watch: ReconnectWatch): Promise<void> {
    if (this.watch !== watch || watch.attempting || Date.now() < watch.notBefore) return;
    watch.attempting = true;
    try {
      await this.open(watch.path, watch.baudRate, watch.controller.signal, true);
      if (this.watch === watch) this.stopReconnect();
    } catch (err) {
      this.debug(`reconnect to ${watch.path} failed: ${errorMessage(err)}`);
      watch.notBefore = Date.now() + (this.options.reconnectRetryMs ?? RECONNECT_RETRY_MS);
    } finally {
      watch.attempting = false;
    }
  }

  // ---- terminal, run, stop, resets ---------------------------------------------------

  private requireConnected(): Connection {
    const conn = this.conn;
    if (conn?.ready && !conn.closed) return conn;
    if (this.status.state === 'lost') {
      throw new ApiError('DISCONNECTED', `${UNPLUGGED_MESSAGE} Plug it back in: Pinwheel reconnects by itself.`);
    }
    if (this.status.state === 'connecting') throw new ApiError('BUSY', 'Still connecting to the board. Try again in a moment.');
    throw new ApiError('DISCONNECTED', 'No board is connected. Connect one from the Boards view.');
  }

  private refuseWhileRunning(what: string): void {
    if (this.status.running) {
      throw new ApiError('BUSY', `A program is running on the board. Stop it before ${what}.`);
    }
  }

  /** Keystrokes for the board's friendly REPL (held by the engine while an operation has the line). */
  async writeTerminal(data: string): Promise<void> {
    const conn = this.requireConnected();
    await conn.session.writeTerminal(data);
  }

  /** Pasted text for the REPL, in paste mode when it has several lines. */
  async pasteTerminal(text: string): Promise<void> {
    const conn = this.requireConnected();
    await conn.session.paste(text);
  }

  /**
   * Runs code without saving it. Output and traceback stream to the terminal;
   * there is no time limit (board.stop or the call's cancel interrupts it).
   */
  async run(code: string, signal?: AbortSignal): Promise<RunResult> {
    const conn = this.requireConnected();
    if (this.status.running) throw new ApiError('BUSY', 'A program is already running on the board. Stop it first.');
    this.update({ running: true });
    const push = (text: string) => this.terminal.pushText(text);
    const execution = conn.session.exec(code, { onStdout: push, onStderr: push, timeoutMs: RUN_FOREVER_MS, signal });
    this.runInFlight = execution.catch(() => undefined);
    try {
      await execution;
      return { ok: true, interrupted: false };
    } catch (err) {
      if (err instanceof BoardExecError) {
        const error = tracebackSummary(err.traceback);
        return { ok: false, interrupted: err.exceptionType === 'KeyboardInterrupt', ...(error ? { error } : {}) };
      }
      if (err instanceof BoardError && err.code === 'CANCELLED') return { ok: false, interrupted: true };
      throw err;
    } finally {
      conn.completions.clear();
      if (this.conn === conn) {
        this.runInFlight = undefined;
        this.terminal.flush();
        this.update({ running: false });
      }
    }
  }

  /** Interrupts the running program, or cancels the engine operation in progress (Ctrl-C in the REPL otherwise). */
  async stop(): Promise<void> {
    const conn = this.conn;
    if (!conn?.ready || conn.closed) return;
    await conn.session.interrupt();
  }

  /** Stops a program started with run() and waits (bounded) until the line is free. */
  private async stopRunning(conn: Connection): Promise<void> {
    const running = this.runInFlight;
    if (!running) return;
    await conn.session.interrupt();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([running, new Promise((resolve) => (timer = setTimeout(resolve, STOP_BEFORE_RESET_TIMEOUT_MS)))]);
    clearTimeout(timer);
  }

  /** Soft reset: boot.py and main.py run; what they print goes to the terminal. */
  async softReset(signal?: AbortSignal): Promise<void> {
    const conn = this.requireConnected();
    await this.stopRunning(conn);
    conn.completions.clear();
    await conn.session.softReset({ runMain: true, signal });
  }

  async hardReset(signal?: AbortSignal): Promise<{ method: 'signals' | 'machine' }> {
    const conn = this.requireConnected();
    await this.stopRunning(conn);
    conn.completions.clear();
    const method = await conn.session.hardReset({ signal });
    return { method };
  }

  /**
   * `dir(expr)` on the board for editor completion. Answers `[]` at once when
   * no board is connected or the line is in use: completion must never queue
   * behind a transfer or a running program.
   */
  async completions(expr: string, signal?: AbortSignal): Promise<{ names: string[] }> {
    const conn = this.conn;
    if (!conn?.ready || conn.closed || conn.session.busy || this.status.running) return { names: [] };
    // A main.py started by a reset runs in the friendly REPL, unseen by `running`: asking the board
    // would Ctrl-C it. Only a REPL sitting at its prompt is free to answer.
    if (!REPL_PROMPT_AT_END.test(conn.terminalTail)) return { names: [] };
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(expr)) return { names: [] };
    const cached = conn.completions.get(expr);
    if (cached) return { names: cached };
    const [root, ...rest] = expr.split('.');
    // A function keeps the lookup out of the REPL's globals; a module not yet imported is imported by name.
    const code =
      'def _pwc():\n' +
      ` try:return ${expr}\n` +
      ' except NameError:pass\n' +
      ` o=__import__(${JSON.stringify(root)})\n` +
      ` for a in ${JSON.stringify(rest)}:o=getattr(o,a)\n` +
      ' return o\n' +
      'try:print(" ".join(dir(_pwc())))\n' +
      'except Exception:pass\n' +
      'del _pwc';
    const timeout = AbortSignal.timeout(COMPLETIONS_TIMEOUT_MS);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const execution = conn.session.exec(code, { signal: combined, timeoutMs: COMPLETIONS_TIMEOUT_MS });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const gaveUp = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), COMPLETIONS_TIMEOUT_MS)));
    try {
      const result = await Promise.race([execution.catch(() => undefined), gaveUp]);
      if (!result) return { names: [] };
      const names = [...new Set(result.stdout.trim().split(/\s+/).filter((n) => /^[A-Za-z_]\w*$/.test(n)))].sort();
      if (conn.completions.size >= COMPLETIONS_CACHE_MAX) conn.completions.clear();
      conn.completions.set(expr, names);
      return { names };
    } finally {
      clearTimeout(timer);
    }
  }

  // ---- files -------------------------------------------------------------------------

  /**
   * Runs a file operation on the connected board. With `refreshStorage`, a
   * disk-usage read is queued right behind it, so it runs in the same raw REPL
   * visit and the status bar's storage follows writes and deletions.
   */
  async withFiles<T>(what: string, fn: (files: BoardFiles) => Promise<T>, options: { refreshStorage?: boolean } = {}): Promise<T> {
    const conn = this.requireConnected();
    this.refuseWhileRunning(what);
    const work = fn(conn.files);
    const refreshed = options.refreshStorage ? this.queueStorageRefresh(conn) : undefined;
    try {
      return await work;
    } finally {
      await refreshed;
    }
  }

  /** Queues a disk-usage read and puts the answer into the status; never fails. */
  queueStorageRefresh(conn = this.conn): Promise<void> {
    if (!conn?.ready || conn.closed) return Promise.resolve();
    return conn.files.diskUsage('/').then(
      (storage) => {
        if (this.conn === conn && conn.ready) this.update({ storage });
      },
      (err: unknown) => this.debug(`storage refresh failed: ${errorMessage(err)}`),
    );
  }

  private progress(jobId: string | undefined, label: string): JobProgress {
    return new JobProgress((event) => this.options.events.emit('job.progress', event), jobId, label);
  }

  async listFiles(path: string, recursive: boolean, signal?: AbortSignal): Promise<BoardFileEntryDto[]> {
    return this.withFiles('listing files', (files) => files.list(path, { recursive, signal }));
  }

  async readFile(path: string, jobId: string | undefined, signal?: AbortSignal): Promise<Uint8Array> {
    const progress = this.progress(jobId, `Reading ${path}`);
    try {
      const data = await this.withFiles('reading a file', (files) => files.read(path, { signal, onProgress: (d, t) => progress.report(d, t) }));
      progress.finish(data.length, data.length);
      return data;
    } catch (err) {
      progress.finish();
      throw err;
    }
  }

  async writeFile(
    path: string,
    data: Uint8Array,
    options: { jobId?: string | undefined; force?: boolean | undefined; signal?: AbortSignal | undefined },
  ): Promise<WriteResultDto> {
    const progress = this.progress(options.jobId, `Writing ${path}`);
    const writeOptions: WriteOptions = { signal: options.signal, skipIfSame: !options.force, onProgress: (d, t) => progress.report(d, t) };
    try {
      const result = await this.withFiles('writing a file', (files) => files.write(path, data, writeOptions), { refreshStorage: true });
      progress.finish(data.length, data.length);
      return toWriteResultDto(normalizeBoardPath(path), result);
    } catch (err) {
      progress.finish();
      throw err;
    }
  }

  async mkdir(path: string, signal?: AbortSignal): Promise<void> {
    await this.withFiles('creating a folder', (files) => files.mkdir(path, { signal }), { refreshStorage: true });
  }

  async remove(path: string, recursive: boolean, signal?: AbortSignal): Promise<void> {
    await this.withFiles('removing files', (files) => files.remove(path, { recursive, signal }), { refreshStorage: true });
  }

  async rename(from: string, to: string, signal?: AbortSignal): Promise<void> {
    await this.withFiles('renaming', (files) => files.rename(from, to, { signal }));
  }

  async statFile(path: string, signal?: AbortSignal): Promise<BoardStatDto> {
    return this.withFiles('reading file information', (files) => files.stat(path, { signal }));
  }

  async diskUsage(path: string | undefined, signal?: AbortSignal): Promise<DiskUsageDto> {
    const usage = await this.withFiles('reading disk usage', (files) => files.diskUsage(path ?? '/', { signal }));
    if ((path ?? '/') === '/') this.update({ storage: usage });
    return usage;
  }

  // ---- virtual board pins ----------------------------------------------------------------

  /** Pin levels of the virtual board when it is the connected board; empty otherwise. */
  pins(): Record<string, number> {
    const virtual = this.conn?.virtual;
    const pins: Record<string, number> = {};
    if (!virtual) return pins;
    for (let pin = 0; pin < PIN_COUNT; pin++) {
      const level = virtual.pins.getPin(pin);
      if (level !== undefined) pins[String(pin)] = level;
    }
    return pins;
  }

  private schedulePins(): void {
    this.pinTimer ??= setTimeout(() => {
      this.pinTimer = undefined;
      this.emitPins();
    }, PIN_EVENT_INTERVAL_MS);
  }

  private emitPins(): void {
    if (this.disposed) return;
    this.options.events.emit('vboard.pins', { pins: this.pins() });
  }

  // ---- lifetime -------------------------------------------------------------------------

  async dispose(): Promise<void> {
    this.stopReconnect();
    this.generation++;
    await this.teardown();
    this.disposed = true;
    if (this.pinTimer !== undefined) clearTimeout(this.pinTimer);
    this.terminal.dispose();
    const virtual = this.virtualBoard;
    this.virtualBoard = undefined;
    if (virtual) await virtual.then((board) => board.stop()).catch(() => undefined);
  }
}

function toInfoDto(info: BoardInfo): BoardInfoDto {
  return {
    implementation: info.implementation,
    version: info.version,
    versionText: info.versionText,
    machine: info.machine,
    platform: info.platform,
    freeHeapBytes: info.freeHeapBytes,
    rawPaste: info.rawPaste,
  };
}

export function toWriteResultDto(path: string, result: WriteResult): WriteResultDto {
  return {
    path,
    skipped: result.skipped,
    bytes: result.bytes,
    encoding: result.encoding,
    wireBytes: result.wireBytes,
    atomic: result.atomic,
    hashVerified: result.hashVerified,
  };
}

/** Waits for `promise`, but gives up when `signal` aborts (the work itself goes on). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
