/**
 * Running the active buffer on the board (without saving it), stopping it,
 * and "Save and reset": the buffer becomes /main.py and the board restarts so
 * it runs as it would at power-up. Output streams into the terminal. Both act
 * on the connected board; "Save and reset" of a tab from another board asks
 * first, since it overwrites that board's main.py.
 */
import { shortcutFor } from '../../app/commands/keybindings.js';
import type { Workbench } from '../../app/Workbench.js';
import { BoardCommands } from '../boards/BoardCommands.js';
import { connectedBoard, sameBoard, saveDestination, type BoardIdentity } from './boardIdentity.js';
import { askWhereToSave } from './BoardSaveQuestion.js';
import type { DocumentOpener } from './DocumentOpener.js';
import { EditorCommands } from './EditorCommands.js';

/** Where "Save and reset" puts the program, so it starts at every boot. */
export const BOOT_FILE_PATH = '/main.py';
/** The key of a run's outcome toast: the next run replaces or clears it. */
const RUN_OUTCOME_KEY = 'run-outcome';

export class ProgramRunner {
  constructor(
    private readonly workbench: Workbench,
    private readonly opener: DocumentOpener,
  ) {}

  /** Runs the active buffer on the board without saving it; output streams into the terminal. */
  async run(): Promise<void> {
    const { workbench } = this;
    const doc = workbench.documents.active;
    if (!doc) return;
    const unavailable = workbench.boardUnavailable();
    if (unavailable) {
      workbench.notifications.show('error', `Could not run ${doc.name}`, unavailable);
      return;
    }
    const stopKey = shortcutFor(EditorCommands.stop);
    if (workbench.board.status.get().running) {
      workbench.notifications.show('warning', `Could not run ${doc.name}`, 'A program is already running on the board.', `Stop it first${stopKey ? ` (${stopKey})` : ''}.`);
      return;
    }
    const code = workbench.documents.text(doc.id);
    this.opener.noteRun(doc.id);
    // The last run's outcome is old news once the next run starts.
    workbench.notifications.dismissKey(RUN_OUTCOME_KEY);
    workbench.terminal.note(`Running ${doc.name}${stopKey ? ` (${stopKey} stops it)` : ''}`, { replacesPrompt: true });
    // No client timeout: a program may run until stopped; board.stop or the Stop button ends it.
    const result = await workbench.attempt(`Could not run ${doc.name}`, () => workbench.api.call('board.run', { code, name: doc.name }, { timeoutMs: 0 }));
    if (!result) return;
    if (result.interrupted) workbench.terminal.note(`${doc.name} was stopped.`);
    else if (!result.ok) {
      workbench.notifications.show('error', `${doc.name} stopped with an error`, result.error ?? 'The program raised an exception.', 'The traceback is in the terminal: click a File "…", line N link to jump to the line.', {
        key: RUN_OUTCOME_KEY,
        shownElsewhere: true,
      });
    } else workbench.terminal.note(`${doc.name} finished.`);
  }

  async stop(): Promise<void> {
    await this.workbench.attempt('Could not stop the program', () => this.workbench.api.call('board.stop', {}));
  }

  /** Writes the active buffer to /main.py and soft-resets the board so it starts as it would at power-up. */
  async saveAndReset(): Promise<void> {
    const { workbench } = this;
    const doc = workbench.documents.active;
    if (!doc) return;
    const unavailable = workbench.boardUnavailable();
    if (unavailable) {
      workbench.notifications.show('error', 'Could not save and reset', unavailable);
      return;
    }
    const status = workbench.board.status.get();
    const destination = saveDestination(doc.origin === 'board' ? doc.board : undefined, status);
    const board = connectedBoard(status);
    if (destination.kind === 'other') {
      const answer = await askWhereToSave(workbench.dialogs, doc, destination, status, { kind: 'saveAndReset', bootPath: BOOT_FILE_PATH });
      if (answer !== 'board') return;
      if (!sameBoard(connectedBoard(workbench.board.status.get()), destination.connected)) {
        workbench.notifications.show('warning', 'Nothing was saved or reset', `${doc.name}: the connected board changed while Pinwheel asked.`, 'Save and reset again to choose.');
        return;
      }
    }
    // Another file's text (or a tab of another board's main.py) replaces this board's main.py: ask first.
    // (The question about another board's tab above already said that main.py is overwritten.)
    if (destination.kind !== 'other' && !isBoardBootFile(doc, board) && !(await workbench.boardReplace.mayReplace([BOOT_FILE_PATH], `${doc.name}'s text`))) return;
    const content = workbench.documents.text(doc.id);
    if (workbench.board.status.get().running) await this.stop();
    const written = await workbench.attempt(`Could not save ${BOOT_FILE_PATH} to the board`, () =>
      workbench.jobs.run(`Saving ${BOOT_FILE_PATH} to the board`, (job) =>
        workbench.api.call('files.write', { path: BOOT_FILE_PATH, data: new TextEncoder().encode(content), jobId: job.id }, { signal: job.signal, timeoutMs: 0 }),
      ),
    );
    if (!written) return;
    workbench.lastBoardWrite.set({ path: written.path, size: written.bytes });
    // The tab is now the connected board's main.py when it was that file (of any board) or nothing yet.
    if (doc.origin === 'untitled' || (doc.origin === 'board' && doc.path === BOOT_FILE_PATH)) {
      if (doc.origin === 'untitled' || (board && !sameBoard(doc.board, board))) workbench.documents.setSource(doc.id, 'board', BOOT_FILE_PATH, board ?? undefined);
      workbench.documents.markSaved(doc.id, content);
    }
    await workbench.openBoardTabs.written(BOOT_FILE_PATH, content, doc.id);
    await workbench.commands.execute(BoardCommands.softReset);
  }
}

/** The tab is this board's own /main.py: saving it is editing it, not replacing it. */
export function isBoardBootFile(doc: { origin: string; path?: string; board?: BoardIdentity }, board: BoardIdentity | null): boolean {
  return doc.origin === 'board' && doc.path === BOOT_FILE_PATH && sameBoard(doc.board ?? board, board);
}
