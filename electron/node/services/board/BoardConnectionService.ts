/**
 * The board connection: one board at a time, over a serial port or the
 * built-in virtual board. Connects (lease, link, engine session, probe),
 * disconnects, says at once when a board is lost and reconnects by itself
 * when its port comes back. Lends the port to another owner (the flasher)
 * when asked, and takes it back afterwards. The other board services work on
 * the connection it holds (`current`), and hear about changes.
 */
import { stat } from 'node:fs/promises';
import { VIRTUAL_BOARD_PATH, type BoardInfoDto, type BoardStatus, type PortInfo, type boardCalls } from '../../../common/api/contract.js';
import type { HandlersFor } from '../../../common/api/dispatcher.js';
import { ApiError } from '../../../common/api/errors.js';
import { BOARD_PROFILE_LABELS, DEFAULT_BOARD_PROFILE, type BoardProfileName } from '../../../common/board/boardProfileNames.js';
import type { BoardFiles } from '../../../common/board/files/BoardFiles.js';
import { openBoard } from '../../../common/board/openBoard.js';
import type { BoardInfo } from '../../../common/board/BoardProbe.js';
import type { BoardSession, BoardTiming } from '../../../common/board/BoardSession.js';
import type { Link } from '../../../common/link/Link.js';
import { Emitter, type Disposable } from '../../../common/util/disposable.js';
import { errorMessage } from '../../../common/util/format.js';
import { SerialLink } from '../../links/SerialLink.js';
import { WatchedLink } from '../../links/WatchedLink.js';
import type { PortLease, PortLeases } from '../../ports/PortLeases.js';
import { nodeCodec } from '../nodeCodec.js';
import type { SettingsStore } from '../SettingsStore.js';
import type { TerminalBatcher } from '../TerminalBatcher.js';
import type { BoardStatusStore } from './BoardStatusStore.js';
import { Connection, type VirtualBoardHost } from './Connection.js';
import { ReconnectWatch } from './ReconnectWatch.js';

/** How the built-in virtual board appears in the port list, by the firmware it imitates. */
export function virtualPortInfo(profile: BoardProfileName = DEFAULT_BOARD_PROFILE): PortInfo {
  return {
    path: VIRTUAL_BOARD_PATH,
    kind: 'virtual',
    friendlyName: profile === DEFAULT_BOARD_PROFILE ? 'Virtual board (ESP32, built in)' : `Virtual board (${BOARD_PROFILE_LABELS[profile]}, built in)`,
    likelyMicroPython: true,
  };
}

/** What the status says when the link to a connected board fails. */
export const UNPLUGGED_MESSAGE = 'The board was unplugged or stopped answering.';
/** How the board connection names itself as a port's owner. */
export const BOARD_CONNECTION_OWNER = 'the board connection';

export type OpenSerialLink = (path: string, options: { baudRate?: number | undefined; signal?: AbortSignal | undefined }) => Promise<Link>;

/** What the service needs of port discovery (PortDiscovery implements it). */
export interface BoardPortSource {
  list(): Promise<PortInfo[]>;
  onDidChange(listener: (ports: PortInfo[]) => void): Disposable;
  /** Checks a typed path without opening it; rejects when it is not there. */
  describePath?(path: string): Promise<PortInfo>;
}

export interface BoardConnectionOptions {
  ports: BoardPortSource;
  leases: PortLeases;
  settings: SettingsStore;
  status: BoardStatusStore;
  /** Where the friendly REPL's output goes (terminal.data). */
  terminal: TerminalBatcher;
  /** Boots the virtual board; called on the first connect to VIRTUAL_BOARD_PATH (and the first after restartVirtualBoard). */
  startVirtualBoard: () => Promise<VirtualBoardHost>;
  /** How the virtual board appears in the port list; default virtualPortInfo(). */
  virtualPort?: () => PortInfo;
  /** Default: SerialLink.open. Tests inject links here. */
  openSerial?: OpenSerialLink;
  /** Engine timing (tests shorten it). */
  timing?: Partial<BoardTiming>;
  reconnectPollMs?: number;
  reconnectRetryMs?: number;
  /** How often a connected serial port's device path is checked; 0 turns it off. */
  presencePollMs?: number;
  debug?: (message: string) => void;
}

/** A serial port opened ahead of the probe: its lease and its link. */
interface OpenedPort {
  readonly lease: PortLease;
  readonly link: Link;
}

async function closeOpenedPort(port: OpenedPort): Promise<void> {
  await port.link.close().catch(() => undefined);
  port.lease.release();
}

