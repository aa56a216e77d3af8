/**
 * What the cursor is completing, read from the text before it: a module name
 * after `import`/`from`, or a member after `expr.` where `expr` is a dotted
 * name. Names bound by `from m import A as B` and `import m as n` are
 * resolved to the module path the board (or the bundled list) knows.
 */

export type CompletionContext =
  | { kind: 'module'; prefix: string }
  | { kind: 'member'; expr: string; prefix: string }
  | { kind: 'none' };

const IMPORT_LINE = /^\s*(?:import|from)\s+([\w.]*)$/;
const IMPORT_LIST = /^\s*import\s+(?:[\w.]+(?:\s+as\s+\w+)?\s*,\s*)+([\w.]*)$/;
const FROM_IMPORT = /^\s*from\s+([\w.]+)\s+import\s+(?:[\w]+(?:\s+as\s+\w+)?\s*,\s*)*\(?\s*(\w*)$/;
const MEMBER = /([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\.(\w*)$/;

export function completionContext(lineBefore: string, fullText = ''): CompletionContext {
  if (insideCommentOrString(lineBefore)) return { kind: 'none' };
  const fromImport = FROM_IMPORT.exec(lineBefore);
  if (fromImport) return { kind: 'member', expr: fromImport[1]!, prefix: fromImport[2]! };
  const importLine = IMPORT_LINE.exec(lineBefore) ?? IMPORT_LIST.exec(lineBefore);
  if (importLine) {
    const dotted = importLine[1]!;
    const dot = dotted.lastIndexOf('.');
    if (dot > 0) return { kind: 'member', expr: dotted.slice(0, dot), prefix: dotted.slice(dot + 1) };
    return { kind: 'module', prefix: dotted };
  }
  const member = MEMBER.exec(lineBefore);
  if (member) return { kind: 'member', expr: resolveAlias(member[1]!, importAliases(fullText)), prefix: member[2]! };
  return { kind: 'none' };
}

/** Local name -> dotted path, from the buffer's import statements. */
export function importAliases(text: string): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const line of text.split('\n')) {
    const from = /^\s*from\s+([\w.]+)\s+import\s+\(?([^)#]*)/.exec(line);
    if (from) {
      for (const part of from[2]!.split(',')) {
        const m = /^\s*(\w+)(?:\s+as\s+(\w+))?\s*$/.exec(part);
        if (m && m[1] !== '*') aliases.set(m[2] ?? m[1]!, `${from[1]}.${m[1]}`);
      }
      continue;
    }
    const imp = /^\s*import\s+([^#]+)/.exec(line);
    if (imp) {
      for (const part of imp[1]!.split(',')) {
        const m = /^\s*([\w.]+)\s+as\s+(\w+)\s*$/.exec(part);
        if (m) aliases.set(m[2]!, m[1]!);
      }
    }
  }
  return aliases;
}

function resolveAlias(expr: string, aliases: Map<string, string>): string {
  const dot = expr.indexOf('.');
  const root = dot < 0 ? expr : expr.slice(0, dot);
  const target = aliases.get(root);
  if (!target) return expr;
  return dot < 0 ? target : target + expr.slice(dot);
}

/** True when the cursor sits in a `#` comment or an unclosed one-line string. */
function insideCommentOrString(line: string): boolean {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '#') return true;
    else if (c === '"' || c === "'") quote = c;
  }
  return quote !== null;
}
