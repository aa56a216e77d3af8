/**
 * The desktop app's menu and window speak to the page through `app.command`
 * events (the web host never sends them); desktopCommands.ts says what each runs.
 */
import type { Disposable } from './commands/CommandRegistry.js';
import { runDesktopCommand } from './desktopCommands.js';
import type { Workbench } from './Workbench.js';

export function registerDesktopCommands(workbench: Workbench): Disposable {
  return workbench.api.on('app.command', ({ command }) => {
    void runDesktopCommand(workbench.commands, command, () => window.close());
  });
}
