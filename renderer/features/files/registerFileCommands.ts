/** The file managers' commands: the board's files, and the project folder on this computer. */
import { combineDisposables, type Disposable } from '../../app/commands/CommandRegistry.js';
import type { Workbench } from '../../app/Workbench.js';
import { BoardFileActions } from './BoardFileActions.js';
import { FileCommands } from './FileCommands.js';
import { ProjectActions } from './ProjectActions.js';

export function registerFileCommands(workbench: Workbench): Disposable {
  const { commands } = workbench;
  const board = new BoardFileActions(workbench);
  const project = new ProjectActions(workbench);
  return combineDisposables([
    commands.register(FileCommands.newBoardFile, { title: 'New file on the board', run: ({ dir }) => board.newFile(dir) }),
    commands.register(FileCommands.newBoardFolder, { title: 'New folder on the board', run: ({ dir }) => board.newFolder(dir) }),
    commands.register(FileCommands.uploadToBoard, { title: 'Upload files to the board', run: ({ items, targetDir, existing }) => board.upload(items, targetDir, existing) }),
    commands.register(FileCommands.downloadBoardFile, { title: 'Download a board file', run: ({ entry }) => board.download(entry) }),
    commands.register(FileCommands.renameBoardFile, { title: 'Rename a board file', run: ({ entry }) => board.rename(entry) }),
    commands.register(FileCommands.deleteBoardFile, { title: 'Delete a board file', run: ({ entry }) => board.remove(entry) }),
    commands.register(FileCommands.openProjectFolder, { title: 'Open a project folder', run: ({ start }) => project.openFolder(start) }),
    commands.register(FileCommands.uploadProjectFiles, { title: 'Upload project files to the board', run: ({ paths, label }) => project.upload(paths, label) }),
    commands.register(FileCommands.syncProject, { title: 'Sync changed files to the board', run: () => project.sync() }),
  ]);
}
