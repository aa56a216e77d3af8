/**
 * The one place that loads Monaco. Lean on purpose: the editor core plus the
 * Python grammar, not the 80 languages and TypeScript service of the full
 * package. Its worker comes from the bundle (no CDN, works offline and under
 * a `script-src 'self'` policy).
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/languages/definitions/python/register';
// The editor core has typing and cursor keys only; these are the everyday
// features people expect (find, folding, comment toggling, completion of
// words, multi-cursor, the F1 command list) and the icon font they draw with.
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/caretOperations/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/dnd/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/fontZoom/register';
import 'monaco-editor/features/gotoLine/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/links/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/quickCommand/register';
import 'monaco-editor/features/smartSelect/register';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/suggest/register';
// Ctrl+M: Tab moves the focus instead of indenting (the keyboard's way out of the editor).
import 'monaco-editor/features/toggleTabFocusMode/register';
// features/suggest registers only inline suggestions; the completion list itself
// (the suggest widget that completion providers fill) is this contribution.
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import type { Palette } from '../../shared/theme/palette.js';

self.MonacoEnvironment = {
  // Python needs only the generic editor worker (diffing, word ranges, links).
  getWorker: () => new EditorWorker(),
};

export { monaco };

export const MONACO_THEME_LIGHT = 'pinwheel-light';
export const MONACO_THEME_DARK = 'pinwheel-dark';

function strip(hex: string): string {
  return hex.replace('#', '');
}

function defineTheme(name: string, palette: Palette) {
  const dark = palette.scheme === 'dark';
  monaco.editor.defineTheme(name, {
    base: dark ? 'vs-dark' : 'vs',
    inherit: true,
    rules: [
      { token: 'comment', foreground: strip(dark ? '#7f8794' : '#7a808a'), fontStyle: 'italic' },
      { token: 'keyword', foreground: strip(dark ? '#c792ea' : '#8a3fb3') },
      { token: 'string', foreground: strip(dark ? '#a5d6a7' : '#1f7a3f') },
      { token: 'number', foreground: strip(dark ? '#f2b872' : '#a35200') },
      { token: 'type', foreground: strip(dark ? '#7fc8f8' : '#0f6f8a') },
      { token: 'tag', foreground: strip(dark ? '#7fc8f8' : '#0f6f8a') },
    ],
    colors: {
      'editor.background': palette.background,
      'editor.foreground': palette.foreground,
      'editor.lineHighlightBackground': palette.lineHighlight,
      'editor.lineHighlightBorder': palette.lineHighlight,
      'editor.selectionBackground': palette.selection,
      'editorLineNumber.foreground': palette.lineNumber,
      'editorLineNumber.activeForeground': palette.lineNumberActive,
      'editorCursor.foreground': palette.accent,
      'editorIndentGuide.background1': palette.border,
      'editorWidget.background': palette.chromeBackground,
      'editorWidget.border': palette.border,
      'focusBorder': '#00000000',
      'scrollbarSlider.background': dark ? '#ffffff1a' : '#0000001a',
      'scrollbarSlider.hoverBackground': dark ? '#ffffff2e' : '#0000002e',
      'scrollbarSlider.activeBackground': dark ? '#ffffff40' : '#00000040',
    },
  });
  return name;
}

/** Defines (or redefines) the Pinwheel theme for this palette and makes it current for every editor. */
export function applyMonacoTheme(palette: Palette): void {
  const name = defineTheme(palette.scheme === 'dark' ? MONACO_THEME_DARK : MONACO_THEME_LIGHT, palette);
  monaco.editor.setTheme(name);
}
