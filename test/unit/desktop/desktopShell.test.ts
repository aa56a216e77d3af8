// The desktop window's behaviour, against fakes of the parts of Electron it uses (typed by the
// same interfaces Electron's own types are checked against): the unsaved-close question, quit
// waiting for cleanup with its time limit, a second launch, a failed start; and the menu, whose
// shortcuts must not take the editor's keys.
import type { BrowserWindow, MenuItemConstructorOptions, MessageBoxSyncOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { DESKTOP_COMMANDS, type DesktopCommand } from '../../../electron/common/api/domains/app.js';
import { applicationMenu, MENU_OWNED_KEYS } from '../../../electron/desktop/applicationMenu.js';
import {
  failStart,
  failStartIfPageFails,
  focusOnSecondInstance,
  guardUnsavedClose,
  UNSAVED_BUTTONS,
  waitForCleanupOnQuit,
  type AppLike,
  type DialogLike,
  type ElectronFits,
  type QuitEvent,
  type WindowLike,
} from '../../../electron/desktop/desktopShell.js';

// Electron's App, BrowserWindow and Dialog satisfy the interfaces these fakes implement.
const fits: ElectronFits = [true, true, true];

type Listener = (...args: never[]) => void;

class Emitter {
  private readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }
}

class FakeApp extends Emitter implements AppLike {
  quits = 0;
  exitCode: number | undefined;
  quit(): void {
    this.quits++;
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
}

class FakeWindow implements WindowLike {
  readonly webContents = new Emitter();
  minimized = false;
  readonly calls: string[] = [];
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.calls.push('restore');
  }
  show() {
    this.calls.push('show');
  }
  focus() {
    this.calls.push('focus');
  }
}

class FakeDialog implements DialogLike {
  readonly asked: MessageBoxSyncOptions[] = [];
  readonly errors: Array<[string, string]> = [];
  constructor(private readonly answer = 0) {}
  showMessageBoxSync(_window: BrowserWindow, options: MessageBoxSyncOptions): number {
    this.asked.push(options);
    return this.answer;
  }
  showErrorBox(title: string, content: string): void {
    this.errors.push([title, content]);
  }
}

function quitEvent(): QuitEvent & { prevented: boolean } {
  const event = {
    prevented: false,
    preventDefault() {
      event.prevented = true;
    },
  };
  return event;
}

describe('closing with unsaved buffers', () => {
  for (const [answer, expected] of [
    [0, { prevented: false, sent: ['saveAllAndClose'] }],
    [1, { prevented: true, sent: [] }],
    [2, { prevented: false, sent: [] }],
  ] as const) {
    it(`"${UNSAVED_BUTTONS[answer]}": ${expected.prevented ? 'the window closes' : expected.sent.length ? 'the page saves everything, then closes itself' : 'the window stays'}`, () => {
      const win = new FakeWindow();
      const dialog = new FakeDialog(answer);
      const sent: DesktopCommand[] = [];
      let keptOpen = false;
      guardUnsavedClose(win, dialog, (c) => sent.push(c), () => (keptOpen = true));
      const event = quitEvent();
      win.webContents.emit('will-prevent-unload', event);
      expect(dialog.asked[0]).toMatchObject({ buttons: ['Save all', "Don't save", 'Cancel'], cancelId: 2, defaultId: 0 });
      expect(event.prevented).toBe(expected.prevented);
      expect(sent).toEqual(expected.sent);
      expect(keptOpen).toBe(answer === 2);
    });
  }
});

