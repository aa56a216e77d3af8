/**
 * Keeps unsaved work on the host so it survives a reload, a host restart or a
 * crash: every open buffer that is dirty or untitled goes to `drafts.save`
 * about a second after the last change, and `drafts.load` brings them back
 * at start, each board file with the board it belongs to. Saving waits until
 * the first load finished, so an empty window cannot overwrite the drafts it
 * was about to restore.
 */
import type { ApiClient } from '../../../electron/common/api/client.js';
import type { Draft } from '../../../electron/common/api/contract.js';
import type { EditorDocuments } from './EditorDocuments.js';

/** Pause after the last keystroke before drafts are written. */
export const DRAFT_SAVE_DEBOUNCE_MS = 1000;
/** The contract's cap on drafts per save. */
export const MAX_DRAFTS = 200;

export class DraftKeeper {
  private restored = false;
  private changed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private saving: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly api: ApiClient,
    private readonly documents: EditorDocuments,
    private readonly debug: (message: string) => void = () => {},
  ) {
    this.unsubscribe = documents.onDidChangeContent(() => this.schedule());
  }

  get hasRestored(): boolean {
    return this.restored;
  }

  /**
   * Opens the drafts the host kept. `replaceIfPristine` is closed when drafts
   * exist and it was never edited (the welcome example). Returns how many were restored.
   */
  async restore(replaceIfPristine?: string): Promise<number> {
    if (this.restored) return 0;
    const drafts = await this.api.call('drafts.load', {});
    if (drafts.length > 0 && replaceIfPristine) {
      const pristine = this.documents.get(replaceIfPristine);
      if (pristine && !pristine.dirty && pristine.origin === 'untitled') this.documents.close(replaceIfPristine);
    }
    for (const draft of drafts) {
      const { kind, path, board } = draft.source;
      // Already open (restored twice): the same file of the same board, exactly.
      if (path && this.documents.all.some((d) => d.origin === kind && d.path === path && d.board?.path === board?.path)) continue;
      this.documents.open({
        name: draft.title,
        content: draft.content,
        origin: kind,
        ...(path ? { path } : {}),
        ...(board ? { board } : {}),
        ...(draft.savedContent !== undefined ? { savedContent: draft.savedContent } : {}),
      });
    }
    this.restored = true;
    if (this.changed) this.schedule();
    return drafts.length;
  }

  /** The drafts as they stand now. */
  snapshot(): Draft[] {
    const drafts: Draft[] = [];
    for (const doc of this.documents.all) {
      if (!doc.dirty && doc.origin !== 'untitled') continue;
      const saved = this.documents.savedContent(doc.id);
      drafts.push({
        id: doc.id,
        title: doc.name,
        source: { kind: doc.origin, ...(doc.path ? { path: doc.path } : {}), ...(doc.board ? { board: doc.board } : {}) },
        content: this.documents.text(doc.id),
        ...(saved !== undefined ? { savedContent: saved } : {}),
      });
    }
    return drafts.slice(0, MAX_DRAFTS);
  }

  /** Saves now (the page is going away, or a test waits for it); later saves queue behind. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.restored || !this.changed) return this.saving;
    this.changed = false;
    const drafts = this.snapshot();
    this.saving = this.saving.then(() =>
      this.api.call('drafts.save', { drafts }).then(
        () => undefined,
        (err: unknown) => {
          // The host is unreachable: try again with the next change or reconnect.
          this.changed = true;
          this.debug(`drafts not saved: ${(err as Error).message}`);
        },
      ),
    );
    return this.saving;
  }

  /** After the host connection comes back: saves what could not be saved while it was gone. */
  retry(): void {
    if (this.changed) this.schedule();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.unsubscribe();
  }

  private schedule(): void {
    this.changed = true;
    if (!this.restored) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), DRAFT_SAVE_DEBOUNCE_MS);
  }
}
