import './StatusBar.css';
import { HostIcon, TerminalIcon } from '../shared/icons/Icons.js';
import { useEditorSnapshot } from '../features/editor/EditorDocumentsProvider.js';
import { ActiveBoardItem } from '../features/editor/ActiveBoardItem.js';
import { useHostConnection, useHostState } from './HostProvider.js';
import type { HostState } from './HostConnection.js';
import { useApiQuery } from './useApiQuery.js';
import { BoardStatusItems } from '../features/boards/BoardStatusItems.js';
import { shortcutSuffix } from './commands/keybindings.js';
import { WorkbenchCommands } from './WorkbenchCommands.js';
import { useWorkbench } from './WorkbenchProvider.js';

export function hostStatusText(state: HostState): string {
  switch (state.status) {
    case 'connected':
      return state.host === 'electron' ? 'Electron' : 'Web host';
    case 'connecting':
      return 'Connecting to host…';
    case 'disconnected':
      return 'Disconnected from host';
  }
}

function hostStatusTooltip(state: HostState): string {
  switch (state.status) {
    case 'connected':
      return state.host === 'electron' ? 'Connected to the Pinwheel desktop host.' : 'Connected to the Pinwheel web host.';
    case 'connecting':
      return state.attempt > 1 ? `Reaching the Pinwheel host (attempt ${state.attempt})…` : 'Reaching the Pinwheel host…';
    case 'disconnected':
      return state.retryInMs === null
        ? state.reason
        : `${state.reason} Retrying automatically; click to retry now.`;
  }
}

export function StatusBar({ panelVisible }: { panelVisible: boolean }) {
  const { commands } = useWorkbench();
  const connection = useHostConnection();
  const hostState = useHostState();
  const info = useApiQuery('app.info', {});
  const { cursor, activeId } = useEditorSnapshot();
  const disconnected = hostState.status === 'disconnected';

  return (
    <footer className="status-bar" data-testid="status-bar">
      <div className="status-group">
        <button
          type="button"
          className={`status-item host-status ${hostState.status}`}
          data-testid="host-status"
          data-state={hostState.status}
          title={hostStatusTooltip(hostState)}
          aria-live="polite"
          onClick={() => connection.retryNow()}
          disabled={!disconnected || hostState.retryInMs === null}
        >
          <HostIcon size={14} connected={hostState.status === 'connected'} />
          <span>{hostStatusText(hostState)}</span>
        </button>
        <BoardStatusItems />
      </div>
      <div className="status-group">
        <ActiveBoardItem />
        {activeId && cursor && (
          <span className="status-item" data-testid="cursor-position">
            Ln {cursor.line}, Col {cursor.column}
          </span>
        )}
        {activeId && <span className="status-item">MicroPython</span>}
        <button
          type="button"
          className={`status-item${panelVisible ? ' active' : ''}`}
          title={`${panelVisible ? 'Hide terminal' : 'Show terminal'}${shortcutSuffix(WorkbenchCommands.togglePanel)}`}
          aria-label={panelVisible ? 'Hide terminal' : 'Show terminal'}
          aria-pressed={panelVisible}
          onClick={() => void commands.execute(WorkbenchCommands.togglePanel)}
        >
          <TerminalIcon size={14} />
        </button>
        <span className="status-item" data-testid="app-version" title={info.data ? `${info.data.name} ${info.data.version} on ${info.data.platform}` : 'Version unknown until the host answers'}>
          {info.data ? `${info.data.name} ${info.data.version}` : 'Pinwheel'}
        </span>
      </div>
    </footer>
  );
}
