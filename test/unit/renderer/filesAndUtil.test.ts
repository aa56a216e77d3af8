import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../electron/common/api/errors.js';
import { buildTree, filesUnder, foldersToCreate, treeSize } from '../../../renderer/features/files/fileTree.js';
import { joinPath, parentPath } from '../../../electron/common/util/slashPath.js';
import { Notifications, hintFor, isCancelled, MAX_TOASTS, SHOWN_ELSEWHERE_TOAST_MS } from '../../../renderer/shared/notifications/Notifications.js';
import { base64ToBytes, base64ToText, bytesToBase64, textToBase64 } from '../../../electron/common/util/base64.js';
import { formatBytes } from '../../../electron/common/util/format.js';
import { percent } from '../../../renderer/shared/util/format.js';

describe('fileTree', () => {
  const entries = [
    { path: '/main.py', name: 'main.py', type: 'file' as const, size: 120 },
    { path: '/lib', name: 'lib', type: 'dir' as const, size: 0 },
    { path: '/lib/sensor.py', name: 'sensor.py', type: 'file' as const, size: 300 },
    { path: '/lib/deep/x.py', name: 'x.py', type: 'file' as const, size: 5 },
    { path: '/boot.py', name: 'boot.py', type: 'file' as const, size: 10 },
  ];

  it('nests entries, folders first, and makes up folders the listing skipped', () => {
    const tree = buildTree(entries, '/');
    expect(tree.map((n) => n.name)).toEqual(['lib', 'boot.py', 'main.py']);
    const lib = tree[0]!;
    expect(lib.children.map((n) => n.name)).toEqual(['deep', 'sensor.py']);
    expect(treeSize(lib)).toBe(305);
    expect(filesUnder(lib)).toEqual(['/lib/deep/x.py', '/lib/sensor.py']);
  });

  it('builds workspace trees from relative paths', () => {
    const tree = buildTree([{ path: 'src/a.py', name: 'a.py', type: 'file', size: 1 }], '');
    expect(tree[0]?.path).toBe('src');
    expect(tree[0]?.children[0]?.path).toBe('src/a.py');
  });

  it('joins and splits paths', () => {
    expect(joinPath('/', 'a.py')).toBe('/a.py');
    expect(joinPath('/lib', 'a.py')).toBe('/lib/a.py');
    expect(parentPath('/lib/a.py')).toBe('/lib');
    expect(parentPath('/a.py')).toBe('/');
  });

  it('creates missing folders parents first, skipping those that exist', () => {
    expect(foldersToCreate(['/lib/a/b', '/lib/c', '/'], new Set(['/lib']))).toEqual(['/lib/a', '/lib/c', '/lib/a/b']);
  });
});

describe('base64', () => {
  it('round-trips bytes larger than one chunk and UTF-8 text', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7) % 256);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
    expect(base64ToText(textToBase64('héllo ✓'))).toBe('héllo ✓');
    expect(bytesToBase64(new Uint8Array())).toBe('');
  });
});

describe('format', () => {
  it('sizes bytes for people', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(2 * 1024 * 1024)).toBe('2 MB');
    expect(formatBytes(-1)).toBe('?');
    expect(percent(1, 4)).toBe(25);
    expect(percent(1, 0)).toBeNull();
  });
});

describe('Notifications', () => {
  it('keeps errors with the message and a next step, and caps the list', () => {
    const n = new Notifications();
    n.error('Could not save /main.py', new ApiError('TIMEOUT', 'files.write did not answer within 30 s.'));
    const [toast] = n.toasts.get();
    expect(toast).toMatchObject({ kind: 'error', title: 'Could not save /main.py', detail: 'files.write did not answer within 30 s.' });
    expect(toast?.hint).toMatch(/Stop/);
    for (let i = 0; i < 10; i++) n.error(`e${i}`, new Error('x'));
    expect(n.toasts.get()).toHaveLength(MAX_TOASTS);
    n.dismiss(n.toasts.get()[0]!.id);
    expect(n.toasts.get()).toHaveLength(MAX_TOASTS - 1);
  });

  it('merges a repeat into the toast still shown, with a count, as the newest', () => {
    const n = new Notifications();
    n.error('Could not run main.py', new Error('No board is connected.'));
    n.info('Saved');
    n.error('Could not run main.py', new Error('No board is connected.'));
    n.error('Could not run main.py', new Error('No board is connected.'));
    expect(n.toasts.get().map((t) => [t.title, t.count])).toEqual([
      ['Saved', 1],
      ['Could not run main.py', 3],
    ]);
    // Another reason is another toast.
    n.error('Could not run main.py', new Error('The board is busy.'));
    expect(n.toasts.get()).toHaveLength(3);
  });

  it('replaces a keyed toast by the next one with its key, and fades errors the terminal already shows', () => {
    vi.useFakeTimers();
    try {
      const n = new Notifications();
      n.show('error', 'a.py stopped with an error', 'NameError', undefined, { key: 'run', shownElsewhere: true });
      n.show('error', 'b.py stopped with an error', 'SyntaxError', undefined, { key: 'run', shownElsewhere: true });
      expect(n.toasts.get().map((t) => t.title)).toEqual(['b.py stopped with an error']);
      n.error('Could not save', new Error('disk full'));
      vi.advanceTimersByTime(SHOWN_ELSEWHERE_TOAST_MS);
      // The run's error faded; the save's (shown nowhere else) stays until dismissed.
      expect(n.toasts.get().map((t) => t.title)).toEqual(['Could not save']);
      n.show('error', 'c.py stopped with an error', 'x', undefined, { key: 'run' });
      n.dismissKey('run');
      expect(n.toasts.get().map((t) => t.title)).toEqual(['Could not save']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('adds no hint when the message already says what to do', () => {
    expect(hintFor(new ApiError('DISCONNECTED', 'No board is connected. Connect one from the Boards view.'))).toBeUndefined();
    expect(isCancelled(new ApiError('CANCELLED', 'x'))).toBe(true);
    expect(isCancelled(new Error('x'))).toBe(false);
  });
});
