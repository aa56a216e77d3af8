/** The terminal's command ids; registerTerminalCommands.ts says what they do. */
import { commandId } from '../../app/commands/CommandRegistry.js';

export const TerminalCommands = {
  clear: commandId('terminal.clear'),
  /** Copies the selection, or everything when nothing is selected. */
  copy: commandId('terminal.copy'),
} as const;
