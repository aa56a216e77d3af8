import { useWorkbench } from '../../app/WorkbenchProvider.js';
import { PinwheelLogo } from '../../shared/icons/Icons.js';
import { BLINK_EXAMPLE } from './blinkExample.js';
import { EditorTabs } from './EditorTabs.js';
import { EditorToolbar } from './EditorToolbar.js';
import { MonacoEditor } from './MonacoEditor.js';
import { useEditorDocuments, useEditorSnapshot } from './EditorDocumentsProvider.js';

export function EditorArea() {
  const documents = useEditorDocuments();
  const workbench = useWorkbench();
  const { documents: open, activeId } = useEditorSnapshot();

  return (
    <section className="editor-area" data-testid="editor" aria-label="Editor">
      {open.length > 0 && (
        <div className="editor-header">
          <EditorTabs documents={open} activeId={activeId} onActivate={(id) => documents.activate(id)} onClose={(id) => void workbench.closeDocument(id)} />
          <EditorToolbar />
        </div>
      )}
      {activeId ? (
        <MonacoEditor documentId={activeId} />
      ) : (
        <div className="editor-empty">
          <PinwheelLogo size={72} className="editor-empty-logo" />
          <p className="editor-empty-title">No open editors</p>
          <button
            type="button"
            className="button primary"
            onClick={() => documents.open({ name: 'main.py', content: BLINK_EXAMPLE, origin: 'untitled' })}
          >
            New main.py
          </button>
        </div>
      )}
    </section>
  );
}
