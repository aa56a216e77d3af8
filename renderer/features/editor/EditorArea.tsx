import { PinwheelLogo } from '../../shared/icons/Icons.js';
import { BLINK_EXAMPLE } from './blinkExample.js';
import { EditorTabs } from './EditorTabs.js';
import { MonacoEditor } from './MonacoEditor.js';
import { useEditorDocuments, useEditorSnapshot } from './EditorDocumentsProvider.js';

export function EditorArea() {
  const documents = useEditorDocuments();
  const { documents: open, activeId } = useEditorSnapshot();

  return (
    <section className="editor-area" data-testid="editor" aria-label="Editor">
      {open.length > 0 && (
        <EditorTabs documents={open} activeId={activeId} onActivate={(id) => documents.activate(id)} onClose={(id) => documents.close(id)} />
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