describe('quitting', () => {
  it('waits for the cleanup, then quits once', async () => {
    const app = new FakeApp();
    let finish!: () => void;
    waitForCleanupOnQuit(app, () => new Promise<void>((resolve) => (finish = resolve)), 5000);
    const first = quitEvent();
    app.emit('will-quit', first);
    expect(first.prevented).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(app.quits).toBe(0);
    finish();
    await new Promise((r) => setTimeout(r, 0));
    expect(app.quits).toBe(1);
    // The quit that follows goes through.
    const second = quitEvent();
    app.emit('will-quit', second);
    expect(second.prevented).toBe(false);
  });

  it('quits after the time limit when the cleanup hangs or fails', async () => {
    const app = new FakeApp();
    waitForCleanupOnQuit(app, () => new Promise<void>(() => undefined), 50);
    const started = Date.now();
    app.emit('will-quit', quitEvent());
    await new Promise((r) => setTimeout(r, 120));
    expect(app.quits).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    const failing = new FakeApp();
    waitForCleanupOnQuit(failing, () => Promise.reject(new Error('disk full')), 5000);
    failing.emit('will-quit', quitEvent());
    await new Promise((r) => setTimeout(r, 10));
    expect(failing.quits).toBe(1);
  });
});

describe('a second launch and a failed start', () => {
  it('brings back the window the person has', () => {
    const app = new FakeApp();
    const win = new FakeWindow();
    win.minimized = true;
    let current: FakeWindow | undefined = win;
    focusOnSecondInstance(app, () => current);
    app.emit('second-instance');
    expect(win.calls).toEqual(['restore', 'show', 'focus']);
    current = undefined;
    app.emit('second-instance');
    expect(win.calls).toHaveLength(3);
  });

  it('says why it could not start and exits non-zero; a page that does not load counts, a frame inside it does not', () => {
    const app = new FakeApp();
    const dialog = new FakeDialog();
    failStart(app, dialog, 'The services behind the window did not start', new Error('EADDRINUSE'));
    expect(dialog.errors[0]![0]).toBe('Pinwheel could not start');
    expect(dialog.errors[0]![1]).toContain('The services behind the window did not start: EADDRINUSE');
    expect(app.exitCode).toBe(1);

    const other = new FakeApp();
    const win = new FakeWindow();
    failStartIfPageFails(other, dialog, win);
    win.webContents.emit('did-fail-load', {}, -3, 'ERR_ABORTED', 'app://pinwheel/frame.html', false);
    expect(other.exitCode).toBeUndefined();
    win.webContents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'app://pinwheel/index.html', true);
    expect(other.exitCode).toBe(1);
    expect(dialog.errors[1]![1]).toContain('ERR_FILE_NOT_FOUND (-6)');
  });
});

describe('the application menu', () => {
  const items = (menu: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
    menu.flatMap((m) => [m, ...(Array.isArray(m.submenu) ? items(m.submenu) : [])]);

  it('has File, Edit, View, Board and Help, and registers no key the page uses', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const menu = applicationMenu({ send: () => undefined, toggleDevTools: () => undefined, reload: () => undefined, about: () => undefined }, platform);
      expect(menu.filter((m) => m.label).map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Board', 'Help']);
      for (const item of items(menu)) {
        if (!item.accelerator) continue;
        const registered = item.registerAccelerator !== false;
        if (registered) expect(MENU_OWNED_KEYS.has(String(item.accelerator)), `${item.label ?? item.role} takes ${String(item.accelerator)}`).toBe(true);
      }
      expect(items(menu).some((i) => String(i.accelerator ?? '').includes('Shift+I'))).toBe(false);
    }
  });

  it('sends the page its own commands', () => {
    const sent: string[] = [];
    const menu = applicationMenu({ send: (c) => sent.push(c), toggleDevTools: () => sent.push('devtools'), reload: () => sent.push('reload'), about: () => sent.push('about') }, 'linux');
    for (const item of items(menu)) (item.click as (() => void) | undefined)?.();
    expect(sent.filter((c) => (DESKTOP_COMMANDS as readonly string[]).includes(c)).sort()).toEqual(
      ['newMainPy', 'openFolder', 'save', 'saveAll', 'showFiles', 'showMqtt', 'showFlash', 'run', 'stop', 'saveAndReset', 'softReset', 'hardReset', 'newDevice'].sort(),
    );
    expect(sent).toEqual(expect.arrayContaining(['devtools', 'reload', 'about']));
    expect(fits).toHaveLength(3);
  });
});
