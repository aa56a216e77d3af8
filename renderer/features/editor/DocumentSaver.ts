/**
 * Saving buffers to wherever they came from (the board or the project
 * folder; untitled ones ask for a board path), and closing tabs with unsaved
 * changes only after asking. Every failure ends in a notification, and the
 * buffer keeps its changes until a save succeeds.
 */
import type { Workbench } from '../../app/Workbench.js';
import { validBoardPath } from '../files/boardPaths.js';

export class DocumentSaver {
  constructor(private readonly workbench: Workbench) {}

  private get documents() {
    return this.workbench.documents;
  }

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
    const path = await this.workbench.dialogs.prompt('Save to the board', 'Path on the board', suggested, { okLabel: 'Save', validate: validBoardPath });
    if (!path) return false;
    const saved = await this.saveToBoard(id, path);
    if (saved) this.documents.setSource(id, 'board', path);
    return saved;
  }

  private async saveToBoard(id: string, path: string): Promise<boolean> {
    const { workbench } = this;
    const unavailable = workbench.boardUnavailable();
    if (unavailable) {
      workbench.notifications.show('error', `Could not save ${path} to the board`, unavailable, 'Your changes are kept in the editor (and survive a restart) until you save them.');
      return false;
    }
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
      workbench.lastBoardWrite.set({ path: done.path, size: done.bytes });
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
      workbench.localFilesVersion.update((v) => v + 1);
      return true;
    } finally {
      this.documents.setSaving(id, false);
    }
  }

  /** Closes a tab; unsaved changes are offered to be saved first. Resolves false when the person kept it open. */
  async close(id: string): Promise<boolean> {
    const doc = this.documents.get(id);
    if (!doc) return true;
    if (doc.dirty) {
      const answer = await this.workbench.dialogs.choose<'save' | 'discard' | 'cancel'>(
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
}
