/** The application itself: which host serves it and what version it is. */
import { z } from 'zod';
import { NoParams, call, type CallTable, type EventTable } from './schema.js';

export const HostKind = z.enum(['electron', 'web']);
export type HostKind = z.infer<typeof HostKind>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  host: HostKind,
  platform: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appCalls = {
  'app.info': call(NoParams, AppInfo),
} as const satisfies CallTable;

/**
 * What the desktop app's menu and window ask of the page: the menu's
 * commands, and `saveAllAndClose` when the person chose "Save all" on
 * closing the window (or quitting) with unsaved buffers.
 */
export const DESKTOP_COMMANDS = ['newMainPy', 'save', 'saveAll', 'saveAllAndClose', 'openFolder', 'run', 'stop', 'saveAndReset', 'softReset', 'hardReset', 'newDevice', 'showFiles', 'showMqtt', 'showFlash'] as const;
export const DesktopCommand = z.enum(DESKTOP_COMMANDS);
export type DesktopCommand = z.infer<typeof DesktopCommand>;

export const appEvents = {
  /** Sent by the Electron host to the window it concerns (never by the web host). */
  'app.command': z.object({ command: DesktopCommand }),
} as const satisfies EventTable;
