import './editor.css';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import { PinwheelLogo } from '../../shared/icons/Icons.js';
import { EditorCommands } from './EditorCommands.js';
import { EditorTabs } from './EditorTabs.js';
import { EditorToolbar } from './EditorToolbar.js';
import { MonacoEditor } from './MonacoEditor.js';
import { useEditorDocuments, useEditorSnapshot } from './EditorDocumentsProvider.js';

export function EditorArea() {
  const documents = useEditorDocuments();
  const { commands } = useWorkbench();
  const { documents: open, activeId } = useEditorSnapshot();

  return (
    <section className="editor-area" data-testid="editor" aria-label="Editor">
      {open.length > 0 && (
        <div className="editor-header">
          <EditorTabs documents={open} activeId={activeId} onActivate={(id) => documents.activate(id)} onClose={(id) => void commands.execute(EditorCommands.close, { documentId: id })} />
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
