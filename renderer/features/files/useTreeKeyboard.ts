/**
 * A file tree's keyboard: one row is in the Tab order (the focused one, else
 * the selected one, else the first), and treeKeyAction's answers are carried
 * out on the panel's state. Rows are found by their `data-path`.
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import type { TreeNode } from './fileTree.js';
import { treeKeyAction, visibleRows } from './treeKeyboard.js';

/** Which folders of a tree are closed (all start open), and opening or closing one. */
export function useCollapsedFolders() {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const toggleFolder = (path: string) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });
  return { collapsed, setCollapsed, toggleFolder };
}

export interface TreeKeyboardOptions {
  tree: readonly TreeNode[];
  collapsed: ReadonlySet<string>;
  setCollapsed(update: (prev: ReadonlySet<string>) => ReadonlySet<string>): void;
  /** Enter or Space on a row: open a file, open or close a folder. */
  activate(path: string): void;
  rename?(path: string): void;
  remove?(path: string): void;
  /** The row the panel marks as selected; focus moves the selection along. */
  selected?: string | null;
  select?(path: string): void;
}

export function useTreeKeyboard(options: TreeKeyboardOptions) {
  const [focused, setFocused] = useState<string | null>(null);
  const treeRef = useRef<HTMLUListElement>(null);
  const rows = visibleRows(options.tree, options.collapsed);
  const tabStop = [focused, options.selected, rows[0]?.path].find((p) => p && rows.some((r) => r.path === p)) ?? null;

  const focusRow = (path: string) => {
    setFocused(path);
    options.select?.(path);
    const el = treeRef.current?.querySelector<HTMLElement>(`[role=treeitem][data-path="${CSS.escape(path)}"]`);
    el?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const current = (e.target as HTMLElement).closest<HTMLElement>('[role=treeitem]')?.dataset.path;
    // Keys on the row's own buttons (Enter on Delete) belong to those buttons.
    if (!current || (e.target as HTMLElement).closest('button')) return;
    const action = treeKeyAction(e.key, current, rows);
    if (!action) return;
    e.preventDefault();
    e.stopPropagation();
    switch (action.kind) {
      case 'focus':
        focusRow(action.path);
        break;
      case 'expand':
      case 'collapse':
        options.setCollapsed((prev) => {
          const next = new Set(prev);
          if (action.kind === 'expand') next.delete(action.path);
          else next.add(action.path);
          return next;
        });
        break;
      case 'activate':
        options.activate(action.path);
        break;
      case 'rename':
        options.rename?.(action.path);
        break;
      case 'delete':
        options.remove?.(action.path);
        break;
    }
  };

  /** Props for a row's treeitem element. */
  const itemProps = (path: string) => ({
    'data-path': path,
    tabIndex: path === tabStop ? 0 : -1,
    onFocus: (e: React.FocusEvent<HTMLElement>) => {
      if ((e.target as HTMLElement).dataset.path === path) setFocused(path);
    },
  });

  return { treeRef, onKeyDown, itemProps };
}
