import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkbenchLayout } from '../../../renderer/app/WorkbenchLayout.js';

type View = 'files' | 'mqtt' | 'flash';
const isView = (v: unknown): v is View => v === 'files' || v === 'mqtt' || v === 'flash';

/** A localStorage stand-in: the layout reads and writes `pinwheel.layout.*`. */
function fakeStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

describe('WorkbenchLayout', () => {
  let storage: ReturnType<typeof fakeStorage>;

  beforeEach(() => {
    storage = fakeStorage();
    vi.stubGlobal('window', { localStorage: storage });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('starts with the default view, side bar and panel open, default sizes', () => {
    const layout = new WorkbenchLayout<View>('files', isView);
    expect(layout.activeView.get()).toBe('files');
    expect(layout.sidebarVisible.get()).toBe(true);
    expect(layout.panelVisible.get()).toBe(true);
    expect(layout.sidebarWidth.get()).toBe(280);
    expect(layout.panelHeight.get()).toBe(240);
    expect(layout.panelMaximized.get()).toBe(false);
  });

  it('opens a view; choosing the open view again hides the side bar, and once more shows it', () => {
    const layout = new WorkbenchLayout<View>('files', isView);
    layout.selectView('mqtt');
    expect([layout.activeView.get(), layout.sidebarVisible.get()]).toEqual(['mqtt', true]);
    layout.selectView('mqtt');
    expect([layout.activeView.get(), layout.sidebarVisible.get()]).toEqual(['mqtt', false]);
    layout.selectView('mqtt');
    expect([layout.activeView.get(), layout.sidebarVisible.get()]).toEqual(['mqtt', true]);
    layout.toggleSidebar();
    layout.selectView('flash');
    expect([layout.activeView.get(), layout.sidebarVisible.get()]).toEqual(['flash', true]);
  });

  it('hiding the panel also ends its maximized state; showing it says so', () => {
    const layout = new WorkbenchLayout<View>('files', isView);
    layout.toggleMaximizedPanel();
    expect(layout.panelMaximized.get()).toBe(true);
    expect(layout.togglePanel()).toBe(false);
    expect([layout.panelVisible.get(), layout.panelMaximized.get()]).toEqual([false, false]);
    expect(layout.togglePanel()).toBe(true);
    layout.toggleMaximizedPanel();
    layout.hidePanel();
    expect([layout.panelVisible.get(), layout.panelMaximized.get()]).toEqual([false, false]);
  });

  it('remembers what is open and the sizes under the same storage keys as before', () => {
    const layout = new WorkbenchLayout<View>('files', isView);
    layout.selectView('flash');
    layout.toggleSidebar();
    layout.sidebarWidth.set(333);
    layout.panelHeight.set(150);
    layout.togglePanel();
    expect(Object.fromEntries(storage.items)).toEqual({
      'pinwheel.layout.view': '"flash"',
      'pinwheel.layout.sidebarVisible': 'false',
      'pinwheel.layout.sidebarWidth': '333',
      'pinwheel.layout.panelHeight': '150',
      'pinwheel.layout.panelVisible': 'false',
    });
    const reloaded = new WorkbenchLayout<View>('files', isView);
    expect([reloaded.activeView.get(), reloaded.sidebarVisible.get(), reloaded.sidebarWidth.get(), reloaded.panelHeight.get(), reloaded.panelVisible.get()]).toEqual([
      'flash',
      false,
      333,
      150,
      false,
    ]);
  });

  it('ignores stored values an older version wrote, and works without storage at all', () => {
    storage.items.set('pinwheel.layout.view', '"terminal"');
    storage.items.set('pinwheel.layout.sidebarWidth', '"wide"');
    const layout = new WorkbenchLayout<View>('files', isView);
    expect(layout.activeView.get()).toBe('files');
    expect(layout.sidebarWidth.get()).toBe(280);
    vi.stubGlobal('window', {});
    const noStorage = new WorkbenchLayout<View>('mqtt', isView);
    noStorage.toggleSidebar();
    expect([noStorage.activeView.get(), noStorage.sidebarVisible.get()]).toEqual(['mqtt', false]);
  });
});
