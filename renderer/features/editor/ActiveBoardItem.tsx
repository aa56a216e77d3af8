/**
 * The status bar's word on the active tab when it is another board's file:
 * the bar's left names the connected board, so without this a tab from the
 * virtual board would seem to be the connected board's. Nothing shows when
 * the tab's board is the connected one, or the tab is not a board file.
 */
import './editor.css';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import { WarningIcon } from '../../shared/icons/Icons.js';
import { useObservable } from '../../shared/util/Observable.js';
import { boardLongName, boardShortName, connectedBoard, sameBoard } from './boardIdentity.js';
import { useEditorSnapshot } from './EditorDocumentsProvider.js';

export function ActiveBoardItem() {
  const workbench = useWorkbench();
  const status = useObservable(workbench.board.status);
  const { documents, activeId } = useEditorSnapshot();
  const active = documents.find((d) => d.id === activeId);
  const owner = active?.origin === 'board' ? active.board : undefined;
  const connected = connectedBoard(status);
  if (!active || !owner || sameBoard(owner, connected)) return null;
  const ownerName = boardShortName(owner);
  const tooltip = `${active.name} belongs to ${boardLongName(owner)}. ${
    connected ? `The connected board is ${boardLongName(connected)}: Run runs the tab's text there, and saving asks where to save it.` : 'No board is connected: saving asks where to save it.'
  }`;
  return (
    <span className="status-item editor-board-elsewhere" data-testid="editor-board-elsewhere" data-board={owner.path} title={tooltip}>
      <WarningIcon size={13} />
      <span>Tab from {ownerName}</span>
    </span>
  );
}
