/**
 * One Monaco editor instance that shows whichever document is active,
 * swapping models (and their scroll/selection state) instead of recreating
 * the editor, the way desktop editors keep tabs cheap.
 */
import { useEffect, useRef } from 'react';
import { usePalette } from '../../shared/theme/ThemeProvider.js';
import { EDITOR_FONT_FAMILY } from '../../shared/theme/fonts.js';
import { applyMonacoTheme, monaco } from './monaco.js';
import { useEditorDocuments } from './EditorDocumentsProvider.js';

export const EDITOR_FONT_SIZE_PX = 13.5;

export function MonacoEditor({ documentId }: { documentId: string }) {
  const documents = useEditorDocuments();
  const palette = usePalette();
  const hostRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);

  useEffect(() => {
    applyMonacoTheme(palette);
  }, [palette]);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const editor = monaco.editor.create(host, {
      model: null,
      // Follows the panel and side bar sashes without each of them calling layout().
      automaticLayout: true,
      fontFamily: EDITOR_FONT_FAMILY,
      fontSize: EDITOR_FONT_SIZE_PX,
      lineHeight: 21,
      tabSize: 4,
      insertSpaces: true,
      detectIndentation: false,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      renderLineHighlight: 'all',
      renderWhitespace: 'selection',
      smoothScrolling: true,
      cursorBlinking: 'smooth',
      padding: { top: 10, bottom: 10 },
      // Suggest widgets and hovers may extend past the editor's box into the panel.
      fixedOverflowWidgets: true,
      scrollbar: { verticalScrollbarSize: 12, horizontalScrollbarSize: 12, useShadows: false },
      guides: { indentation: true },
      // Enter takes a suggestion only when that changes the text: after "import Pin" with "Pin"
      // offered, Enter ends the line (with 'on' it was swallowed, joining the next line to it). Tab accepts.
      acceptSuggestionOnEnter: 'smart',
      ariaLabel: 'Code editor',
    });
    editorRef.current = editor;
    // A reveal for the document already shown: the model swap below will not run again.
    const unsubscribeReveal = documents.onDidRequestReveal((id, line) => {
      const model = documents.model(id);
      if (!model || editor.getModel() !== model) return;
      documents.takePendingReveal(id);
      revealLine(editor, line);
      editor.focus();
    });
    const cursorListener = editor.onDidChangeCursorPosition((e) =>
      documents.setCursor({ line: e.position.lineNumber, column: e.position.column }),
    );
    return () => {
      cursorListener.dispose();
      unsubscribeReveal();
      editorRef.current = null;
      editor.dispose();
    };
  }, [documents]);

  useEffect(() => {
    const editor = editorRef.current;
    const model = documents.model(documentId);
    if (!editor || !model) return;
    editor.setModel(model);
    const saved = documents.viewState(documentId);
    if (saved) editor.restoreViewState(saved);
    const line = documents.takePendingReveal(documentId);
    if (line) revealLine(editor, line);
    const position = editor.getPosition();
    documents.setCursor(position ? { line: position.lineNumber, column: position.column } : null);
    editor.focus();
    return () => {
      documents.saveViewState(documentId, editor.saveViewState());
    };
  }, [documents, documentId]);

  return <div className="monaco-host" ref={hostRef} data-testid="monaco-editor" />;
}

/** Puts the cursor at the start of `line`'s text and scrolls it to the middle. */
function revealLine(editor: monaco.editor.IStandaloneCodeEditor, line: number) {
  const model = editor.getModel();
  if (!model) return;
  const lineNumber = Math.max(1, Math.min(line, model.getLineCount()));
  const column = model.getLineFirstNonWhitespaceColumn(lineNumber) || 1;
  editor.setPosition({ lineNumber, column });
  editor.revealLineInCenter(lineNumber);
}
