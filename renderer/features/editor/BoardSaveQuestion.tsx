/**
 * The question asked before a board file is written anywhere but its own
 * board: which board the file belongs to, which is connected (if any), and
 * where to save it instead. Nothing is written until the person answers,
 * and Cancel (or Escape) leaves the tab and its changes as they were.
 */
import './boardQuestion.css';
import type { BoardStatus } from '../../../electron/common/api/contract.js';
import type { ChoiceButton, Dialogs } from '../../shared/dialogs/Dialogs.js';
import { UsbIcon, VirtualBoardIcon } from '../../shared/icons/Icons.js';
import { boardLongName, boardShortName, isVirtualBoard, missingBoardReason, type BoardIdentity, type SaveDestination } from './boardIdentity.js';
import type { EditorDocument } from './EditorDocuments.js';

export type BoardSaveAnswer = 'board' | 'local' | 'cancel';

/** Save (Ctrl+S, the Save button, close-with-save) or "Save and reset", which writes /main.py and restarts. */
export type BoardSaveAction = { kind: 'save' } | { kind: 'saveAndReset'; bootPath: string };

export const BOARD_SAVE_DIALOG_TEST_ID = 'dialog-board-save';

export function askWhereToSave(
  dialogs: Dialogs,
  doc: EditorDocument,
  destination: Exclude<SaveDestination, { kind: 'here' }>,
  status: BoardStatus,
  action: BoardSaveAction = { kind: 'save' },
): Promise<BoardSaveAnswer> {
  const owner = destination.owner;
  const ownerName = boardShortName(owner);
  const path = doc.path ?? `/${doc.name}`;
  const cancel: ChoiceButton<BoardSaveAnswer> = { label: 'Cancel', value: 'cancel', kind: 'plain' };
  const onComputer: ChoiceButton<BoardSaveAnswer> = { label: 'Save on this computer…', value: 'local', kind: 'plain' };

  if (destination.kind === 'missing') {
    const message = (
      <div className="board-question">
        <BoardRows owner={owner} path={path} connected={null} status={status} />
        <p>
          {ownerName} {missingBoardReason(owner, status)} Save {doc.name} in the project folder on this computer, or connect {ownerName} and save again. Until then
          the changes stay in this tab, and survive a restart.
        </p>
      </div>
    );
    return dialogs.choose(`${ownerName} is not connected`, message, [cancel, { ...onComputer, kind: 'primary' }], 'cancel', { testId: BOARD_SAVE_DIALOG_TEST_ID, wide: true });
  }

  const connectedName = boardShortName(destination.connected);
  const resetting = action.kind === 'saveAndReset';
  const written = resetting ? action.bootPath : path;
  const message = (
    <div className="board-question">
      <BoardRows owner={owner} path={path} connected={destination.connected} status={status} />
      {resetting ? (
        <p>
          Save and reset writes this tab to <code>{written}</code> on {connectedName}, replacing the one there, and restarts it. {ownerName} is not touched.
        </p>
      ) : (
        <p>
          Saving to {connectedName} writes <code>{written}</code> there, replacing the file it has, and this tab then belongs to {connectedName}. The file on {ownerName}{' '}
          stays as it was.
        </p>
      )}
    </div>
  );
  // Cancel takes Enter: saving here overwrites a file on a board the tab did not come from.
  const buttons: ChoiceButton<BoardSaveAnswer>[] = resetting
    ? [{ ...cancel, focus: true }, { label: `Save to ${connectedName} and reset`, value: 'board', kind: 'primary' }]
    : [{ ...cancel, focus: true }, onComputer, { label: `Save to ${connectedName}`, value: 'board', kind: 'primary' }];
  return dialogs.choose(`${doc.name} is from another board`, message, buttons, 'cancel', { testId: BOARD_SAVE_DIALOG_TEST_ID, wide: true });
}

/** "This file: <board> /main.py" over "Connected: <board>", each with the icon the tabs use. */
function BoardRows({ owner, path, connected, status }: { owner: BoardIdentity; path: string; connected: BoardIdentity | null; status: BoardStatus }) {
  return (
    <dl className="board-question-rows">
      <div className="board-question-row" data-testid="board-question-owner" data-board={owner.path}>
        <dt>This file</dt>
        <dd>
          <BoardName board={owner} />
          <code className="board-question-path">{path}</code>
        </dd>
      </div>
      <div className="board-question-row" data-testid="board-question-connected" data-board={connected?.path ?? ''}>
        <dt>Connected</dt>
        <dd>{connected ? <BoardName board={connected} /> : <span className="board-question-none">{status.state === 'connecting' ? 'Connecting…' : 'No board'}</span>}</dd>
      </div>
    </dl>
  );
}

function BoardName({ board }: { board: BoardIdentity }) {
  const Icon = isVirtualBoard(board) ? VirtualBoardIcon : UsbIcon;
  const long = boardLongName(board);
  const short = boardShortName(board);
  return (
    <span className="board-question-board" title={long}>
      <Icon size={14} />
      <strong>{short}</strong>
      {long !== short && <span className="board-question-detail">{long}</span>}
    </span>
  );
}
