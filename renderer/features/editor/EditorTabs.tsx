import type { KeyboardEvent } from 'react';
import { CloseIcon } from '../../shared/icons/Icons.js';
import type { EditorDocument } from './EditorDocuments.js';

const ORIGIN_LABEL: Record<EditorDocument['origin'], string> = { untitled: 'untitled', board: 'board', local: 'local' };

function tabTooltip(doc: EditorDocument): string {
  const where = doc.origin === 'untitled' ? 'untitled, not saved anywhere yet' : doc.origin === 'board' ? `on the board: ${doc.path}` : `in the project folder: ${doc.path}`;
  return `${doc.name} (${where})${doc.dirty ? ' · unsaved changes' : ''}`;
}

interface EditorTabsProps {
  documents: readonly EditorDocument[];
  activeId: string | null;
  onActivate(id: string): void;
  onClose(id: string): void;
}

export function EditorTabs({ documents, activeId, onActivate, onClose }: EditorTabsProps) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>, index: number) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (step) {
      e.preventDefault();
      const next = documents[(index + step + documents.length) % documents.length];
      if (next) {
        onActivate(next.id);
        document.getElementById(`editor-tab-${next.id}`)?.focus();
      }
    } else if (e.key === 'Delete') {
      const doc = documents[index];
      if (doc) onClose(doc.id);
    }
  };

  return (
    <div className="editor-tabs" role="tablist" aria-label="Open editors">
      {documents.map((doc, index) => {
        const active = doc.id === activeId;
        return (
          <div
            key={doc.id}
            id={`editor-tab-${doc.id}`}
            className={`editor-tab${active ? ' active' : ''}${doc.dirty ? ' dirty' : ''}`}
            role="tab"
            aria-selected={active}
            tabIndex={active ? 0 : -1}
            title={tabTooltip(doc)}
            data-testid="editor-tab"
            data-dirty={doc.dirty}
            data-origin={doc.origin}
            data-path={doc.path}
            onMouseDown={(e) => {
              // Middle click closes, as in every tabbed editor.
              if (e.button === 1) {
                e.preventDefault();
                onClose(doc.id);
              }
            }}
            onClick={() => onActivate(doc.id)}
            onKeyDown={(e) => onKeyDown(e, index)}
          >
            <span className="editor-tab-icon" aria-hidden="true">
              py
            </span>
            <span className="editor-tab-name">{doc.name}</span>
            <span className={`editor-tab-origin ${doc.origin}`}>{doc.saving ? 'saving…' : ORIGIN_LABEL[doc.origin]}</span>
            <button
              type="button"
              className="editor-tab-close"
              aria-label={doc.dirty ? `Close ${doc.name} (unsaved changes)` : `Close ${doc.name}`}
              title="Close"
              tabIndex={-1}
              onClick={(e) => {
                e.stopPropagation();
                onClose(doc.id);
              }}
            >
              <span className="editor-tab-dirty-dot" aria-hidden="true" />
              <CloseIcon size={14} />
            </button>
          </div>
        );
      })}
    </div>
  );
}
