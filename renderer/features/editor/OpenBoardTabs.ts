/**
 * Open tabs follow what Pinwheel does to their files on the board: a file
 * replaced by a save from another tab, "Save and reset" or an upload reloads
 * in a tab without unsaved edits; a tab with edits says the board copy
 * changed and lets the person keep their edits or take the board's text.
 * A deleted file's tab is marked deleted (saving puts the file back).
 */
import type { Workbench } from '../../app/Workbench.js';
import { connectedBoard } from './boardIdentity.js';
import type { EditorDocument } from './EditorDocuments.js';

export class OpenBoardTabs {
  constructor(private readonly workbench: Workbench) {}

  /**
   * `path` on the connected board now holds `content` (null: not known here,
   * read from the board when a tab needs it). `except`: the tab that wrote it.
   */
  async written(path: string, content: string | null, except?: string): Promise<void> {
    for (const doc of this.tabsOf(path)) {
      if (doc.id === except) continue;
      const text = content ?? (await this.readBoardCopy(path));
      if (text === null || text === this.workbench.documents.savedContent(doc.id)) {
        this.workbench.documents.setDeleted(doc.id, false);
        continue;
      }
      if (!doc.dirty) {
        this.workbench.documents.reload(doc.id, text);
        continue;
      }
      const answer = await this.workbench.dialogs.choose<'mine' | 'board'>(
        `${doc.name} changed on the board`,
        `${path} on the board was just replaced, and this tab has edits that are not saved. Keep your edits (saving them replaces the board's copy again), or take the board's new text (your edits can be brought back with Undo).`,
        [
          { label: 'Keep my edits', value: 'mine', kind: 'plain', focus: true },
          { label: "Take the board's text", value: 'board', kind: 'primary' },
        ],
        'mine',
      );
      if (answer === 'board') this.workbench.documents.reload(doc.id, text);
    }
  }

  /** `path` (a file, or a folder and everything in it) was deleted from the connected board. */
  deleted(path: string): void {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    for (const doc of this.workbench.documents.all) {
      if (doc.origin !== 'board' || !doc.path || !this.onConnectedBoard(doc)) continue;
      if (doc.path === path || doc.path.startsWith(prefix)) this.workbench.documents.setDeleted(doc.id, true);
    }
  }

  private tabsOf(path: string): EditorDocument[] {
    return this.workbench.documents.all.filter((d) => d.origin === 'board' && d.path === path && this.onConnectedBoard(d));
  }

  private onConnectedBoard(doc: EditorDocument): boolean {
    const board = connectedBoard(this.workbench.board.status.get());
    // A tab from an old draft does not know its board: it is taken to be this one's.
    return !!board && (!doc.board || doc.board.path === board.path);
  }

  private async readBoardCopy(path: string): Promise<string | null> {
    const file = await this.workbench.api.call('files.read', { path }).catch(() => null);
    return file ? new TextDecoder().decode(file.data) : null;
  }
}
