/**
 * Saving buffers to wherever they came from (the board or the project
 * folder; untitled ones ask for a board path), and closing tabs with unsaved
 * changes only after asking. A board file is only written to its own board:
 * when another board is connected, or none, the person chooses between the
 * connected board and this computer first. Every failure ends in a
 * notification, and the buffer keeps its changes until a save succeeds.
 */
import type { Workbench } from '../../app/Workbench.js';
import { FileCommands } from '../files/FileCommands.js';
import { validBoardPath, validProjectPath } from '../files/boardPaths.js';
import { boardShortName, connectedBoard, sameBoard, saveDestination, type BoardIdentity } from './boardIdentity.js';
import { askWhereToSave } from './BoardSaveQuestion.js';
import type { DocumentOrigin } from './EditorDocuments.js';

export class DocumentSaver {
  constructor(private readonly workbench: Workbench) {}

  private get documents() {
    return this.workbench.documents;
  }

  /** Saves a buffer to where it came from; untitled buffers ask for a board path. Resolves true when saved. */
  async save(id = this.documents.active?.id): Promise<boolean> {
    const doc = id ? this.documents.get(id) : undefined;
    if (!doc) return false;
    if (doc.origin === 'untitled' || !doc.path) return this.workbench.boardUnavailable() ? this.saveWithoutBoard(doc.id) : this.saveToBoardAs(doc.id);
    if (doc.origin === 'local') return this.saveLocal(doc.id, doc.path);
    const status = this.workbench.board.status.get();
    const destination = saveDestination(doc.board, status);
    if (destination.kind === 'here') return this.saveToBoard(doc.id, doc.path);
    const answer = await askWhereToSave(this.workbench.dialogs, doc, destination, status);
    if (answer === 'local') return this.saveOnComputer(doc.id);
    if (answer === 'board' && destination.kind === 'other') return this.saveToBoard(doc.id, doc.path, destination.connected);
    return false;
  }

  /** Saves every buffer with unsaved changes, one after the other (each may ask where); true when none is left unsaved. */
  async saveAll(): Promise<boolean> {
    let all = true;
    for (const doc of this.documents.all.filter((d) => d.dirty)) {
      this.documents.activate(doc.id);
      if (!(await this.save(doc.id))) all = false;
    }
    return all;
  }

  /**
   * An untitled tab with no board to save to: code written before a board is
   * plugged in is kept (as a draft, across restarts) or saved on this computer.
   */
  private async saveWithoutBoard(id: string): Promise<boolean> {
    const doc = this.documents.get(id);
    if (!doc) return false;
    const answer = await this.workbench.dialogs.choose<'draft' | 'local'>(
      'No board is connected',
      `${doc.name} can wait for one: Pinwheel keeps this tab as a draft, even across restarts, and you save it to the board once it is connected. Or save it on this computer now, in a project folder.`,
      [
        { label: 'Keep as draft', value: 'draft', kind: 'plain' },
        { label: 'Save on this computer…', value: 'local', kind: 'primary' },
      ],
      'draft',
      { testId: 'dialog-no-board' },
    );
    return answer === 'local' ? this.saveOnComputer(id) : false;
  }

  async saveToBoardAs(id: string): Promise<boolean> {
    const doc = this.documents.get(id);
    if (!doc) return false;
    const suggested = doc.origin === 'board' && doc.path ? doc.path : `/${doc.name.endsWith('.py') ? doc.name : 'main.py'}`;
    const path = await this.workbench.dialogs.prompt('Save to the board', 'Path on the board', suggested, { okLabel: 'Save', validate: validBoardPath });
    if (!path) return false;
    return this.saveToBoard(id, path);
  }

  /**
   * Writes the buffer to `path` on the connected board, which the tab then
   * belongs to. `expected`: the board the person chose in the question; if
   * another one is connected by the time they answered, nothing is written.
   */
  private async saveToBoard(id: string, path: string, expected?: BoardIdentity): Promise<boolean> {
    const { workbench } = this;
    const unavailable = workbench.boardUnavailable();
    if (unavailable) {
      workbench.notifications.show('error', `Could not save ${path} to the board`, unavailable, 'Your changes are kept in the editor (and survive a restart) until you save them.');
      return false;
    }
    const board = connectedBoard(workbench.board.status.get());
    if (expected && !sameBoard(board, expected)) {
      workbench.notifications.show('warning', `${path} was not saved`, `${boardShortName(expected)} is no longer the connected board.`, 'Your changes are kept in the editor. Save again to choose where they go.');
      return false;
    }
    const doc = this.documents.get(id);
    // Saving a board file's own tab edits it; any other tab written there replaces that file: ask first.
    const ownFile = doc?.origin === 'board' && doc.path === path && sameBoard(doc.board ?? board, board);
    // (With `expected`, the person already answered the other-board question, which says the file there is replaced.)
    if (doc && !ownFile && !expected && !(await workbench.boardReplace.mayReplace([path], `${doc.name}'s text`))) return false;
    const content = this.documents.text(id);
    this.documents.setSaving(id, true);
    try {
      const done = await workbench.attempt(`Could not save ${path} to the board`, () =>
        workbench.jobs.run(`Saving ${path} to the board`, (job) =>
          workbench.api.call('files.write', { path, data: new TextEncoder().encode(content), jobId: job.id }, { signal: job.signal, timeoutMs: 0 }),
        ),
      );
      if (!done) return false;
      this.documents.markSaved(id, content);
      this.documents.setDeleted(id, false);
      this.settle(id, 'board', path, board ?? undefined);
      workbench.lastBoardWrite.set({ path: done.path, size: done.bytes });
      // Other tabs of that file with edits of their own hear that it changed (clean ones were closed by settle).
      void workbench.openBoardTabs.written(done.path, content, id);
      return true;
    } finally {
      this.documents.setSaving(id, false);
    }
  }

