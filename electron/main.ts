/**
 * Electron host: one hardened window on the built renderer, and the API served
 * over a single IPC channel. All board, serial and flash access stays here in
 * the main process; the renderer only renders.
 */
import { app, BrowserWindow, ipcMain, net, protocol, safeStorage, session, shell, type IpcMainEvent, type WebContents } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { IPC_TO_MAIN, IPC_TO_RENDERER } from './common/api/bridge.js';
import type { DispatcherSession } from './common/api/dispatcher.js';
import { CONTENT_SECURITY_POLICY, rendererMayUse } from './common/api/securityPolicy.js';
import { PROJECT_ROOT, RENDERER_DIR } from './node/appPaths.js';
import { createBackend } from './node/services/createBackend.js';
import type { SecretBox } from './node/mqtt/SecretBox.js';
import { sleep } from './common/util/sleep.js';

/** The longest quitting waits for the services to close and save. */
const QUIT_DISPOSE_TIMEOUT_MS = 5000;

/** The renderer is served from app://pinwheel/ rather than file://, so it gets a real origin and our CSP header. */
const APP_SCHEME = 'app';
const APP_ORIGIN = `${APP_SCHEME}://pinwheel`;

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

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

async function main() {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  serveRenderer();
  // The renderer needs no device, camera or notification permission (serial stays in main); only
  // writing to the clipboard, for the terminal's Copy action.
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(rendererMayUse(permission)));
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => rendererMayUse(permission));

  const secrets = keychainSecretBox();
  const backend = await createBackend({ host: 'electron', ...(secrets ? { secrets } : {}) });
  const sessions = new Map<number, DispatcherSession>();

  ipcMain.on(IPC_TO_MAIN, (event: IpcMainEvent, message: unknown) => {
    const contents = event.sender;
    if (!isOurPage(contents) || event.senderFrame?.url.startsWith(APP_ORIGIN + '/') !== true) return;
    let session = sessions.get(contents.id);
    if (!session) {
      const reply = (m: unknown) => {
        if (!contents.isDestroyed()) contents.send(IPC_TO_RENDERER, m);
      };
      session = backend.dispatcher.open(`window-${contents.id}`, reply);
      const events = backend.events.subscribe(reply);
      sessions.set(contents.id, session);
      const closeSession = () => {
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
  // Quitting waits for the backend: the board is closed (the virtual board saves its flash) and
  // pending draft and settings saves land. A stuck service cannot hold the app open for long.
  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    void Promise.race([backend.dispose(), sleep(QUIT_DISPOSE_TIMEOUT_MS)]).finally(() => {
      disposed = true;
      app.quit();
    });
  });
}

void main();
