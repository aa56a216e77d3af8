/**
 * The workbench's services and the commands that span features: connect,
 * save (to wherever a buffer came from), run and stop, save and reset, open a
 * board file (also from a traceback link), and the close guard. Views call
 * these; every failure ends in a notification that says what failed and what
 * to do, and every long wait is a job the person can cancel.
 */
import type { ApiClient } from '../../electron/common/api/client.js';
import { DEFAULT_CALL_TIMEOUT_MS } from '../../electron/common/api/client.js';
import type { PortInfo } from '../../electron/common/api/contract.js';
import { ApiError } from '../../electron/common/api/errors.js';
import { BoardStore, boardUnavailableReason } from '../features/boards/BoardStore.js';
import { DraftKeeper } from '../features/editor/DraftKeeper.js';
import { baseName, type EditorDocuments } from '../features/editor/EditorDocuments.js';
import { registerMicroPythonCompletion } from '../features/editor/completionProvider.js';
import { BoardTerminal } from '../features/terminal/BoardTerminal.js';
import type { TerminalSession } from '../features/terminal/TerminalSession.js';
import { boardPathOf } from '../features/terminal/tracebackLinks.js';
import { Dialogs } from '../shared/dialogs/Dialogs.js';
import { Jobs } from '../shared/jobs/Jobs.js';
import { Notifications, isCancelled } from '../shared/notifications/Notifications.js';
import { base64ToText, textToBase64 } from '../../electron/common/util/base64.js';
import { Observable } from '../shared/util/Observable.js';
import type { HostConnection } from './HostConnection.js';

/** Connecting probes the board (and may boot the virtual one); give it longer than an ordinary call. */
export const CONNECT_TIMEOUT_MS = 60_000;
/** Completion must feel instant: a board slower than this gets the bundled list only. */
export const COMPLETION_TIMEOUT_MS = 2000;
/** Where "Save and reset" puts the program, so it starts at every boot. */
export const BOOT_FILE_PATH = '/main.py';

export function validBoardPath(value: string): string | null {
  if (!value.startsWith('/')) return 'A board path starts with /, e.g. /main.py.';
  if (value.endsWith('/')) return 'Add a file name after the last /.';
  if (value.includes('\0') || /\/\//.test(value)) return 'That is not a valid path.';
  return null;
}

export interface AttemptOptions {
  /** Replaces the advice derived from the error's code where it would not fit the action; null for none. */
  hint?: (err: unknown) => string | null | undefined;
  /** Called after a failure (not a cancel) was reported. */
  onError?: (err: unknown) => void;
}

function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'NOT_FOUND';
}

export class Workbench {
  readonly api: ApiClient;
  readonly board: BoardStore;
  readonly notifications = new Notifications();
  readonly jobs: Jobs;
  readonly dialogs = new Dialogs();
  readonly drafts: DraftKeeper;
  readonly boardTerminal: BoardTerminal;
  /** Bumped after anything changed the board's files, so the file tree reloads. */
  readonly boardFilesVersion = new Observable(0);
  /**
   * The last file saved from the editor. The tree merges it in instead of
   * listing the board again: a listing enters the raw REPL, which would
   * interrupt the main.py that "Save and reset" just started.
   */
  readonly lastBoardWrite = new Observable<{ path: string; size: number } | null>(null);
  /** Bumped after a save into the project folder, so its tree shows the new size. */
  readonly localFilesVersion = new Observable(0);
  /** The document whose code is running (Run), for `<stdin>` traceback links. */
  private lastRunDocId: string | null = null;

