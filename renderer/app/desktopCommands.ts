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

export function runDesktopCommand(commands: Pick<CommandRegistry, 'execute'>, command: DesktopCommand, closeWindow: () => void): Promise<unknown> {
  switch (command) {
    case 'newMainPy':
      return commands.execute(EditorCommands.newMainPy);
    case 'save':
      return commands.execute(EditorCommands.save);
    case 'saveAll':
      return commands.execute(EditorCommands.saveAll);
    case 'saveAllAndClose':
      return commands.execute(EditorCommands.saveAll).then((saved) => {
        if (saved) closeWindow();
      });
    case 'openFolder':
      return commands.execute(FileCommands.openProjectFolder, {});
    case 'run':
      return commands.execute(EditorCommands.run);
    case 'stop':
      return commands.execute(EditorCommands.stop);
    case 'saveAndReset':
      return commands.execute(EditorCommands.saveAndReset);
    case 'softReset':
      return commands.execute(BoardCommands.softReset);
    case 'hardReset':
      return commands.execute(BoardCommands.hardReset);
    case 'newDevice':
      return commands.execute(BoardCommands.newDevice);
    case 'showFiles':
      return commands.execute(WorkbenchCommands.selectView, { view: 'files' });
    case 'showMqtt':
      return commands.execute(WorkbenchCommands.selectView, { view: 'mqtt' });
    case 'showFlash':
      return commands.execute(WorkbenchCommands.selectView, { view: 'flash' });
  }
}
