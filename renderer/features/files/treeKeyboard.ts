/**
 * Keys in a file tree, as in VS Code's explorer and the WAI-ARIA tree
 * pattern: arrows move and open or close folders, Home and End jump, Enter
 * opens, F2 renames, Delete deletes. Pure: the panels give it the rows they
 * show and act on the answer.
 */
import type { TreeNode } from './fileTree.js';

export interface VisibleRow {
  readonly path: string;
  readonly parent: string | null;
  readonly isDir: boolean;
  readonly open: boolean;
}

export type TreeKeyAction =
  | { kind: 'focus'; path: string }
  | { kind: 'expand'; path: string }
  | { kind: 'collapse'; path: string }
  | { kind: 'activate'; path: string }
  | { kind: 'rename'; path: string }
  | { kind: 'delete'; path: string };

/** The rows a tree shows, top to bottom: children only under open folders. */
export function visibleRows(tree: readonly TreeNode[], collapsed: ReadonlySet<string>): VisibleRow[] {
  const rows: VisibleRow[] = [];
  const walk = (nodes: readonly TreeNode[], parent: string | null) => {
    for (const node of nodes) {
      const isDir = node.type === 'dir';
      const open = isDir && !collapsed.has(node.path);
      rows.push({ path: node.path, parent, isDir, open });
      if (open) walk(node.children, node.path);
    }
  };
  walk(tree, null);
  return rows;
}

/** What `key` does on the row `current` (null when the key is not the tree's). */
export function treeKeyAction(key: string, current: string, rows: readonly VisibleRow[]): TreeKeyAction | null {
  const index = rows.findIndex((r) => r.path === current);
  if (index < 0) return rows[0] ? { kind: 'focus', path: rows[0].path } : null;
  const row = rows[index]!;
  switch (key) {
    case 'ArrowDown':
      return index + 1 < rows.length ? { kind: 'focus', path: rows[index + 1]!.path } : null;
    case 'ArrowUp':
      return index > 0 ? { kind: 'focus', path: rows[index - 1]!.path } : null;
    case 'Home':
      return { kind: 'focus', path: rows[0]!.path };
    case 'End':
      return { kind: 'focus', path: rows[rows.length - 1]!.path };
    case 'ArrowRight':
      if (!row.isDir) return null;
      if (!row.open) return { kind: 'expand', path: row.path };
      return rows[index + 1]?.parent === row.path ? { kind: 'focus', path: rows[index + 1]!.path } : null;
    case 'ArrowLeft':
      if (row.isDir && row.open) return { kind: 'collapse', path: row.path };
      return row.parent !== null ? { kind: 'focus', path: row.parent } : null;
    case 'Enter':
    case ' ':
      return { kind: 'activate', path: row.path };
    case 'F2':
      return { kind: 'rename', path: row.path };
    case 'Delete':
      return { kind: 'delete', path: row.path };
    default:
      return null;
  }
}
