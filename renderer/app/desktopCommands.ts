/**
 * What each of the desktop app's `app.command` events runs: the page's own
 * command, so the menu and the keyboard do the same. `saveAllAndClose` is the
 * answer "Save all" to closing with unsaved buffers: the window closes only
 * when every buffer was saved, so a failed or cancelled save loses nothing.
 */
import type { DesktopCommand } from '../../electron/common/api/domains/app.js';
import { BoardCommands } from '../features/boards/BoardCommands.js';
import { EditorCommands } from '../features/editor/EditorCommands.js';
import { FileCommands } from '../features/files/FileCommands.js';
import type { CommandRegistry } from './commands/CommandRegistry.js';
import { WorkbenchCommands } from './WorkbenchCommands.js';

type Commands = Pick<CommandRegistry, 'execute'>;

/** Each menu command as the page's own command (saveAllAndClose is handled on its own). */
const PAGE_COMMANDS: Record<Exclude<DesktopCommand, 'saveAllAndClose'>, (commands: Commands) => Promise<unknown>> = {
  newMainPy: (c) => c.execute(EditorCommands.newMainPy),
  save: (c) => c.execute(EditorCommands.save),
  saveAll: (c) => c.execute(EditorCommands.saveAll),
  openFolder: (c) => c.execute(FileCommands.openProjectFolder, {}),
  run: (c) => c.execute(EditorCommands.run),
  stop: (c) => c.execute(EditorCommands.stop),
  saveAndReset: (c) => c.execute(EditorCommands.saveAndReset),
  softReset: (c) => c.execute(BoardCommands.softReset),
  hardReset: (c) => c.execute(BoardCommands.hardReset),
  newDevice: (c) => c.execute(BoardCommands.newDevice),
  showFiles: (c) => c.execute(WorkbenchCommands.selectView, { view: 'files' }),
  showMqtt: (c) => c.execute(WorkbenchCommands.selectView, { view: 'mqtt' }),
  showFlash: (c) => c.execute(WorkbenchCommands.selectView, { view: 'flash' }),
};

export async function runDesktopCommand(commands: Commands, command: DesktopCommand, closeWindow: () => void): Promise<unknown> {
  if (command !== 'saveAllAndClose') return PAGE_COMMANDS[command](commands);
  if (await commands.execute(EditorCommands.saveAll)) closeWindow();
  return undefined;
}
