/**
 * The open editor buffers: one Monaco model each, the active one, and whether
 * each has changes since it was last saved. Lives outside React so other
 * features (the board's file browser, "Run") can open, read and mark
 * documents saved; React reads it through useEditorDocuments().
 */
import { monaco } from './monaco.js';

export interface EditorDocument {
  readonly id: string;
  /** File name shown on the tab, e.g. "main.py". */
  readonly name: string;
  /** Where the file lives ("untitled", "board", "local"), shown beside the name. */
  readonly origin: 'untitled' | 'board' | 'local';
  readonly dirty: boolean;
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
  viewState: monaco.editor.ICodeEditorViewState | null;
  listener: monaco.IDisposable;
}

export interface OpenOptions {
  name: string;
  content: string;
  origin: EditorDocument['origin'];
  /** Monaco language id; guessed from the name when left out. */
  language?: string;
}

export class EditorDocuments {
  private readonly entries = new Map<string, Entry>();
  private order: string[] = [];
  private activeId: string | null = null;
  private cursor: CursorPosition | null = null;
  private nextId = 1;
  private snapshotValue: EditorDocumentsSnapshot = { documents: [], activeId: null, cursor: null };
  private readonly listeners = new Set<() => void>();

  /** Returns a function that unsubscribes. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** An immutable view, replaced on every change (what useSyncExternalStore needs). */
  getSnapshot = (): EditorDocumentsSnapshot => this.snapshotValue;

  open(options: OpenOptions): EditorDocument {
    const id = `doc-${this.nextId++}`;
    const uri = monaco.Uri.from({ scheme: options.origin === 'untitled' ? 'untitled' : 'pinwheel', path: `/${id}/${options.name}` });
    const language = options.language ?? languageForName(options.name);
    const model = monaco.editor.createModel(options.content, language, uri);
    const entry: Entry = {
      doc: { id, name: options.name, origin: options.origin, dirty: false },
      model,
      savedVersionId: model.getAlternativeVersionId(),
      viewState: null,
      listener: model.onDidChangeContent(() => this.refreshDirty(id)),
    };
    this.entries.set(id, entry);
    this.order = [...this.order, id];
    this.activeId = id;
    this.publish();
    return entry.doc;
  }

  activate(id: string): void {
    if (!this.entries.has(id) || this.activeId === id) return;
    this.activeId = id;
    this.publish();
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
  }

  /** The Monaco model behind a document, for the editor view and for features that read or replace text. */
  model(id: string): monaco.editor.ITextModel | undefined {
    return this.entries.get(id)?.model;
  }

  /** Records that the current text is what is stored (after a save), clearing the dirty mark. */
  markSaved(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.savedVersionId = entry.model.getAlternativeVersionId();
    this.refreshDirty(id);
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

  private refreshDirty(id: string) {
    const entry = this.entries.get(id);
    if (!entry) return;
    // Alternative version ids return to the saved value on undo, so undoing every edit clears the mark.
    const dirty = entry.model.getAlternativeVersionId() !== entry.savedVersionId;
    if (dirty === entry.doc.dirty) return;
    entry.doc = { ...entry.doc, dirty };
    this.publish();
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
