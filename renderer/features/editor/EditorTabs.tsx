/**
 * The open editors as tabs: name, where the file lives (for a board file, a
 * badge naming its board, dimmed when that board is not the connected one),
 * and close. The tab's accessible name stays "<name> <origin>"; its board is
 * the accessible description.
 */
import type { KeyboardEvent } from 'react';
import { CloseIcon, UsbIcon, VirtualBoardIcon } from '../../shared/icons/Icons.js';
import { boardLongName, boardShortName, isVirtualBoard, type BoardIdentity } from './boardIdentity.js';
import type { EditorDocument } from './EditorDocuments.js';

const ORIGIN_LABEL: Record<EditorDocument['origin'], string> = { untitled: 'untitled', board: 'board', local: 'local' };

/** Where a board file lives, as a sentence part: "on Virtual board", "on CP210x USB-UART … on /dev/ttyUSB0". */
function boardPhrase(board: BoardIdentity, connectedPath: string | null): string {
  const here = board.path === connectedPath ? 'connected' : 'not connected: saving asks where to save it';
  return `on ${boardLongName(board)} (${here})`;
}

function tabTooltip(doc: EditorDocument, connectedPath: string | null): string {
  const where = doc.deleted
    ? `${doc.path} was deleted from the board; Save puts it back`
    : doc.origin === 'untitled'
      ? 'untitled, not saved anywhere yet'
      : doc.origin === 'local'
        ? `in the project folder: ${doc.path}`
        : doc.board
          ? `${doc.path} ${boardPhrase(doc.board, connectedPath)}`
          : `on the board: ${doc.path}`;
  return `${doc.name} (${where})${doc.dirty ? ' · unsaved changes' : ''}`;
}

interface EditorTabsProps {
  documents: readonly EditorDocument[];
  activeId: string | null;
  /** The connected board's port path, null when none is connected and ready. */
  connectedBoardPath: string | null;
  onActivate(id: string): void;
  onClose(id: string): void;
}

export function EditorTabs({ documents, activeId, connectedBoardPath, onActivate, onClose }: EditorTabsProps) {
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
        const originLabel = doc.saving ? 'saving…' : doc.deleted ? 'deleted' : ORIGIN_LABEL[doc.origin];
        const boardConnected = doc.board ? doc.board.path === connectedBoardPath : undefined;
        return (
          <div
            key={doc.id}
            id={`editor-tab-${doc.id}`}
            className={`editor-tab${active ? ' active' : ''}${doc.dirty ? ' dirty' : ''}${doc.deleted ? ' deleted' : ''}`}
            role="tab"
            aria-selected={active}
            tabIndex={active ? 0 : -1}
            title={tabTooltip(doc, connectedBoardPath)}
            aria-label={`${doc.name} ${originLabel}`}
            aria-description={doc.board ? boardPhrase(doc.board, connectedBoardPath) : undefined}
            data-testid="editor-tab"
            data-dirty={doc.dirty}
            data-deleted={doc.deleted ?? false}
            data-origin={doc.origin}
            data-path={doc.path}
            data-board={doc.board?.path}
            data-board-connected={boardConnected}
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
            {doc.board && !doc.saving && !doc.deleted ? <BoardBadge board={doc.board} connected={boardConnected ?? false} /> : <span className={`editor-tab-origin ${doc.origin}`}>{originLabel}</span>}
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

/** The board a board file belongs to: the tab strip's way of telling two boards' main.py apart. */
function BoardBadge({ board, connected }: { board: BoardIdentity; connected: boolean }) {
  const Icon = isVirtualBoard(board) ? VirtualBoardIcon : UsbIcon;
  return (
    <span className={`editor-tab-board${connected ? ' connected' : ''}`} data-testid="editor-tab-board" aria-hidden="true">
      <Icon size={12} />
      <span className="editor-tab-board-name">{boardShortName(board)}</span>
    </span>
  );
}
