/** Clearing the terminal and copying its text. */
import { combineDisposables, type Disposable } from '../../app/commands/CommandRegistry.js';
import type { Workbench } from '../../app/Workbench.js';
import { TerminalCommands } from './TerminalCommands.js';

/** Copies through the async clipboard API (a secure context: the hosts serve from loopback or a file). */
async function copyText(text: string): Promise<void> {
  await navigator.clipboard.writeText(text);
}

export function registerTerminalCommands(workbench: Workbench): Disposable {
  const { commands, terminal, notifications } = workbench;
  return combineDisposables([
    commands.register(TerminalCommands.clear, { title: 'Clear terminal', run: () => terminal.clear() }),
    commands.register(TerminalCommands.copy, {
      title: 'Copy terminal text',
      run: () => {
        const text = terminal.textToCopy();
        copyText(text).then(
          () => notifications.success('Copied the terminal text', `${text.split('\n').length} lines are on the clipboard.`),
          (err: unknown) => notifications.error('Could not copy the terminal text', err),
        );
      },
    }),
  ]);
}
