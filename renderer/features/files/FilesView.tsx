import { PortList } from '../boards/PortList.js';
import { EmptyState } from '../../shared/components/EmptyState.js';
import { PlugIcon } from '../../shared/icons/Icons.js';

/** The board's files; until a board is connected, how to connect one. */
export function FilesView() {
  return (
    <div className="view files-view" data-testid="files-view">
      <EmptyState icon={<PlugIcon size={32} />} title="No board connected" testId="files-empty">
        <p>Connect a MicroPython board, or the virtual board, to browse and edit the files on it.</p>
      </EmptyState>
      <PortList />
    </div>
  );
}