  private async saveLocal(id: string, path: string): Promise<boolean> {
    const { workbench } = this;
    const content = this.documents.text(id);
    this.documents.setSaving(id, true);
    try {
      const done = await workbench.attempt(`Could not save ${path} in the project folder`, () => workbench.api.call('workspace.writeFile', { path, data: new TextEncoder().encode(content) }));
      if (!done) return false;
      this.documents.markSaved(id, content);
      this.settle(id, 'local', path);
      workbench.localFilesVersion.update((v) => v + 1);
      return true;
    } finally {
      this.documents.setSaving(id, false);
    }
  }

  /**
   * "Save on this computer…": into the project folder (offering to open one
   * when none is), at a path the person confirms; the tab then is that file.
   */
  async saveOnComputer(id: string): Promise<boolean> {
    const { workbench } = this;
    const doc = this.documents.get(id);
    if (!doc) return false;
    const current = () => workbench.attempt('Could not reach the project folder', () => workbench.api.call('workspace.current', {}));
    let folder = await current();
    if (folder === undefined) return false;
    if (folder === null) {
      const open = await workbench.dialogs.choose(
        'No project folder is open',
        `Pinwheel saves files on this computer into a project folder. Open one (it is also in the Files view, under the board's files), then choose where ${doc.name} goes in it. Until you save, the changes stay in this tab.`,
        [
          { label: 'Cancel', value: false, kind: 'plain' },
          { label: 'Open folder…', value: true, kind: 'primary' },
        ],
        false,
      );
      if (!open) return false;
      await workbench.commands.execute(FileCommands.openProjectFolder, {});
      folder = await current();
      if (!folder) return false;
    }
    const suggested = (doc.path ?? doc.name).replace(/^\/+/, '') || doc.name;
    const path = await workbench.dialogs.prompt(`Save ${doc.name} on this computer`, `Path in the project folder ${folder.name}`, suggested, { okLabel: 'Save', validate: validProjectPath });
    if (!path) return false;
    const entries = await workbench.attempt('Could not read the project folder', () => workbench.api.call('workspace.list', {}));
    if (!entries) return false;
    const existing = entries.find((e) => e.path === path);
    if (existing?.type === 'dir') {
      workbench.notifications.show('error', `Could not save ${path} in the project folder`, `${path} is a folder there.`, 'Save again and choose another name.');
      return false;
    }
    if (existing && !(await workbench.dialogs.confirm(`Replace ${path}?`, `${folder.name} already has ${path}. Saving replaces it with this tab's text.`, 'Replace', true))) return false;
    return this.saveLocal(id, path);
  }

  /**
   * The tab is now the file it was saved as. Another tab holding that same
   * file without changes of its own would show stale text, so it closes; one
   * with unsaved changes stays open, keeping them.
   */
  private settle(id: string, origin: DocumentOrigin, path: string, board?: BoardIdentity): void {
    const doc = this.documents.get(id);
    if (!doc) return;
    const boardChanged = origin === 'board' && board !== undefined && (doc.board?.path !== board.path || doc.board.name !== board.name);
    if (doc.origin !== origin || doc.path !== path || boardChanged) this.documents.setSource(id, origin, path, board);
    for (const other of this.documents.all) {
      if (other.id === id || other.dirty || other.origin !== origin || other.path !== path) continue;
      if (origin === 'board' && other.board?.path !== board?.path) continue;
      this.documents.close(other.id);
    }
  }

  /** Closes a tab; unsaved changes are offered to be saved first. Resolves false when the person kept it open. */
  async close(id: string): Promise<boolean> {
    const doc = this.documents.get(id);
    if (!doc) return true;
    if (doc.dirty) {
      const where = doc.origin === 'board' ? ` to ${doc.board ? boardShortName(doc.board) : 'the board'}` : doc.origin === 'local' ? ' to the project folder' : ' anywhere yet';
      const answer = await this.workbench.dialogs.choose<'save' | 'discard' | 'cancel'>(
        `Save changes to ${doc.name}?`,
        `${doc.name} has changes that are not saved${where}. They are lost if you close it without saving.`,
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
}
