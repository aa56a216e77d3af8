/**
 * The workbench's services, one of each per window: the host API, the board,
 * notifications, jobs, dialogs, drafts, the terminal's wiring to the board's
 * REPL, the layout, and the command registry with the context keys its
 * keybindings test. Features register their commands on it at start
 * (contributions.ts); views reach it through useWorkbench(). `attempt` turns
 * any failure into a notification that says what failed and what to do.
 */
import type { ApiClient } from '../../electron/common/api/client.js';
import { BoardStore, boardUnavailableReason } from '../features/boards/BoardStore.js';
import { DraftKeeper } from '../features/editor/DraftKeeper.js';
import { OpenBoardTabs } from '../features/editor/OpenBoardTabs.js';
import { BoardReplaceGuard } from '../features/files/BoardReplaceGuard.js';
import { EditorCommands } from '../features/editor/EditorCommands.js';
import type { EditorDocuments } from '../features/editor/EditorDocuments.js';
import { startTreeWorker } from '../features/mqtt/tree/startTreeWorker.js';
import { MqttExplorer } from '../features/mqtt/MqttExplorer.js';
import { PlotterModel } from '../features/plotter/PlotterModel.js';
import { BoardTerminal } from '../features/terminal/BoardTerminal.js';
import type { TerminalSession } from '../features/terminal/TerminalSession.js';
import { Dialogs } from '../shared/dialogs/Dialogs.js';
import { Jobs } from '../shared/jobs/Jobs.js';
import { Notifications, isCancelled } from '../shared/notifications/Notifications.js';
import { Observable } from '../shared/util/Observable.js';
import { CommandRegistry, type CommandProblem } from './commands/CommandRegistry.js';
import { ContextKeys } from './commands/ContextKeys.js';
import type { HostConnection } from './HostConnection.js';
import type { WorkbenchLayout } from './WorkbenchLayout.js';
import type { ViewId } from './views.js';

export interface AttemptOptions {
  /** Replaces the advice derived from the error's code where it would not fit the action; null for none. */
  hint?: (err: unknown) => string | null | undefined;
  /** Called after a failure (not a cancel) was reported. */
  onError?: (err: unknown) => void;
}

/** True while a dialog is open; the keybinding table keeps editor shortcuts away from dialogs with it. */
const DIALOG_OPEN = 'dialogOpen';

const BUG_HINT = 'This is a bug in Pinwheel, not something you did.';

export class Workbench {
  readonly api: ApiClient;
  readonly board: BoardStore;
  readonly notifications = new Notifications();
  readonly jobs: Jobs;
  readonly dialogs = new Dialogs();
  readonly drafts: DraftKeeper;
  readonly boardTerminal: BoardTerminal;
  readonly mqtt: MqttExplorer;
  /** Numbers the board prints, for the plotter beside the terminal; collected while it is open. */
  readonly plotter = new PlotterModel();
  readonly commands = new CommandRegistry((problem) => this.reportCommandProblem(problem));
  readonly context = new ContextKeys((key) => this.notifications.show('error', `A keybinding tests "${key}", which nothing defines`, undefined, BUG_HINT));
  /** Bumped after anything changed the board's files, so the file tree reloads. */
  readonly boardFilesVersion = new Observable(0);
  /** The package index installs use (the Libraries box and the new-device wizard); '' means the host's default. */
  readonly packageIndex = new Observable('');
  /**
   * The last file saved from the editor. The tree merges it in instead of
   * listing the board again: a listing enters the raw REPL, which would
   * interrupt the main.py that "Save and reset" just started.
   */
  readonly lastBoardWrite = new Observable<{ path: string; size: number } | null>(null);
  /** Asks before a board file is replaced by another file's content. */
  readonly boardReplace = new BoardReplaceGuard(this);
  /** Keeps open tabs in step with board files Pinwheel replaced or deleted. */
  readonly openBoardTabs = new OpenBoardTabs(this);
  /** Bumped after a save into the project folder or opening another one, so its tree shows the change. */
  readonly localFilesVersion = new Observable(0);

  constructor(
    readonly connection: HostConnection,
    readonly documents: EditorDocuments,
    readonly terminal: TerminalSession,
    readonly layout: WorkbenchLayout<ViewId>,
  ) {
    this.api = connection.api;
    this.board = new BoardStore(connection);
    this.jobs = new Jobs(this.api);
    this.drafts = new DraftKeeper(this.api, documents);
    const mqttProblem = (err: unknown) => this.notifications.error('The host sent an MQTT update Pinwheel could not read', err, BUG_HINT);
    this.mqtt = new MqttExplorer(
      this.api,
      connection,
      startTreeWorker((err) => this.notifications.error('The MQTT topic tree stopped working; reload the window to start it again', err, BUG_HINT)),
      mqttProblem,
    );
    this.boardTerminal = new BoardTerminal(terminal, this.api, this.board, {
      openTracebackLocation: (file, line) => void this.commands.execute(EditorCommands.revealTraceback, { file, line }),
      reportError: (title, err) => this.notifications.error(title, err),
    });
    this.api.on('terminal.data', ({ data }) => {
      if (this.layout.plotterVisible.get()) this.plotter.feed(data);
    });
    // A program's connection the virtual board refused: said once a minute per address, with where to allow it.
    const blockedSaid = new Map<string, number>();
    this.api.on('vboard.blocked', ({ address, port }) => {
      const key = `${address}:${port}`;
      if (Date.now() - (blockedSaid.get(key) ?? 0) < 60_000) return;
      blockedSaid.set(key, Date.now());
      this.notifications.show(
        'warning',
        `The virtual board's program could not reach ${key}`,
        'Its programs reach this computer and your local network; that address is on the internet, so the connection was refused (EHOSTUNREACH).',
        'To allow it, tick "Programs on it may reach the internet" under the virtual board in the Files view.',
      );
    });
    this.context.define(DIALOG_OPEN, () => this.dialogs.current.get() !== null);
    this.api.onProtocolError((err) => this.notifications.error('The host sent something Pinwheel did not understand', err));
  }

  /** Restores drafts once the host is reachable (and saves what waited while it was not). */
  startDrafts(pristineDocId?: string): void {
    const attempt = () => {
      if (this.connection.state.status !== 'connected') return;
      if (this.drafts.hasRestored) {
        this.drafts.retry();
        return;
      }
      this.drafts.restore(pristineDocId).then(
        (count) => {
          if (count > 0) this.notifications.info(`Restored ${count} unsaved ${count === 1 ? 'buffer' : 'buffers'}`, 'Changes not yet saved when Pinwheel last closed are back in their tabs.');
        },
        (err: unknown) => this.notifications.error('Could not restore unsaved buffers', err),
      );
    };
    this.connection.onDidChangeState(attempt);
    attempt();
  }

  /** Runs an action; a failure becomes a notification titled `title` and the result is undefined. */
  async attempt<T>(title: string, fn: () => Promise<T>, options: AttemptOptions = {}): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      if (isCancelled(err)) this.notifications.info(`${title.replace(/^Could not /, 'Cancelled: ')}`);
      else {
        this.notifications.error(title, err, options.hint?.(err));
        options.onError?.(err);
      }
      return undefined;
    }
  }

  /** Why board actions are unavailable, or null. */
  boardUnavailable(): string | null {
    return boardUnavailableReason(this.board.status.get());
  }

  private reportCommandProblem(problem: CommandProblem): void {
    if (problem.kind === 'unknown') this.notifications.show('error', `Pinwheel has no command "${problem.id}"`, undefined, BUG_HINT);
    else this.notifications.error(`${problem.title} failed`, problem.error, BUG_HINT);
  }
}
