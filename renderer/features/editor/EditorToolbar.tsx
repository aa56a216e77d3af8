/**
 * Run, Stop, Save and "Save and reset" for the active buffer. Unavailable
 * actions stay visible but say why in their tooltip (aria-disabled keeps the
 * tooltip: a disabled button gets no hover).
 */
import type { CommandId } from '../../app/commands/CommandRegistry.js';
import { shortcutSuffix } from '../../app/commands/keybindings.js';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import { RestartIcon, PlayIcon, SaveIcon, StopIcon } from '../../shared/icons/Icons.js';
import { useObservable } from '../../shared/util/Observable.js';
import { boardUnavailableReason } from '../boards/BoardStore.js';
import { boardShortName, connectedBoard, sameBoard } from './boardIdentity.js';
import { EditorCommands } from './EditorCommands.js';
import { useEditorSnapshot } from './EditorDocumentsProvider.js';

export function EditorToolbar() {
  const workbench = useWorkbench();
  const execute = (command: CommandId<void, unknown>) => () => void workbench.commands.execute(command);
  const status = useObservable(workbench.board.status);
  const { documents, activeId } = useEditorSnapshot();
  const active = documents.find((d) => d.id === activeId);
  if (!active) return null;

  const unavailable = boardUnavailableReason(status);
  const runReason = unavailable ?? (status.running ? 'A program is running: stop it first.' : status.busy ? 'The board is busy with a file operation.' : null);
  // Stop interrupts whatever runs: a Run, a main.py started by a reset, a statement typed in the REPL.
  const somethingRuns = status.running || status.replRunning;
  const stopReason = unavailable ?? (somethingRuns ? null : 'Nothing is running.');
  // A board file that knows its board can always be saved: without that board, Pinwheel asks where to.
  const owner = active.origin === 'board' ? active.board : undefined;
  // Untitled tabs can always be saved: with no board, Save offers this computer or keeping a draft.
  const saveReason = active.saving ? 'Saving…' : null;
  const saveTarget = active.origin === 'local' ? 'the project folder' : active.origin === 'board' ? `${owner ? boardShortName(owner) : 'the board'} (${active.path})` : unavailable ? 'this computer, or keep it as a draft until a board is connected' : 'the board';
  const connected = connectedBoard(status);
  const foreignBoard = owner && !sameBoard(owner, connected) ? boardShortName(owner) : null;
  const elsewhere = foreignBoard ? `${active.name} is from ${foreignBoard}, ${connected ? `not the connected ${boardShortName(connected)}` : 'which is not connected'}: Pinwheel asks where to save it` : null;

  return (
    <div className="editor-toolbar" role="toolbar" aria-label="Editor actions" data-testid="editor-toolbar">
      {somethingRuns && !unavailable ? (
        <span className="running-badge" data-testid="running-indicator" role="status" title={status.running ? `Running ${active.name}` : 'A program runs on the board (started by a reset or in the terminal)'}>
          <span className="running-dot" aria-hidden="true" />
          Running
        </span>
      ) : null}
      <ToolbarButton label="Run" hint={`Run ${active.name} on the board without saving it${shortcutSuffix(EditorCommands.run)}`} reason={runReason} onClick={execute(EditorCommands.run)} testId="run-button" icon={<PlayIcon size={16} />} />
      <ToolbarButton label="Stop" hint={`Interrupt the running program${shortcutSuffix(EditorCommands.stop)}`} reason={stopReason} onClick={execute(EditorCommands.stop)} testId="stop-button" icon={<StopIcon size={16} />} />
      <ToolbarButton label="Save" hint={`${elsewhere ?? `Save to ${saveTarget}`}${shortcutSuffix(EditorCommands.save)}`} reason={saveReason} onClick={execute(EditorCommands.save)} testId="save-button" icon={<SaveIcon size={16} />} />
      <ToolbarButton
        label={active.name === 'main.py' ? 'Save and reset' : 'Save as main.py and reset'}
        hint={`Write ${active.name} to /main.py and soft-reset the board so it starts as at power-up${foreignBoard && connected ? ` (${active.name} is from ${foreignBoard}: Pinwheel asks first)` : ''}`}
        reason={unavailable ?? (active.saving ? 'Saving…' : null)}
        onClick={execute(EditorCommands.saveAndReset)}
        testId="save-reset-button"
        icon={<RestartIcon size={16} />}
      />
    </div>
  );
}

function ToolbarButton({ label, hint, reason, onClick, testId, icon }: { label: string; hint: string; reason: string | null; onClick(): void; testId: string; icon: React.ReactNode }) {
  return (
    <button
      type="button"
      className="toolbar-button"
      aria-disabled={reason !== null}
      title={reason ? `${label}: ${reason}` : hint}
      data-testid={testId}
      onClick={() => {
        if (reason === null) onClick();
      }}
    >
      {icon}
      <span>{label}</span>
    </button>
  );
}
