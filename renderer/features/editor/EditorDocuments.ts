/**
 * The open editor buffers: one Monaco model each, the active one, where each
 * came from (a path on a board, and which board; a local project path; or
 * nowhere yet) and whether each has changes since it was last saved. Lives outside React so other
 * features (the file managers, Run, drafts) can open, read and mark documents
 * saved; React reads it through useEditorDocuments().
 */
import { monaco } from './monaco.js';
import { baseName } from '../../../electron/common/util/slashPath.js';
import type { BoardIdentity } from './boardIdentity.js';

export type DocumentOrigin = 'untitled' | 'board' | 'local';

export interface DocumentSource {
  readonly kind: DocumentOrigin;
  /** Board path ("/main.py") or path relative to the project folder; absent for untitled buffers. */
  readonly path?: string;
  /** The board a board file was read from or last saved to (absent in drafts kept before tabs knew it). */
  readonly board?: BoardIdentity;
}

export interface EditorDocument {
  readonly id: string;
  /** File name shown on the tab, e.g. "main.py". */
  readonly name: string;
  /** Where the file lives ("untitled", "board", "local"), shown beside the name. */
  readonly origin: DocumentOrigin;
  readonly path?: string;
  /** Board files: the board it belongs to. */
  readonly board?: BoardIdentity;
  readonly dirty: boolean;
  /** A save is in flight. */
  readonly saving: boolean;
  /** The file was deleted from its board while the tab was open; saving puts it back. */
  readonly deleted?: boolean;
}

export interface CursorPosition {
  readonly line: number;
  readonly column: number;
}

export interface EditorDocumentsSnapshot {
  readonly documents: readonly EditorDocument[];
  readonly activeId: string | null;
  readonly cursor: CursorPosition | null;
}

interface Entry {
  doc: EditorDocument;
  model: monaco.editor.ITextModel;
  savedVersionId: number;
  savedContent: string;
  viewState: monaco.editor.ICodeEditorViewState | null;
  pendingReveal: number | null;
  listener: monaco.IDisposable;
}

export interface OpenOptions {
  name: string;
  content: string;
  origin: DocumentOrigin;
  path?: string;
  /** Board files: the board it was read from. */
  board?: BoardIdentity;
  /** What the stored file holds when it differs from `content` (a restored draft): the buffer opens dirty. */
  savedContent?: string;
  /** Monaco language id; guessed from the name when left out. */
  language?: string;
  /** Keep the current tab active (restoring drafts in the background). */
  background?: boolean;
}


export class EditorDocuments {
  private readonly entries = new Map<string, Entry>();
  private order: string[] = [];
  private activeId: string | null = null;
  private cursor: CursorPosition | null = null;
  private nextId = 1;
  private snapshotValue: EditorDocumentsSnapshot = { documents: [], activeId: null, cursor: null };
  private readonly listeners = new Set<() => void>();
  private readonly contentListeners = new Set<() => void>();
  private readonly revealListeners = new Set<(id: string, line: number) => void>();

  /** Returns a function that unsubscribes. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** An immutable view, replaced on every change (what useSyncExternalStore needs). */
  getSnapshot = (): EditorDocumentsSnapshot => this.snapshotValue;

  /** Any buffer's text changed, or a buffer opened, closed, or was saved: what the draft keeper watches. */
  onDidChangeContent(listener: () => void): () => void {
    this.contentListeners.add(listener);
    return () => this.contentListeners.delete(listener);
  }

  /** Asks the editor view to show a line (the view consumes pending reveals when it swaps models). */
  onDidRequestReveal(listener: (id: string, line: number) => void): () => void {
    this.revealListeners.add(listener);
    return () => this.revealListeners.delete(listener);
  }

