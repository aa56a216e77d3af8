import './editor.css';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import { PinwheelLogo } from '../../shared/icons/Icons.js';
import { useObservable } from '../../shared/util/Observable.js';
import { connectedBoard } from './boardIdentity.js';
import { EditorCommands } from './EditorCommands.js';
import { EditorTabs } from './EditorTabs.js';
import { EditorToolbar } from './EditorToolbar.js';
import { MonacoEditor } from './MonacoEditor.js';
import { useEditorDocuments, useEditorSnapshot } from './EditorDocumentsProvider.js';

export function EditorArea() {
  const documents = useEditorDocuments();
  const workbench = useWorkbench();
  const { commands } = workbench;
  const { documents: open, activeId } = useEditorSnapshot();
  const connectedPath = connectedBoard(useObservable(workbench.board.status))?.path ?? null;

  return (
    <section className="editor-area" data-testid="editor" aria-label="Editor">
      {open.length > 0 && (
        <div className="editor-header">
          <EditorTabs documents={open} activeId={activeId} connectedBoardPath={connectedPath} onActivate={(id) => documents.activate(id)} onClose={(id) => void commands.execute(EditorCommands.close, { documentId: id })} />
          <EditorToolbar />
        </div>
      )}
      {activeId ? (
        <MonacoEditor documentId={activeId} />
      ) : (
        <div className="editor-empty">
          <PinwheelLogo size={72} className="editor-empty-logo" />
          <p className="editor-empty-title">No open editors</p>
          <button type="button" className="button primary" onClick={() => void commands.execute(EditorCommands.newMainPy)}>
            New main.py
          </button>
        </div>
      )}
    </section>
  );
}