export class BoardConnectionService {
  private conn: Connection | undefined;
  /** Bumped by every connect and disconnect: a slower, older connect sees it was superseded. */
  private generation = 0;
  private watch: ReconnectWatch | undefined;
  private virtualBoard: Promise<VirtualBoardHost> | undefined;
  private disposed = false;
  private readonly changes = new Emitter<Connection | undefined>();
  private readonly openSerial: OpenSerialLink;
  private readonly debug: (message: string) => void;

  /** Fires with the new connection once it is ready, and with undefined when it closes. */
  readonly onDidChangeConnection = this.changes.event;

  constructor(private readonly options: BoardConnectionOptions) {
    this.debug = options.debug ?? (() => {});
    this.openSerial = options.openSerial ?? ((path, o) => SerialLink.open(path, { baudRate: o.baudRate, signal: o.signal, debug: this.debug }));
  }

  /** The connected board, when it is ready for work. */
  get current(): Connection | undefined {
    return this.conn?.usable ? this.conn : undefined;
  }

  /** The connected board, or an error that says why there is none and what to do. */
  requireConnected(): Connection {
    const conn = this.current;
    if (conn) return conn;
    const { state } = this.options.status.get();
    if (state === 'lost') throw new ApiError('DISCONNECTED', `${UNPLUGGED_MESSAGE} Plug it back in: Pinwheel reconnects by itself.`);
    if (state === 'connecting') throw new ApiError('BUSY', 'Still connecting to the board. Try again in a moment.');
    throw new ApiError('DISCONNECTED', 'No board is connected. Connect one from the Boards view.');
  }

  handlers(): Pick<HandlersFor<typeof boardCalls>, 'ports.list' | 'board.connect' | 'board.disconnect' | 'board.status'> {
    return {
      'ports.list': async () => [this.virtualPort(), ...(await this.options.ports.list())],
      'board.connect': (p, ctx) => this.connect(p.path, { baudRate: p.baudRate, signal: ctx.signal }),
      'board.disconnect': () => this.disconnect(),
      'board.status': async () => this.options.status.get(),
    };
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
    this.options.status.patch({ state: 'disconnected', port: undefined, info: undefined, storage: undefined, busy: false, running: false, replRunning: false, error: undefined, reconnecting: false });
    return this.options.status.get();
  }

  private async open(path: string, baudRate: number | undefined, signal: AbortSignal | undefined, reconnecting: boolean): Promise<BoardStatus> {
    const gen = ++this.generation;
    const superseded = () => new ApiError('CANCELLED', `Connecting to ${path} was given up for another connection.`);
    const status = this.options.status;
    const isVirtual = path === VIRTUAL_BOARD_PATH;
    // Switching to another serial port: it must open before the working connection is let go, so a
    // mistyped or missing port leaves the person connected to the board they had.
    const working = this.conn?.usable && this.conn.path !== path && !isVirtual && !reconnecting ? this.conn : undefined;
    let preopened: OpenedPort | undefined;
    if (working) {
      preopened = await this.openPort(path, baudRate, signal).catch((err: unknown) => {
        // The error keeps its kind (and code); its message adds what did not change.
        if (err instanceof Error) err.message = `${err.message} Pinwheel stays connected to ${working.port.friendlyName}.`;
        throw err;
      });
      if (gen !== this.generation) {
        await closeOpenedPort(preopened);
        throw superseded();
      }
    }
    await this.teardown();
    if (gen !== this.generation) {
      if (preopened) await closeOpenedPort(preopened);
      throw superseded();
    }
    let port: PortInfo = isVirtual ? this.virtualPort() : { path, kind: 'serial', friendlyName: path, likelyMicroPython: false };
    status.patch({ state: 'connecting', port, info: undefined, storage: undefined, busy: false, running: false, replRunning: false, error: undefined, reconnecting });
    let conn: Connection | undefined;
    let lease: PortLease | undefined;
    try {
      if (!isVirtual) port = await this.describe(path);
      if (gen !== this.generation) throw superseded();
      status.patch({ port });
      let virtual: VirtualBoardHost | undefined;
      let link: Link;
      if (isVirtual) {
        virtual = await abortable(this.ensureVirtualBoard(), signal);
        link = virtual.link();
      } else {
        const serial = preopened ?? (await this.openPort(path, baudRate, signal));
        preopened = undefined;
        lease = serial.lease;
        link = serial.link;
      }
      const opened = await openBoard(link, {
        codec: nodeCodec,
        timing: this.options.timing,
        debug: (m) => this.debug(`session: ${m}`),
        signal,
        label: 'connecting to the board',
        // Listeners are attached before the probe, so the terminal and the busy state see it too.
        onCreated: ({ session, files }) => {
          conn = this.attach(path, baudRate, port, link, session, files, virtual, lease);
          lease = undefined;
        },
      });
      const info = opened.info!;
      if (!conn || gen !== this.generation) throw superseded();
      // Firmware without os.statvfs still connects; the storage bar is then left out.
      const storage = await conn.files.diskUsage('/', { signal }).catch((err: unknown) => {
        if (signal?.aborted || !conn?.link.isOpen) throw err;
        this.debug(`disk usage unavailable: ${errorMessage(err)}`);
        return undefined;
      });
      if (gen !== this.generation) throw superseded();
      conn.ready = true;
      status.patch({ state: 'connected', port, info: toInfoDto(info), storage, busy: conn.session.busy, running: false, replRunning: conn.replActivity.isRunning, error: undefined, reconnecting: false });
      await this.options.settings.update({ lastPort: path, lastBaudRate: baudRate }).catch((err: unknown) => this.debug(`settings not saved: ${errorMessage(err)}`));
      status.patch({});
      this.changes.fire(conn);
      return status.get();
    } catch (err) {
      if (preopened) await closeOpenedPort(preopened);
      lease?.release();
      if (conn) await this.closeConnection(conn);
      // A newer connect closed this one's link under it: that, not the link error, is what happened.
      if (gen !== this.generation) throw superseded();
      const error = signal?.aborted && !(err instanceof ApiError) ? new ApiError('CANCELLED', `Connecting to ${port.friendlyName} was cancelled.`) : err;
      status.patch({
        state: reconnecting ? 'lost' : 'disconnected',
        port,
        info: undefined,
        storage: undefined,
        busy: false,
        running: false, replRunning: false,
        error: reconnecting ? `${UNPLUGGED_MESSAGE} Reconnecting failed: ${errorMessage(error)}` : errorMessage(error),
        reconnecting,
      });
      throw error;
    }
  }