  constructor(
    readonly connection: HostConnection,
    readonly documents: EditorDocuments,
    readonly terminal: TerminalSession,
  ) {
    this.api = connection.api;
    this.board = new BoardStore(connection);
    this.jobs = new Jobs(this.api);
    this.drafts = new DraftKeeper(this.api, documents);
    this.boardTerminal = new BoardTerminal(terminal, this.api, this.board, {
      openTracebackLocation: (file, line) => void this.openTracebackLocation(file, line),
      reportError: (title, err) => this.notifications.error(title, err),
    });
    registerMicroPythonCompletion((expr, signal) => this.boardCompletions(expr, signal));
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

  /**
   * For actions on a board file the tree shows: when the file is gone (deleted
   * from the REPL or another tool), the board is listed again so the tree stops
   * offering a file that is not there, and the notification says so.
   */
  readonly missingBoardFile: AttemptOptions = {
    hint: (err) => (isNotFound(err) ? 'It is no longer on the board (changed from the REPL or another tool?). The file list now shows what is there.' : undefined),
    onError: (err) => {
      if (isNotFound(err)) this.boardFilesVersion.update((v) => v + 1);
    },
  };

  /** Why board actions are unavailable, or null. */
  boardUnavailable(): string | null {
    return boardUnavailableReason(this.board.status.get());
  }

  // ---- board connection ---------------------------------------------------------------

  async connect(port: PortInfo | string): Promise<void> {
    const path = typeof port === 'string' ? port : port.path;
    const name = typeof port === 'string' ? port : port.friendlyName;
    await this.attempt(
      `Could not connect to ${name}`,
      () => this.jobs.run(`Connecting to ${name}`, (job) => this.api.call('board.connect', { path }, { signal: job.signal, timeoutMs: CONNECT_TIMEOUT_MS })),
      // A missing port's message already says what to do; the NOT_FOUND advice is about files ("refresh the file list").
      { hint: (err) => (err instanceof ApiError && err.code === 'NOT_FOUND' ? null : undefined) },
    );
  }

  async disconnect(): Promise<void> {
    await this.attempt('Could not disconnect the board', () => this.api.call('board.disconnect', {}));
  }

  // ---- saving ---------------------------------------------------------------------------

  /** Saves a buffer to where it came from; untitled buffers ask for a board path. Resolves true when saved. */
  async save(id = this.documents.active?.id): Promise<boolean> {
    const doc = id ? this.documents.get(id) : undefined;
    if (!doc) return false;
    if (doc.origin === 'untitled' || !doc.path) return this.saveToBoardAs(doc.id);
    if (doc.origin === 'local') return this.saveLocal(doc.id, doc.path);
    return this.saveToBoard(doc.id, doc.path);
  }

  async saveToBoardAs(id: string): Promise<boolean> {
    const doc = this.documents.get(id);
    if (!doc) return false;
    const suggested = doc.origin === 'board' && doc.path ? doc.path : `/${doc.name.endsWith('.py') ? doc.name : 'main.py'}`;
    const path = await this.dialogs.prompt('Save to the board', 'Path on the board', suggested, { okLabel: 'Save', validate: validBoardPath });
    if (!path) return false;
    const saved = await this.saveToBoard(id, path);
    if (saved) this.documents.setSource(id, 'board', path);
    return saved;
  }

  private async saveToBoard(id: string, path: string): Promise<boolean> {
    const unavailable = this.boardUnavailable();
    if (unavailable) {
      this.notifications.show('error', `Could not save ${path} to the board`, unavailable, 'Your changes are kept in the editor (and survive a restart) until you save them.');
      return false;
    }
    const content = this.documents.text(id);
    this.documents.setSaving(id, true);
    try {
      const done = await this.attempt(`Could not save ${path} to the board`, () =>
        this.jobs.run(`Saving ${path} to the board`, (job) =>
          this.api.call('files.write', { path, base64: textToBase64(content), jobId: job.id }, { signal: job.signal, timeoutMs: 0 }),
        ),
      );
      if (!done) return false;
      this.documents.markSaved(id, content);
      this.lastBoardWrite.set({ path: done.path, size: done.bytes });
      return true;
    } finally {
      this.documents.setSaving(id, false);
    }
  }

  private async saveLocal(id: string, path: string): Promise<boolean> {
    const content = this.documents.text(id);
    this.documents.setSaving(id, true);
    try {
      const done = await this.attempt(`Could not save ${path} in the project folder`, () => this.api.call('workspace.writeFile', { path, base64: textToBase64(content) }));
      if (!done) return false;
      this.documents.markSaved(id, content);
      this.localFilesVersion.update((v) => v + 1);
      return true;
    } finally {
      this.documents.setSaving(id, false);
    }
  }

  /** Closes a tab; unsaved changes are offered to be saved first. Resolves false when the person kept it open. */
  async closeDocument(id: string): Promise<boolean> {
    const doc = this.documents.get(id);
    if (!doc) return true;
    if (doc.dirty) {
      const answer = await this.dialogs.choose<'save' | 'discard' | 'cancel'>(
        `Save changes to ${doc.name}?`,
        `${doc.name} has changes that are not saved${doc.origin === 'board' ? ' to the board' : doc.origin === 'local' ? ' to the project folder' : ' anywhere yet'}. They are lost if you close it without saving.`,
        [
          { label: "Don't save", value: 'discard', kind: 'plain' },
          { label: 'Cancel', value: 'cancel', kind: 'plain' },
          { label: 'Save', value: 'save', kind: 'primary' },
        ],
        'cancel',
      );
      if (answer === 'cancel') return false;
      if (answer === 'save' && !(await this.save(id))) return false;
    }
    this.documents.close(id);
    return true;
  }

  // ---- run, stop, reset --------------------------------------------------------------------

  /** Runs the active buffer on the board without saving it; output streams into the terminal. */
  async run(): Promise<void> {
    const doc = this.documents.active;
    if (!doc) return;
    const unavailable = this.boardUnavailable();
    if (unavailable) {
      this.notifications.show('error', `Could not run ${doc.name}`, unavailable);
      return;
    }
    if (this.board.status.get().running) {
      this.notifications.show('warning', `Could not run ${doc.name}`, 'A program is already running on the board.', 'Stop it first (Shift+F5).');
      return;
    }
    const code = this.documents.text(doc.id);
    this.lastRunDocId = doc.id;
    this.terminal.note(`Running ${doc.name} (Shift+F5 stops it)`);
    // No client timeout: a program may run until stopped; board.stop or the Stop button ends it.
    const result = await this.attempt(`Could not run ${doc.name}`, () => this.api.call('board.run', { code, name: doc.name }, { timeoutMs: 0 }));
    if (!result) return;
    if (result.interrupted) this.terminal.note(`${doc.name} was stopped.`);
    else if (!result.ok) {
      this.notifications.show('error', `${doc.name} stopped with an error`, result.error ?? 'The program raised an exception.', 'The traceback is in the terminal: click a File "…", line N link to jump to the line.');
    } else this.terminal.note(`${doc.name} finished.`);
  }

  async stop(): Promise<void> {
    await this.attempt('Could not stop the program', () => this.api.call('board.stop', {}));
  }

  /** Writes the active buffer to /main.py and soft-resets the board so it starts as it would at power-up. */
  async saveAndReset(): Promise<void> {
    const doc = this.documents.active;
    if (!doc) return;
    const unavailable = this.boardUnavailable();
    if (unavailable) {
      this.notifications.show('error', 'Could not save and reset', unavailable);
      return;
    }
    const content = this.documents.text(doc.id);
    if (this.board.status.get().running) await this.stop();
    const written = await this.attempt(`Could not save ${BOOT_FILE_PATH} to the board`, () =>
      this.jobs.run(`Saving ${BOOT_FILE_PATH} to the board`, (job) =>
        this.api.call('files.write', { path: BOOT_FILE_PATH, base64: textToBase64(content), jobId: job.id }, { signal: job.signal, timeoutMs: 0 }),
      ),
    );
    if (!written) return;
    this.lastBoardWrite.set({ path: written.path, size: written.bytes });
    if (doc.origin === 'untitled' || (doc.origin === 'board' && doc.path === BOOT_FILE_PATH)) {
      if (doc.origin === 'untitled') this.documents.setSource(doc.id, 'board', BOOT_FILE_PATH);
      this.documents.markSaved(doc.id, content);
    }
    await this.softReset();
  }

  async softReset(): Promise<void> {
    this.terminal.note('Soft reset: boot.py and main.py run now.');
    await this.attempt('Could not reset the board', () => this.api.call('board.softReset', {}, { timeoutMs: DEFAULT_CALL_TIMEOUT_MS }));
  }

  async hardReset(): Promise<void> {
    this.terminal.note('Hard reset.');
    await this.attempt('Could not reset the board', () => this.api.call('board.hardReset', {}));
  }

  // ---- opening files ------------------------------------------------------------------------

  async openBoardFile(path: string, line?: number): Promise<void> {
    const open = this.documents.find('board', path);
    if (open) {
      if (line) this.documents.reveal(open.id, line);
      else this.documents.activate(open.id);
      return;
    }
    const file = await this.attempt(
      `Could not open ${path} from the board`,
      () => this.jobs.run(`Reading ${path} from the board`, (job) => this.api.call('files.read', { path, jobId: job.id }, { signal: job.signal, timeoutMs: 0 })),
      this.missingBoardFile,
    );
    if (!file) return;
    const doc = this.documents.open({ name: baseName(path), content: base64ToText(file.base64), origin: 'board', path });
    if (line) this.documents.reveal(doc.id, line);
  }

  async openLocalFile(path: string): Promise<void> {
    const open = this.documents.find('local', path);
    if (open) {
      this.documents.activate(open.id);
      return;
    }
    const file = await this.attempt(`Could not open ${path}`, () => this.api.call('workspace.readFile', { path }));
    if (!file) return;
    this.documents.open({ name: baseName(path), content: base64ToText(file.base64), origin: 'local', path });
  }

  /** A traceback link was clicked: the open tab for that file (or the buffer that was run), else the file from the board. */
  async openTracebackLocation(file: string, line: number): Promise<void> {
    const boardPath = boardPathOf(file);
    if (!boardPath) {
      const ran = this.lastRunDocId ? this.documents.get(this.lastRunDocId) : undefined;
      if (ran) this.documents.reveal(ran.id, line);
      else this.notifications.show('info', `${file} is code that was sent to the board`, 'The buffer it came from is no longer open.');
      return;
    }
    const open = this.documents.find('board', boardPath);
    if (open) {
      this.documents.reveal(open.id, line);
      return;
    }
    const unavailable = this.boardUnavailable();
    if (unavailable) {
      this.notifications.show('error', `Could not open ${boardPath}`, unavailable);
      return;
    }
    await this.openBoardFile(boardPath, line);
  }

  // ---- completion -------------------------------------------------------------------------------

  private async boardCompletions(expr: string, signal: AbortSignal): Promise<readonly string[]> {
    const status = this.board.status.get();
    if (status.state !== 'connected' || status.busy || status.running) return [];
    const { names } = await this.api.call('board.completions', { expr }, { signal, timeoutMs: COMPLETION_TIMEOUT_MS });
    return names;
  }

  // ---- keyboard -----------------------------------------------------------------------------------

  /** Ctrl+S, F5 and Shift+F5 anywhere in the window (capture phase: ahead of Monaco, xterm and the browser's reload). */
  installShortcuts(win: Window): () => void {
    const onKeyDown = (e: KeyboardEvent) => {
      if (this.dialogs.current.get()) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !e.altKey && !e.shiftKey && (e.key === 's' || e.key === 'S')) void this.save();
      else if (e.key === 'F5' && !mod && !e.altKey) void (e.shiftKey ? this.stop() : this.run());
      else return;
      e.preventDefault();
      e.stopPropagation();
    };
    win.addEventListener('keydown', onKeyDown, true);
    return () => win.removeEventListener('keydown', onKeyDown, true);
  }
}
