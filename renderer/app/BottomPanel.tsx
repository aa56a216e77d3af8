import './BottomPanel.css';
import { ErrorBoundary } from '../shared/components/ErrorBoundary.js';
import { ChevronDownIcon, ChevronUpIcon, CloseIcon, CopyIcon, TrashIcon } from '../shared/icons/Icons.js';
import { useObservable } from '../shared/util/Observable.js';
import { TerminalCommands } from '../features/terminal/TerminalCommands.js';
import type { TerminalSession } from '../features/terminal/TerminalSession.js';
import { TerminalView } from '../features/terminal/TerminalView.js';
import { shortcutSuffix } from './commands/keybindings.js';
import { WorkbenchCommands } from './WorkbenchCommands.js';
import { useWorkbench } from './WorkbenchProvider.js';

interface BottomPanelProps {
  session: TerminalSession;
  height: number | null;
  maximized: boolean;
  hidden: boolean;
}

/** The panel under the editor. Kept mounted while hidden so the terminal keeps its scrollback. */
export function BottomPanel({ session, height, maximized, hidden }: BottomPanelProps) {
  const workbench = useWorkbench();
  const { commands } = workbench;
  const status = useObservable(workbench.board.status);
  // A program started with Run also holds the engine; that is "running", not a file operation.
  const busy = status.state === 'connected' && status.busy && !status.running;

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
          {busy && (
            <span className="terminal-busy" data-testid="terminal-busy" role="status" title="Keys you type are held and sent when the board is free again.">
              <span className="spinner" aria-hidden="true" />
              Waiting: a file operation is using the board
            </span>
          )}
        </div>
        <div className="panel-actions">
          <button type="button" className="icon-button" aria-label="Copy terminal text" title="Copy the selection, or everything when nothing is selected" data-testid="terminal-copy" onClick={() => void commands.execute(TerminalCommands.copy)}>
            <CopyIcon size={16} />
          </button>
          <button type="button" className="icon-button" aria-label="Clear terminal" title="Clear terminal" data-testid="terminal-clear" onClick={() => void commands.execute(TerminalCommands.clear)}>
            <TrashIcon size={16} />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={maximized ? 'Restore panel size' : 'Maximize panel'}
            title={maximized ? 'Restore panel size' : 'Maximize panel'}
            onClick={() => void commands.execute(WorkbenchCommands.toggleMaximizedPanel)}
          >
            {maximized ? <ChevronDownIcon size={16} /> : <ChevronUpIcon size={16} />}
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Hide panel"
            title={`Hide panel${shortcutSuffix(WorkbenchCommands.togglePanel)}`}
            onClick={() => void commands.execute(WorkbenchCommands.hidePanel)}
          >
            <CloseIcon size={16} />
          </button>
        </div>
      </header>
      <div className={`panel-body${busy ? ' busy' : ''}`} role="tabpanel" aria-labelledby="panel-tab-terminal">
        <ErrorBoundary region="The terminal">
          <TerminalView session={session} />
        </ErrorBoundary>
      </div>
    </section>
  );
}
