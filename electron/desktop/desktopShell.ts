/**
 * The desktop window's behaviour around the app, apart from main.ts so it can
 * be tested against a fake of the parts of Electron it uses (the interfaces
 * below; `ElectronFits` checks at compile time that Electron's own types
 * satisfy them, so the fakes cannot drift from the real API):
 *  - closing or quitting with unsaved buffers asks Save all / Don't save /
 *    Cancel in a native dialog (Electron shows no prompt for a cancelled
 *    `beforeunload`: the window would simply refuse to close);
 *  - quitting waits for the services' cleanup, with a time limit;
 *  - a second launch brings the window back instead of quitting silently;
 *  - a failed start is shown, and the process exits non-zero (it would
 *    otherwise linger invisible, holding the single-instance lock).
 */
import type { App, BrowserWindow, Dialog, MessageBoxSyncOptions } from 'electron';
import type { DesktopCommand } from '../common/api/domains/app.js';

export interface QuitEvent {
  preventDefault(): void;
}

export interface AppLike {
  quit(): void;
  exit(exitCode?: number): void;
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'will-quit', listener: (event: QuitEvent) => void): unknown;
}

export interface WebContentsLike {
  on(event: 'will-prevent-unload', listener: (event: QuitEvent) => void): unknown;
  on(event: 'did-fail-load', listener: (event: unknown, errorCode: number, errorDescription: string, validatedURL: string, isMainFrame: boolean) => void): unknown;
}

export interface WindowLike {
  readonly webContents: WebContentsLike;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

export interface DialogLike {
  showMessageBoxSync(window: BrowserWindow, options: MessageBoxSyncOptions): number;
  showErrorBox(title: string, content: string): void;
}

/** Compile-time proof that Electron's objects are what the fakes imitate. */
export type ElectronFits = [App extends AppLike ? true : never, BrowserWindow extends WindowLike ? true : never, Dialog extends DialogLike ? true : never];

/** The unsaved-changes question's buttons, in order (the index is the answer). */
export const UNSAVED_BUTTONS = ['Save all', "Don't save", 'Cancel'] as const;

/**
 * Asks before a window with unsaved buffers closes. "Don't save" lets it go;
 * "Save all" asks the page to save every buffer and close itself (it closes
 * only if every save succeeded, so nothing is lost to a failed save);
 * "Cancel" keeps it open (and `onKeptOpen` lets a quit in progress know it
 * was called off).
 */
export function guardUnsavedClose(window: WindowLike, dialog: DialogLike, send: (command: DesktopCommand) => void, onKeptOpen: () => void = () => undefined): void {
  window.webContents.on('will-prevent-unload', (event) => {
    const answer = dialog.showMessageBoxSync(window as BrowserWindow, {
      type: 'warning',
      buttons: [...UNSAVED_BUTTONS],
      defaultId: 0,
      cancelId: 2,
      noLink: true,
      title: 'Unsaved changes',
      message: 'Save your changes before closing?',
      detail: 'Some buffers have changes that are not saved to the board or the project folder. They are lost if you close without saving.',
    });
    if (answer === 1) event.preventDefault();
    else if (answer === 0) send('saveAllAndClose');
    else onKeptOpen();
  });
}

/** Quitting waits for `dispose` (the board closed, drafts and settings saved), at most `timeoutMs`. */
export function waitForCleanupOnQuit(app: AppLike, dispose: () => Promise<void>, timeoutMs: number): void {
  let done = false;
  app.on('will-quit', (event) => {
    if (done) return;
    event.preventDefault();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    void Promise.race([dispose().catch(() => undefined), limit]).finally(() => {
      clearTimeout(timer);
      done = true;
      app.quit();
    });
  });
}

/** A second launch shows the window the person already has. */
export function focusOnSecondInstance(app: AppLike, window: () => WindowLike | undefined): void {
  app.on('second-instance', () => {
    const win = window();
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
}

/** A start that failed: said in a dialog, then the process ends with a failure code. */
export function failStart(app: AppLike, dialog: DialogLike, what: string, err: unknown): void {
  const detail = err instanceof Error ? err.message : String(err);
  dialog.showErrorBox('Pinwheel could not start', `${what}: ${detail}\n\nThe browser version may still work: run "npm start" with PINWHEEL_WEB=1, or report this with the message above.`);
  app.exit(1);
}

/** The page not loading is a failed start too (a missing build, a broken bundle). */
export function failStartIfPageFails(app: AppLike, dialog: DialogLike, window: WindowLike): void {
  window.webContents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
    if (isMainFrame) failStart(app, dialog, `The window could not load ${url}`, new Error(`${description} (${code})`));
  });
}
