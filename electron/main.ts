/**
 * Electron host: one hardened window on the built renderer, and the API served
 * over a single IPC channel. All board, serial and flash access stays here in
 * the main process; the renderer only renders.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, safeStorage, session, shell, type IpcMainEvent, type WebContents } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { IPC_TO_MAIN, IPC_TO_RENDERER } from './common/api/bridge.js';
import type { DispatcherSession } from './common/api/dispatcher.js';
import { CONTENT_SECURITY_POLICY, rendererMayUse } from './common/api/securityPolicy.js';
import type { DesktopCommand } from './common/api/domains/app.js';
import { applicationMenu } from './desktop/applicationMenu.js';
import { failStart, failStartIfPageFails, focusOnSecondInstance, guardUnsavedClose, waitForCleanupOnQuit } from './desktop/desktopShell.js';
import { PROJECT_ROOT, RENDERER_DIR, userDataDir } from './node/appPaths.js';
import type { Backend } from './node/services/Backend.js';
import { createBackend } from './node/services/createBackend.js';
import type { SecretBox } from './node/mqtt/SecretBox.js';

/** The longest quitting waits for the services to close and save. */
const QUIT_DISPOSE_TIMEOUT_MS = 5000;

/** The renderer is served from app://pinwheel/ rather than file://, so it gets a real origin and our CSP header. */
const APP_SCHEME = 'app';
const APP_ORIGIN = `${APP_SCHEME}://pinwheel`;

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);
// One data folder for Chromium's files and the app's own (drafts, settings, the virtual board's
// flash): the same folder the web host and the CLI use, set before anything reads userData.
app.setPath('userData', userDataDir());

/**
 * MQTT passwords and keys sealed by the system keychain. Where it has none
 * (a Linux session without a secret service) the backend falls back to its
 * key file, and the UI says which one is in use.
 */
function keychainSecretBox(): SecretBox | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  return {
    description: 'encrypted by the system keychain (Electron safeStorage)',
    seal: async (plain) => 'e1:' + safeStorage.encryptString(plain).toString('base64'),
    open: async (sealed) => {
      if (!sealed.startsWith('e1:')) throw new Error('This secret was not sealed by the system keychain.');
      return safeStorage.decryptString(Buffer.from(sealed.slice(3), 'base64'));
    },
  };
}

function serveRenderer() {
  protocol.handle(APP_SCHEME, async (request) => {
    const { pathname } = new URL(request.url);
    const relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
    const file = path.resolve(RENDERER_DIR, '.' + path.posix.normalize(relative));
    if (!file.startsWith(RENDERER_DIR + path.sep)) return new Response('Forbidden', { status: 403 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

function isOurPage(contents: WebContents): boolean {
  return contents.getURL().startsWith(APP_ORIGIN + '/');
}

/** Sends a command to one window's page (the API's `app.command` event; the page runs its own command). */
function sendCommand(contents: WebContents, command: DesktopCommand): void {
  if (!contents.isDestroyed()) contents.send(IPC_TO_RENDERER, { type: 'event', name: 'app.command', payload: { command } });
}

async function main() {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let window: BrowserWindow | undefined;
  focusOnSecondInstance(app, () => window);
  await app.whenReady();
  let backend: Backend;
  try {
    serveRenderer();
    // The renderer needs no device, camera or notification permission (serial stays in main); only
    // the clipboard, written by the terminal's Copy and read by its Ctrl+V.
    session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(rendererMayUse(permission)));
    session.defaultSession.setPermissionCheckHandler((_contents, permission) => rendererMayUse(permission));
    const secrets = keychainSecretBox();
    backend = await createBackend({ host: 'electron', ...(secrets ? { secrets } : {}) });
  } catch (err) {
    failStart(app, dialog, 'The services behind the window did not start', err);
    return;
  }
  serveApi(backend);
  guardWebContents();
  // Quitting waits for the backend: the board is closed (the virtual board saves its flash) and
  // pending draft and settings saves land. A stuck service cannot hold the app open for long.
  waitForCleanupOnQuit(app, () => backend.dispose(), QUIT_DISPOSE_TIMEOUT_MS);

  let quitting = false;
  app.on('before-quit', () => (quitting = true));
  const focused = () => BrowserWindow.getFocusedWindow()?.webContents ?? window?.webContents;
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      applicationMenu(
        {
          send: (command) => {
            const contents = focused();
            if (contents) sendCommand(contents, command);
          },
          toggleDevTools: () => focused()?.toggleDevTools(),
          reload: () => focused()?.reload(),
          about: () => app.showAboutPanel(),
        },
        process.platform,
      ),
    ),
  );

  const createWindow = () => {
    const win = new BrowserWindow({
      width: 1280,
      height: 800,
      minWidth: 720,
      minHeight: 480,
      title: 'Pinwheel',
      icon: path.join(PROJECT_ROOT, 'resources', 'icons', '512x512.png'),
      show: false,
      webPreferences: {
        preload: path.join(PROJECT_ROOT, 'dist', 'electron', 'preload.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        spellcheck: false,
      },
    });
    window = win;
    win.on('closed', () => {
      if (window === win) window = undefined;
      // Quitting stopped at this window's unsaved buffers; once "Save all" saved them and it closed, quit goes on.
      if (quitting) app.quit();
    });
    guardUnsavedClose(
      win,
      dialog,
      (command) => sendCommand(win.webContents, command),
      () => (quitting = false),
    );
    failStartIfPageFails(app, dialog, win);
    win.once('ready-to-show', () => win.show());
    void win.loadURL(`${APP_ORIGIN}/index.html`);
  };
  createWindow();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

/** The API over IPC: one dispatcher session per page load, closed (with its listeners) when the page goes. */
function serveApi(backend: Backend): void {
  const sessions = new Map<number, DispatcherSession>();
  ipcMain.on(IPC_TO_MAIN, (event: IpcMainEvent, message: unknown) => {
    const contents = event.sender;
    if (!isOurPage(contents) || event.senderFrame?.url.startsWith(APP_ORIGIN + '/') !== true) return;
    let session = sessions.get(contents.id);
    if (!session) {
      const reply = (m: unknown) => {
        if (!contents.isDestroyed()) contents.send(IPC_TO_RENDERER, m);
      };
      const opened = backend.dispatcher.open(`window-${contents.id}`, reply);
      session = opened;
      const events = backend.events.subscribe(reply);
      sessions.set(contents.id, opened);
      // Whichever ends the page first closes the session and takes the other listeners with it,
      // so a window reloaded a hundred times does not carry three hundred of them.
      const closeSession = () => {
        contents.off('destroyed', closeSession);
        contents.off('did-navigate', closeSession);
        contents.off('render-process-gone', closeSession);
        events.dispose();
        sessions.get(contents.id)?.close();
        sessions.delete(contents.id);
      };
      contents.once('destroyed', closeSession);
      // A reload starts a fresh page: drop the old page's calls in flight and its subscriptions.
      contents.once('did-navigate', closeSession);
      contents.once('render-process-gone', closeSession);
    }
    session.receive(message);
  });
}

function guardWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith(APP_ORIGIN + '/')) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Links to documentation open in the user's browser, never inside the app.
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

void main();
