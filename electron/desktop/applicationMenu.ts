/**
 * The desktop app's menu: File, Edit, View, Board, Help. Its items send the
 * page's own commands (`app.command`), so the menu and the keyboard do the
 * same thing. Shortcuts the page handles itself (Ctrl+S, F5, the editor's and
 * the terminal's keys) are shown in the menu but not registered with it
 * (`registerAccelerator: false`): a registered accelerator takes the key
 * before the page sees it, which is how Electron's default menu stole
 * Ctrl+Shift+I from the editor. Only keys no part of the page uses are
 * registered (full screen, quit).
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { DesktopCommand } from '../common/api/domains/app.js';

export interface MenuActions {
  send(command: DesktopCommand): void;
  toggleDevTools(): void;
  reload(): void;
  about(): void;
}

/** Keys the menu may take for itself: nothing in the page uses them. */
export const MENU_OWNED_KEYS = new Set(['F11', 'CmdOrCtrl+Q']);

function shown(label: string, accelerator: string, click: () => void): MenuItemConstructorOptions {
  return { label, accelerator, registerAccelerator: false, click };
}

export function applicationMenu(actions: MenuActions, platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  const { send } = actions;
  const item = (label: string, command: DesktopCommand): MenuItemConstructorOptions => ({ label, click: () => send(command) });
  const editRole = (role: 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll', accelerator: string): MenuItemConstructorOptions => ({ role, accelerator, registerAccelerator: false });
  const mac = platform === 'darwin';
  return [
    ...(mac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: 'File',
      submenu: [
        item('New main.py', 'newMainPy'),
        item('Open Folder…', 'openFolder'),
        { type: 'separator' },
        shown('Save', 'CmdOrCtrl+S', () => send('save')),
        item('Save All', 'saveAll'),
        { type: 'separator' },
        mac ? { role: 'close' } : { label: 'Quit', accelerator: 'CmdOrCtrl+Q', role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        editRole('undo', 'CmdOrCtrl+Z'),
        editRole('redo', mac ? 'Shift+Cmd+Z' : 'Ctrl+Y'),
        { type: 'separator' },
        editRole('cut', 'CmdOrCtrl+X'),
        editRole('copy', 'CmdOrCtrl+C'),
        editRole('paste', 'CmdOrCtrl+V'),
        editRole('selectAll', 'CmdOrCtrl+A'),
      ],
    },
    {
      label: 'View',
      submenu: [
        item('Files', 'showFiles'),
        item('MQTT', 'showMqtt'),
        item('Flash', 'showFlash'),
        { type: 'separator' },
        { label: 'Reload Window', click: () => actions.reload() },
        { label: 'Full Screen', accelerator: 'F11', role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Board',
      submenu: [
        shown('Run', 'F5', () => send('run')),
        shown('Stop', 'Shift+F5', () => send('stop')),
        item('Save as main.py and Reset', 'saveAndReset'),
        { type: 'separator' },
        item('Soft Reset', 'softReset'),
        item('Hard Reset', 'hardReset'),
        { type: 'separator' },
        item('New Device from a Template…', 'newDevice'),
      ],
    },
    {
      label: 'Help',
      submenu: [
        { label: 'Toggle Developer Tools', click: () => actions.toggleDevTools() },
        { type: 'separator' },
        { label: 'About Pinwheel', click: () => actions.about() },
      ],
    },
  ];
}
