/** Flat listings (board `files.list`, `workspace.list`) as a folder tree, folders first, names in natural order. */
import { joinPath, parentPath } from '../../../electron/common/util/slashPath.js';

export interface FlatEntry {
  /** Board paths start with "/"; workspace paths are relative. Either way `/`-separated. */
  readonly path: string;
  readonly name: string;
  readonly type: 'file' | 'dir';
  readonly size: number;
}

export interface TreeNode {
  readonly path: string;
  readonly name: string;
  readonly type: 'file' | 'dir';
  readonly size: number;
  readonly children: TreeNode[];
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Builds the tree under `root` ("/" on the board, "" in a workspace); folders missing from the listing are made up. */
export function buildTree(entries: readonly FlatEntry[], root: string): TreeNode[] {
  const nodes = new Map<string, TreeNode>();
  const top: TreeNode[] = [];
  const ensureDir = (path: string): TreeNode[] => {
    if (path === root) return top;
    const existing = nodes.get(path);
    if (existing) return existing.children;
    const node: TreeNode = { path, name: path.slice(path.lastIndexOf('/') + 1), type: 'dir', size: 0, children: [] };
    nodes.set(path, node);
    ensureDir(parentPath(path) || root).push(node);
    return node.children;
  };
  for (const entry of [...entries].sort((a, b) => a.path.length - b.path.length)) {
    if (entry.path === root || nodes.has(entry.path)) continue;
    if (entry.type === 'dir') {
      ensureDir(entry.path);
      continue;
    }
    const node: TreeNode = { path: entry.path, name: entry.name, type: 'file', size: entry.size, children: [] };
    nodes.set(entry.path, node);
    ensureDir(parentPath(entry.path) || root).push(node);
  }
  const sort = (list: TreeNode[]) => {
    list.sort((a, b) => (a.type === b.type ? collator.compare(a.name, b.name) : a.type === 'dir' ? -1 : 1));
    for (const n of list) sort(n.children);
  };
  sort(top);
  return top;
}

/** Total bytes of the files in a subtree. */
export function treeSize(node: TreeNode): number {
  if (node.type === 'file') return Math.max(0, node.size);
  return node.children.reduce((sum, child) => sum + treeSize(child), 0);
}

/** Every file path in a subtree. */
export function filesUnder(node: TreeNode): string[] {
  if (node.type === 'file') return [node.path];
  return node.children.flatMap(filesUnder);
}

/** A folder's path and every ancestor below the root, parents first: what `mkdir -p` creates. */
export function foldersToCreate(dirs: readonly string[], existing: ReadonlySet<string>): string[] {
  const wanted = new Set<string>();
  for (const dir of dirs) {
    for (let p = dir; p && p !== '/'; p = parentPath(p)) {
      if (!existing.has(p)) wanted.add(p);
    }
  }
  return [...wanted].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}
