import { useWorkbench } from '../../app/WorkbenchProvider.js';
import { EmptyState } from '../../shared/components/EmptyState.js';
import { PlugIcon } from '../../shared/icons/Icons.js';
import { useObservable } from '../../shared/util/Observable.js';
import { BoardCard } from '../boards/BoardCard.js';
import { PartsPanel } from '../boards/parts/PartsPanel.js';
import { PortList } from '../boards/PortList.js';
import { BoardFilesPanel } from './BoardFilesPanel.js';
import { LocalProjectPanel } from './LocalProjectPanel.js';

/** Boards to connect, the connected board's files, and the project folder beside them. */
export function FilesView() {
  const workbench = useWorkbench();
  const status = useObservable(workbench.board.status);
  const connected = status.state === 'connected';
  return (
    <div className="view files-view" data-testid="files-view">
      {connected ? (
        <>
          <BoardCard />
          {status.port?.kind === 'virtual' && <PartsPanel />}
        </>
      ) : (
        <EmptyState icon={<PlugIcon size={32} />} title={status.state === 'lost' ? 'Board lost' : 'No board connected'} testId="files-empty">
          <p>{status.state === 'lost' ? 'Plug it back in and Pinwheel reconnects by itself.' : 'Connect a MicroPython board, or the virtual board, to browse and edit the files on it.'}</p>
        </EmptyState>
      )}
      <PortList />
      <BoardFilesPanel />
      <LocalProjectPanel />
    </div>
  );
}