  /** Takes the port's lease and opens it, watched for unplugging; the lease is let go when opening fails. */
  private async openPort(path: string, baudRate: number | undefined, signal: AbortSignal | undefined): Promise<OpenedPort> {
    const lease = await this.options.leases.acquire(path, { owner: BOARD_CONNECTION_OWNER, onPreempt: (by) => this.lendPort(path, baudRate, by) }, { signal });
    try {
      const presence = { path, intervalMs: this.options.presencePollMs, debug: this.debug };
      return { lease, link: new WatchedLink(await this.openSerial(path, { baudRate, signal }), presence) };
    } catch (err) {
      lease.release();
      throw err;
    }
  }

  /** The port as the list shows it (friendly name, USB ids), or a plain description of a typed path. */
  private async describe(path: string): Promise<PortInfo> {
    const { ports } = this.options;
    if (ports.describePath) return ports.describePath(path);
    const listed = (await ports.list().catch(() => [])).find((p) => p.path === path);
    return listed ?? { path, kind: 'serial', friendlyName: `Serial port ${path}`, likelyMicroPython: false };
  }

  private virtualPort(): PortInfo {
    return this.options.virtualPort?.() ?? virtualPortInfo();
  }

  /**
   * Stops the built-in board, so the next connect boots a new one (with the
   * profile it is then given). A connection to it is closed and made again at
   * once; one to another board is left alone.
   */
  async restartVirtualBoard(signal?: AbortSignal): Promise<void> {
    const { state, port } = this.options.status.get();
    // Connected, connecting or waiting to reconnect: the person is using the built-in board.
    const wasConnected = this.conn?.path === VIRTUAL_BOARD_PATH || (port?.path === VIRTUAL_BOARD_PATH && state !== 'disconnected');
    if (wasConnected) {
      this.stopReconnect();
      this.generation++;
      await this.teardown();
    }
    const board = this.virtualBoard;
    this.virtualBoard = undefined;
    if (board) await board.then((b) => b.stop()).catch((err: unknown) => this.debug(`stopping the virtual board: ${errorMessage(err)}`));
    if (wasConnected) await this.connect(VIRTUAL_BOARD_PATH, { signal });
  }

  private ensureVirtualBoard(): Promise<VirtualBoardHost> {
    this.virtualBoard ??= this.options.startVirtualBoard().catch((err: unknown) => {
      this.virtualBoard = undefined;
      throw new ApiError('INTERNAL', `The virtual board did not start: ${errorMessage(err)}`);
    });
    return this.virtualBoard;
  }

