/** The editor's command ids and what each takes; registerEditorCommands.ts says what they do. */
import { commandId } from '../../app/commands/CommandRegistry.js';

export const EditorCommands = {
  /** Saves the active buffer to where it came from; resolves true when saved. */
  save: commandId<void, boolean>('editor.save'),
  /** Saves every buffer with unsaved changes, in tab order; resolves true when all were saved. */
  saveAll: commandId<void, boolean>('editor.saveAll'),
  /** Closes a tab, asking first when it has unsaved changes; resolves false when it stayed open. */
  close: commandId<{ documentId: string }, boolean>('editor.close'),
  /** Opens a new untitled main.py with the blink example. */
  newMainPy: commandId('editor.newMainPy'),
  /** Runs the active buffer on the board without saving it. */
  run: commandId('editor.run'),
  /** Interrupts the program running on the board. */
  stop: commandId('editor.stop'),
  /** Writes the active buffer to /main.py and soft-resets the board so it starts as at power-up. */
  saveAndReset: commandId('editor.saveAndReset'),
  openBoardFile: commandId<{ path: string; line?: number }>('editor.openBoardFile'),
  openLocalFile: commandId<{ path: string }>('editor.openLocalFile'),
  /** Opens what a traceback line names ("main.py", "<stdin>") at its line. */
  revealTraceback: commandId<{ file: string; line: number }>('editor.revealTraceback'),
} as const;
