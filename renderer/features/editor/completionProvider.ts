/**
 * MicroPython completion for Monaco: module names after `import`, members
 * after `name.`. Asks the connected board (`dir()` through board.completions)
 * and falls back to the bundled list when no board answers, so completion
 * works offline and never waits long on a busy board.
 */
import { completionContext } from './completionContext.js';
import { MICROPYTHON_MODULES, bundledMembers, moduleDoc, type ApiKind } from './micropythonApi.js';
import { monaco } from './monaco.js';

/** Names a source can add for `expr`; resolves [] when it has nothing (no board, busy board). */
export type BoardNames = (expr: string, signal: AbortSignal) => Promise<readonly string[]>;

function itemKind(kind: ApiKind | undefined): monaco.languages.CompletionItemKind {
  const k = monaco.languages.CompletionItemKind;
  switch (kind) {
    case 'class':
      return k.Class;
    case 'function':
      return k.Function;
    case 'constant':
      return k.Constant;
    case 'module':
      return k.Module;
    default:
      return k.Property;
  }
}

export function registerMicroPythonCompletion(boardNames: BoardNames): monaco.IDisposable {
  return monaco.languages.registerCompletionItemProvider('python', {
    triggerCharacters: ['.'],
    async provideCompletionItems(model, position, _context, token) {
      const lineBefore = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
      const context = completionContext(lineBefore, model.getValue());
      if (context.kind === 'none') return { suggestions: [] };
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);

      if (context.kind === 'module') {
        return {
          suggestions: MICROPYTHON_MODULES.map((m) => ({
            label: m.name,
            kind: monaco.languages.CompletionItemKind.Module,
            detail: m.doc,
            insertText: m.name,
            range,
          })),
        };
      }

      const bundled = bundledMembers(context.expr);
      const kinds = new Map(bundled.map((m) => [m.name, m.kind] as const));
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      let fromBoard: readonly string[] = [];
      try {
        fromBoard = await boardNames(context.expr, controller.signal);
      } catch {
        // No board answer: the bundled list stands on its own.
      } finally {
        cancel.dispose();
      }
      const showPrivate = context.prefix.startsWith('_');
      const names = new Set<string>([...fromBoard, ...bundled.map((m) => m.name)]);
      const suggestions: monaco.languages.CompletionItem[] = [];
      for (const name of names) {
        if (!showPrivate && name.startsWith('_')) continue;
        const kind = kinds.get(name);
        suggestions.push({
          label: name,
          kind: itemKind(kind),
          detail: fromBoard.includes(name) ? `${context.expr}.${name} (on the board)` : `${context.expr}.${name}`,
          documentation: kind === 'module' ? moduleDoc(`${context.expr}.${name}`) : undefined,
          insertText: name,
          range,
        });
      }
      return { suggestions };
    },
  });
}
