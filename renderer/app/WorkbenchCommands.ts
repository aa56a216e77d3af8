/** The workbench's own command ids (its layout and dialogs); registerWorkbenchCommands.ts says what they do. */
import { commandId } from './commands/CommandRegistry.js';

export const WorkbenchCommands = {
  /** Opens a view (an id from views.tsx) in the side bar; choosing the open one hides the side bar. */
  selectView: commandId<{ view: string }>('layout.selectView'),
  toggleSidebar: commandId('layout.toggleSidebar'),
  /** Shows the panel (and focuses the terminal) or hides it. */
  togglePanel: commandId('layout.togglePanel'),
  hidePanel: commandId('layout.hidePanel'),
  toggleMaximizedPanel: commandId('layout.toggleMaximizedPanel'),
  /** Moves the keyboard to the next part of the window (activity bar, side bar, editor, panel), or back. */
  focusNextPart: commandId('layout.focusNextPart'),
  focusPreviousPart: commandId('layout.focusPreviousPart'),
  /** Answers the open dialog as Escape or a click outside it would. */
  cancelDialog: commandId('dialogs.cancel'),
} as const;
