import { describe, expect, it } from 'vitest';
import { buildTree } from '../../../renderer/features/files/fileTree.js';
import { treeKeyAction, visibleRows } from '../../../renderer/features/files/treeKeyboard.js';

const tree = buildTree(
  [
    { path: '/lib', name: 'lib', type: 'dir', size: 0 },
    { path: '/lib/util.py', name: 'util.py', type: 'file', size: 10 },
    { path: '/lib/deep', name: 'deep', type: 'dir', size: 0 },
    { path: '/boot.py', name: 'boot.py', type: 'file', size: 5 },
    { path: '/main.py', name: 'main.py', type: 'file', size: 5 },
  ],
  '/',
);

describe('keys in a file tree', () => {
  it('lists only the rows under open folders, in the order shown', () => {
    expect(visibleRows(tree, new Set()).map((r) => r.path)).toEqual(['/lib', '/lib/deep', '/lib/util.py', '/boot.py', '/main.py']);
    expect(visibleRows(tree, new Set(['/lib'])).map((r) => r.path)).toEqual(['/lib', '/boot.py', '/main.py']);
  });

  it('walks with arrows, Home and End, and opens, enters, closes and leaves folders', () => {
    const open = visibleRows(tree, new Set());
    const closed = visibleRows(tree, new Set(['/lib']));
    expect(treeKeyAction('ArrowDown', '/lib', open)).toEqual({ kind: 'focus', path: '/lib/deep' });
    expect(treeKeyAction('ArrowUp', '/lib', open)).toBeNull();
    expect(treeKeyAction('ArrowDown', '/main.py', open)).toBeNull();
    expect(treeKeyAction('End', '/lib', open)).toEqual({ kind: 'focus', path: '/main.py' });
    expect(treeKeyAction('Home', '/main.py', open)).toEqual({ kind: 'focus', path: '/lib' });
    expect(treeKeyAction('ArrowRight', '/lib', closed)).toEqual({ kind: 'expand', path: '/lib' });
    expect(treeKeyAction('ArrowRight', '/lib', open)).toEqual({ kind: 'focus', path: '/lib/deep' });
    // An open folder with nothing in it has no child to go to.
    expect(treeKeyAction('ArrowRight', '/lib/deep', open)).toBeNull();
    expect(treeKeyAction('ArrowLeft', '/lib/util.py', open)).toEqual({ kind: 'focus', path: '/lib' });
    expect(treeKeyAction('ArrowLeft', '/lib', open)).toEqual({ kind: 'collapse', path: '/lib' });
    expect(treeKeyAction('ArrowLeft', '/lib', closed)).toBeNull();
  });

  it('Enter opens, F2 renames, Delete deletes; other keys are not the tree’s', () => {
    const rows = visibleRows(tree, new Set());
    expect(treeKeyAction('Enter', '/main.py', rows)).toEqual({ kind: 'activate', path: '/main.py' });
    expect(treeKeyAction('F2', '/main.py', rows)).toEqual({ kind: 'rename', path: '/main.py' });
    expect(treeKeyAction('Delete', '/lib', rows)).toEqual({ kind: 'delete', path: '/lib' });
    expect(treeKeyAction('a', '/lib', rows)).toBeNull();
    // A row that went away (deleted elsewhere): the first row takes the focus.
    expect(treeKeyAction('ArrowDown', '/gone.py', rows)).toEqual({ kind: 'focus', path: '/lib' });
  });
});