  private attach(
    path: string,
    baudRate: number | undefined,
    port: PortInfo,
    link: Link,
    session: BoardSession,
    files: BoardFiles,
    virtual: VirtualBoardHost | undefined,
    lease: PortLease | undefined,
  ): Connection {
    const { terminal, status } = this.options;
    const conn = new Connection(path, baudRate, port, link, session, files, virtual, lease, (replRunning) => {
      if (this.conn === conn && conn.ready) status.patch({ replRunning });
    });
    conn.disposables.push(
      session.onTerminalData((bytes) => {
        conn.replActivity.output(bytes);
        terminal.pushBytes(bytes);
      }),
      session.onDidChangeBusy((busy) => {
        if (this.conn !== conn) return;
        if (busy) conn.replActivity.lineTaken();
        // Output held while the line was taken goes out before the prompt that follows it.
        if (!busy) terminal.flush();
        if (conn.ready) status.patch({ busy });
      }),
      link.onClose((error) => {
        if (conn.closed || this.conn !== conn || !conn.ready) return;
        this.debug(`link closed${error ? `: ${error.message}` : ''}`);
        this.onLost(conn);
      }),
    );
    this.conn = conn;
    return conn;
  }

  /** Stops using a connection at once (no await before the status can change), then closes its link. */
  private closeConnection(conn: Connection): Promise<void> {
    if (conn.closed) return Promise.resolve();
    const wasCurrent = conn.ready;
    conn.closed = true;
    if (this.conn === conn) this.conn = undefined;
    for (const d of conn.disposables.splice(0)) d.dispose();
    conn.replActivity.dispose();
    conn.session.dispose();
    this.options.terminal.flush();
    if (wasCurrent) this.changes.fire(undefined);
    return conn.link
      .close()
      .catch((err: unknown) => this.debug(`closing the link: ${errorMessage(err)}`))
      .finally(() => conn.lease?.release());
  }

  private async teardown(): Promise<void> {
    const conn = this.conn;
    if (conn) await this.closeConnection(conn);
  }

  /** The link failed under a connected board: say so before anything else, then watch for its return. */
  private onLost(conn: Connection): void {
    const gen = ++this.generation;
    const closing = this.closeConnection(conn);
    this.options.status.patch({ state: 'lost', port: conn.port, info: undefined, storage: undefined, busy: false, running: false, replRunning: false, error: UNPLUGGED_MESSAGE, reconnecting: !this.disposed });
    // The old link must be closed before the same port is opened again (serial ports are locked).
    void closing.then(() => {
      if (!this.disposed && this.generation === gen) this.startReconnect(conn.path, conn.baudRate);
    });
  }

  /**
   * Another owner (the flasher) wants the port: close it, say so, and take it
   * back once they are done (the reconnect watch waits for the lease to end).
   */
  private async lendPort(path: string, baudRate: number | undefined, by: string): Promise<void> {
    const conn = this.conn;
    if (!conn || conn.path !== path) return;
    this.debug(`lending ${path} to ${by}`);
    const gen = ++this.generation;
    await this.closeConnection(conn);
    this.options.status.patch({
      state: 'disconnected',
      port: conn.port,
      info: undefined,
      storage: undefined,
      busy: false,
      running: false, replRunning: false,
      error: `${conn.port.friendlyName} is in use by ${by}. The board reconnects when it is done.`,
      reconnecting: true,
    });
    if (!this.disposed && this.generation === gen) this.startReconnect(path, baudRate);
  }

  // ---- automatic reconnect ---------------------------------------------------------

  private startReconnect(path: string, baudRate: number | undefined): void {
    this.stopReconnect();
    const watch: ReconnectWatch = new ReconnectWatch({
      path,
      onPortsChanged: (listener) => this.options.ports.onDidChange(listener),
      isPresent: (p) => this.portPresent(p),
      leases: this.options.leases,
      owner: BOARD_CONNECTION_OWNER,
      attempt: async (signal) => {
        await this.open(path, baudRate, signal, true);
        if (this.watch === watch) this.stopReconnect();
      },
      pollMs: this.options.reconnectPollMs,
      retryMs: this.options.reconnectRetryMs,
      debug: this.debug,
    });
    this.watch = watch;
    watch.start();
  }

  private stopReconnect(): void {
    const watch = this.watch;
    if (!watch) return;
    this.watch = undefined;
    watch.stop(new ApiError('CANCELLED', 'Reconnecting was stopped.'));
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

  // ---- lifetime -------------------------------------------------------------------------

  /** Closes the board; the virtual board saves its flash and stops. */
  async dispose(): Promise<void> {
    this.stopReconnect();
    this.generation++;
    await this.teardown();
    this.disposed = true;
    this.changes.dispose();
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
    folders: info.has.mkdir,
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