  open(options: OpenOptions): EditorDocument {
    const id = `doc-${this.nextId++}`;
    const uri = monaco.Uri.from({ scheme: options.origin === 'untitled' ? 'untitled' : 'pinwheel', path: `/${id}/${options.name}` });
    const language = options.language ?? languageForName(options.name);
    const savedContent = options.savedContent ?? options.content;
    const model = monaco.editor.createModel(savedContent, language, uri);
    const savedVersionId = model.getAlternativeVersionId();
    if (savedContent !== options.content) {
      // An undoable edit on top of the saved text: the buffer is dirty, and undo leads back to the saved file.
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: options.content }], () => null);
    }
    const entry: Entry = {
      doc: {
        id,
        name: options.name,
        origin: options.origin,
        ...(options.path ? { path: options.path } : {}),
        ...(options.board && options.origin === 'board' ? { board: options.board } : {}),
        dirty: false,
        saving: false,
      },
      model,
      savedVersionId,
      savedContent,
      viewState: null,
      pendingReveal: null,
      listener: model.onDidChangeContent(() => {
        this.refreshDirty(id);
        this.emitContent();
      }),
    };
    this.entries.set(id, entry);
    this.order = [...this.order, id];
    this.refreshDirty(id, false);
    if (!options.background || this.activeId === null) this.activeId = id;
    this.publish();
    this.emitContent();
    return entry.doc;
  }

  /**
   * The open document for a board or project path, if any. With `boardPath`, a
   * board file must belong to that board: another board's /main.py is another
   * file. A board file whose board is unknown (an old draft) matches any board.
   */
  find(origin: DocumentOrigin, path: string, boardPath?: string): EditorDocument | undefined {
    for (const entry of this.entries.values()) {
      const { doc } = entry;
      if (doc.origin !== origin || doc.path !== path) continue;
      if (origin === 'board' && boardPath !== undefined && doc.board && doc.board.path !== boardPath) continue;
      return doc;
    }
    return undefined;
  }

  get(id: string): EditorDocument | undefined {
    return this.entries.get(id)?.doc;
  }

  get all(): readonly EditorDocument[] {
    return this.snapshotValue.documents;
  }

  get active(): EditorDocument | undefined {
    return this.activeId ? this.entries.get(this.activeId)?.doc : undefined;
  }

  activate(id: string): void {
    if (!this.entries.has(id) || this.activeId === id) return;
    this.activeId = id;
    this.publish();
  }

  /** Activates the document and shows `line` (1-based) with the cursor on it. */
  reveal(id: string, line: number): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.pendingReveal = line;
    this.activate(id);
    for (const listener of [...this.revealListeners]) listener(id, line);
  }

  /** The line waiting to be shown once the editor displays this document; cleared by reading it. */
  takePendingReveal(id: string): number | null {
    const entry = this.entries.get(id);
    if (!entry) return null;
    const line = entry.pendingReveal;
    entry.pendingReveal = null;
    return line;
  }

  close(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    const index = this.order.indexOf(id);
    entry.listener.dispose();
    entry.model.dispose();
    this.entries.delete(id);
    this.order = this.order.filter((x) => x !== id);
    if (this.activeId === id) {
      // Like other editors: the neighbour to the right takes focus, else the one to the left.
      this.activeId = this.order[Math.min(index, this.order.length - 1)] ?? null;
      if (this.activeId === null) this.cursor = null;
    }
    this.publish();
    this.emitContent();
  }

  /** The Monaco model behind a document, for the editor view and for features that read or replace text. */
  model(id: string): monaco.editor.ITextModel | undefined {
    return this.entries.get(id)?.model;
  }

  text(id: string): string {
    return this.entries.get(id)?.model.getValue() ?? '';
  }

  savedContent(id: string): string | undefined {
    return this.entries.get(id)?.savedContent;
  }

  /**
   * Records that `content` is what is now stored (after a save), clearing the
   * dirty mark if the buffer still holds it; typing during the save keeps it dirty.
   */
  markSaved(id: string, content = this.text(id)): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.savedContent = content;
    if (entry.model.getValue() === content) entry.savedVersionId = entry.model.getAlternativeVersionId();
    this.refreshDirty(id);
    this.emitContent();
  }

  /**
   * Gives a buffer its home after "Save as" or a save to another board or to
   * this computer, or follows a rename. `board` is the board of a board file
   * (left out: it keeps the one it has); other origins have none.
   */
  setSource(id: string, origin: DocumentOrigin, path: string, board?: BoardIdentity): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    const { board: previous, ...rest } = entry.doc;
    const owner = origin === 'board' ? (board ?? previous) : undefined;
    entry.doc = { ...rest, origin, path, name: baseName(path), ...(owner ? { board: owner } : {}) };
    const language = languageForName(entry.doc.name);
    if (entry.model.getLanguageId() !== language) monaco.editor.setModelLanguage(entry.model, language);
    this.publish();
    this.emitContent();
  }

  /**
   * The stored file changed under a tab (the board copy was replaced): the tab
   * now holds `content`, saved, as if just opened. An undoable edit, so Ctrl+Z
   * brings back what the tab showed.
   */
  reload(id: string, content: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    if (entry.model.getValue() !== content) entry.model.pushEditOperations([], [{ range: entry.model.getFullModelRange(), text: content }], () => null);
    this.setDeleted(id, false);
    this.markSaved(id, content);
  }

  /** Marks a tab whose file was deleted from its board (or, after a save, put back). */
  setDeleted(id: string, deleted: boolean): void {
    const entry = this.entries.get(id);
    if (!entry || (entry.doc.deleted ?? false) === deleted) return;
    const { deleted: _was, ...rest } = entry.doc;
    entry.doc = deleted ? { ...rest, deleted: true } : rest;
    this.publish();
  }

  setSaving(id: string, saving: boolean): void {
    const entry = this.entries.get(id);
    if (!entry || entry.doc.saving === saving) return;
    entry.doc = { ...entry.doc, saving };
    this.publish();
  }

  saveViewState(id: string, state: monaco.editor.ICodeEditorViewState | null): void {
    const entry = this.entries.get(id);
    if (entry) entry.viewState = state;
  }

  viewState(id: string): monaco.editor.ICodeEditorViewState | null {
    return this.entries.get(id)?.viewState ?? null;
  }

  setCursor(position: CursorPosition | null): void {
    if (this.cursor?.line === position?.line && this.cursor?.column === position?.column) return;
    this.cursor = position;
    this.publish();
  }

  private refreshDirty(id: string, notify = true) {
    const entry = this.entries.get(id);
    if (!entry) return;
    // Alternative version ids return to the saved value on undo, so undoing every edit clears the mark;
    // the text comparison catches a buffer edited back to what is stored.
    const dirty = entry.model.getAlternativeVersionId() !== entry.savedVersionId && entry.model.getValue() !== entry.savedContent;
    if (dirty === entry.doc.dirty) return;
    entry.doc = { ...entry.doc, dirty };
    if (notify) this.publish();
  }

  private emitContent() {
    for (const listener of [...this.contentListeners]) listener();
  }

  private publish() {
    this.snapshotValue = {
      documents: this.order.map((id) => this.entries.get(id)!.doc),
      activeId: this.activeId,
      cursor: this.cursor,
    };
    for (const listener of [...this.listeners]) listener();
  }
}

export function languageForName(name: string): string {
  const lower = name.toLowerCase();
  if (lower.endsWith('.py')) return 'python';
  return 'plaintext';
}
