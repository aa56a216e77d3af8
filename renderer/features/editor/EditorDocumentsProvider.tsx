import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { EditorDocuments, EditorDocumentsSnapshot } from './EditorDocuments.js';

const EditorDocumentsContext = createContext<EditorDocuments | null>(null);

export function EditorDocumentsProvider({ documents, children }: { documents: EditorDocuments; children: ReactNode }) {
  return <EditorDocumentsContext.Provider value={documents}>{children}</EditorDocumentsContext.Provider>;
}

/** The document store, for actions (open, close, markSaved). */
export function useEditorDocuments(): EditorDocuments {
  const documents = useContext(EditorDocumentsContext);
  if (!documents) throw new Error('useEditorDocuments() needs an <EditorDocumentsProvider> above it.');
  return documents;
}

/** The open documents, active id and cursor; re-renders when any of them changes. */
export function useEditorSnapshot(): EditorDocumentsSnapshot {
  const documents = useEditorDocuments();
  return useSyncExternalStore(documents.subscribe, documents.getSnapshot);
}
