/**
 * Every keyboard shortcut of the workbench, in one table: key chord, the
 * command it runs, and when it applies. Features register the commands; a
 * shortcut is added here and nowhere else. Tooltips and messages name a
 * shortcut through shortcutFor(), so they always say what the table does.
 */
import { EditorCommands } from '../../features/editor/EditorCommands.js';
import { WorkbenchCommands } from '../WorkbenchCommands.js';
import type { Keybinding } from './KeybindingService.js';

export const KEYBINDINGS: readonly Keybinding[] = [
  // Not while a dialog is open: the dialog's own buttons decide what happens next.
  { key: 'Ctrl+S', command: EditorCommands.save, when: '!dialogOpen' },
  { key: 'F5', command: EditorCommands.run, when: '!dialogOpen' },
  { key: 'Shift+F5', command: EditorCommands.stop, when: '!dialogOpen' },
  { key: 'Ctrl+B', command: WorkbenchCommands.toggleSidebar },
  { key: 'Ctrl+`', command: WorkbenchCommands.togglePanel },
  // The way out of the editor and the terminal, which keep Tab (VS Code's keys).
  { key: 'F6', command: WorkbenchCommands.focusNextPart, when: '!dialogOpen' },
  { key: 'Shift+F6', command: WorkbenchCommands.focusPreviousPart, when: '!dialogOpen' },
  { key: 'Escape', command: WorkbenchCommands.cancelDialog, when: 'dialogOpen' },
];

/** The chord that runs `command` ("Ctrl+S"), for tooltips and messages; undefined when it has none. */
export function shortcutFor(command: string, table: readonly Keybinding[] = KEYBINDINGS): string | undefined {
  return table.find((b) => b.command === command)?.key;
}

/** " (Ctrl+S)" to end a tooltip with, or nothing when the command has no shortcut. */
export function shortcutSuffix(command: string): string {
  const key = shortcutFor(command);
  return key ? ` (${key})` : '';
}
