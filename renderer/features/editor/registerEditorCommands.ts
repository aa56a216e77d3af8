/** The editor's commands: saving, closing, opening, running and stopping buffers. */
import { combineDisposables, type Disposable } from '../../app/commands/CommandRegistry.js';
import type { Workbench } from '../../app/Workbench.js';
import { BLINK_EXAMPLE } from './blinkExample.js';
import { DocumentOpener } from './DocumentOpener.js';
import { DocumentSaver } from './DocumentSaver.js';
import { EditorCommands } from './EditorCommands.js';
import { ProgramRunner } from './ProgramRunner.js';

export function registerEditorCommands(workbench: Workbench): Disposable {
  const { commands, documents } = workbench;
  const saver = new DocumentSaver(workbench);
  const opener = new DocumentOpener(workbench);
  const runner = new ProgramRunner(workbench, opener);
  return combineDisposables([
    commands.register(EditorCommands.save, { title: 'Save', run: () => saver.save() }),
    commands.register(EditorCommands.saveAll, { title: 'Save all', run: () => saver.saveAll() }),
    commands.register(EditorCommands.close, { title: 'Close editor', run: ({ documentId }) => saver.close(documentId) }),
    commands.register(EditorCommands.newMainPy, {
      title: 'New main.py',
      run: () => {
        documents.open({ name: 'main.py', content: BLINK_EXAMPLE, origin: 'untitled' });
      },
    }),
    commands.register(EditorCommands.run, { title: 'Run', run: () => runner.run() }),
    commands.register(EditorCommands.stop, { title: 'Stop', run: () => runner.stop() }),
    commands.register(EditorCommands.saveAndReset, { title: 'Save and reset', run: () => runner.saveAndReset() }),
    commands.register(EditorCommands.openBoardFile, { title: 'Open a file from the board', run: ({ path, line }) => opener.openBoardFile(path, line) }),
    commands.register(EditorCommands.openLocalFile, { title: 'Open a project file', run: ({ path }) => opener.openLocalFile(path) }),
    commands.register(EditorCommands.revealTraceback, { title: 'Go to a traceback line', run: ({ file, line }) => opener.openTracebackLocation(file, line) }),
  ]);
}
