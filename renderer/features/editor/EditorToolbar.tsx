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
  const stopReason = unavailable ?? (status.running ? null : 'Nothing is running.');
  const saveReason = active.saving ? 'Saving…' : (active.origin === 'board' || active.origin === 'untitled') && unavailable ? unavailable : null;
  const saveTarget = active.origin === 'local' ? 'the project folder' : active.origin === 'board' ? `the board (${active.path})` : 'the board';

  return (
    <div className="editor-toolbar" role="toolbar" aria-label="Editor actions" data-testid="editor-toolbar">
      {status.running ? (
        <span className="running-badge" data-testid="running-indicator" role="status">
          <span className="running-dot" aria-hidden="true" />
          Running
        </span>
      ) : null}
      <ToolbarButton label="Run" hint={`Run ${active.name} on the board without saving it${shortcutSuffix(EditorCommands.run)}`} reason={runReason} onClick={execute(EditorCommands.run)} testId="run-button" icon={<PlayIcon size={16} />} />
      <ToolbarButton label="Stop" hint={`Interrupt the running program${shortcutSuffix(EditorCommands.stop)}`} reason={stopReason} onClick={execute(EditorCommands.stop)} testId="stop-button" icon={<StopIcon size={16} />} />
      <ToolbarButton label="Save" hint={`Save to ${saveTarget}${shortcutSuffix(EditorCommands.save)}`} reason={saveReason} onClick={execute(EditorCommands.save)} testId="save-button" icon={<SaveIcon size={16} />} />
      <ToolbarButton
        label="Save and reset"
        hint={`Write ${active.name} to /main.py and soft-reset the board so it starts as at power-up`}
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
