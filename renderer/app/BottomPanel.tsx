import { ErrorBoundary } from '../shared/components/ErrorBoundary.js';
import { ChevronDownIcon, ChevronUpIcon, CloseIcon, TrashIcon } from '../shared/icons/Icons.js';
import type { TerminalSession } from '../features/terminal/TerminalSession.js';
import { TerminalView } from '../features/terminal/TerminalView.js';

interface BottomPanelProps {
  session: TerminalSession;
  height: number | null;
  maximized: boolean;
  hidden: boolean;
  onToggleMaximized(): void;
  onClose(): void;
}

/** The panel under the editor. Kept mounted while hidden so the terminal keeps its scrollback. */
export function BottomPanel({ session, height, maximized, hidden, onToggleMaximized, onClose }: BottomPanelProps) {
  return (
    <section
      className={`bottom-panel${maximized ? ' maximized' : ''}`}
      data-testid="panel"
      aria-label="Panel"
      hidden={hidden}
      style={height === null ? undefined : { height }}
    >
      <header className="panel-header">
        <div className="panel-tabs" role="tablist" aria-label="Panel views">
          <span className="panel-tab active" role="tab" aria-selected="true" id="panel-tab-terminal">
            Terminal
          </span>
        </div>
        <div className="panel-actions">
          <button type="button" className="icon-button" aria-label="Clear terminal" title="Clear terminal" onClick={() => session.clear()}>
            <TrashIcon size={16} />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={maximized ? 'Restore panel size' : 'Maximize panel'}
            title={maximized ? 'Restore panel size' : 'Maximize panel'}
            onClick={onToggleMaximized}
          >
            {maximized ? <ChevronDownIcon size={16} /> : <ChevronUpIcon size={16} />}
          </button>
          <button type="button" className="icon-button" aria-label="Hide panel" title="Hide panel (Ctrl+`)" onClick={onClose}>
            <CloseIcon size={16} />
          </button>
        </div>
      </header>
      <div className="panel-body" role="tabpanel" aria-labelledby="panel-tab-terminal">
        <ErrorBoundary region="The terminal">
          <TerminalView session={session} />
        </ErrorBoundary>
      </div>
    </section>
  );
}
