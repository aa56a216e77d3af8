import './BottomPanel.css';
import { ErrorBoundary } from '../shared/components/ErrorBoundary.js';
import { ChevronDownIcon, ChevronUpIcon, CloseIcon, CopyIcon, TrashIcon } from '../shared/icons/Icons.js';
import { useObservable } from '../shared/util/Observable.js';
import { TerminalCommands } from '../features/terminal/TerminalCommands.js';
import type { TerminalSession } from '../features/terminal/TerminalSession.js';
import { TerminalView } from '../features/terminal/TerminalView.js';
import { MqttPanel } from '../features/mqtt/MqttPanel.js';
import { PlotterView } from '../features/plotter/PlotterView.js';
import type { PanelTab } from './WorkbenchLayout.js';
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
  const tab = useObservable(workbench.layout.panelTab);
  const plotter = useObservable(workbench.layout.plotterVisible);
  const tabButton = (id: PanelTab, label: string) => (
    <button
      type="button"
      className={`panel-tab${tab === id ? ' active' : ''}`}
      role="tab"
      aria-selected={tab === id}
      aria-controls={`panel-body-${id}`}
      id={`panel-tab-${id}`}
      onClick={() => workbench.layout.panelTab.set(id)}
    >
      {label}
    </button>
  );

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
          {tabButton('terminal', 'Terminal')}
          {tabButton('mqtt', 'Messages')}
          {busy && tab === 'terminal' && (
            <span className="terminal-busy" data-testid="terminal-busy" role="status" title="Keys you type are held and sent when the board is free again.">
              <span className="spinner" aria-hidden="true" />
              Waiting: a file operation is using the board
            </span>
          )}
        </div>
        <div className="panel-actions">
          {tab === 'terminal' && (
            <>
          <button
            type="button"
            className={`button small plotter-toggle${plotter ? ' active' : ''}`}
            aria-pressed={plotter}
            title="Plot the numbers the program prints, beside the terminal"
            onClick={() => workbench.layout.plotterVisible.set(!plotter)}
          >
            Plotter
          </button>
          <button type="button" className="icon-button" aria-label="Copy terminal text" title="Copy the selection, or everything when nothing is selected" data-testid="terminal-copy" onClick={() => void commands.execute(TerminalCommands.copy)}>
            <CopyIcon size={16} />
          </button>
          <button type="button" className="icon-button" aria-label="Clear terminal" title="Clear terminal" data-testid="terminal-clear" onClick={() => void commands.execute(TerminalCommands.clear)}>
            <TrashIcon size={16} />
          </button>
            </>
          )}
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
      {/* The terminal stays mounted while the MQTT tab shows, so it keeps its scrollback and size. */}
      <div className={`panel-body${busy ? ' busy' : ''}`} role="tabpanel" id="panel-body-terminal" aria-labelledby="panel-tab-terminal" hidden={tab !== 'terminal'}>
        <div className="terminal-split">
          <div className="terminal-split-main">
            <ErrorBoundary region="The terminal">
              <TerminalView session={session} />
            </ErrorBoundary>
          </div>
          {plotter && (
            <div className="terminal-split-side">
              <ErrorBoundary region="The plotter">
                <PlotterView />
              </ErrorBoundary>
            </div>
          )}
        </div>
      </div>
      {tab === 'mqtt' && (
        <div className="panel-body" role="tabpanel" id="panel-body-mqtt" aria-labelledby="panel-tab-mqtt">
          <ErrorBoundary region="The MQTT panel">
            <MqttPanel />
          </ErrorBoundary>
        </div>
      )}
    </section>
  );
}
