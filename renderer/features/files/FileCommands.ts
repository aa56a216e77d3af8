/** The file managers' command ids and what each takes; registerFileCommands.ts says what they do. */
import type { BoardFileEntryDto } from '../../../electron/common/api/contract.js';
import { commandId } from '../../app/commands/CommandRegistry.js';
import type { DroppedItems } from './droppedFiles.js';

export const FileCommands = {
  newBoardFile: commandId<{ dir: string }>('files.newBoardFile'),
  newBoardFolder: commandId<{ dir: string }>('files.newBoardFolder'),
  /** Uploads files and folders into `targetDir`; `existing` are the board's folders, which need no mkdir. */
  uploadToBoard: commandId<{ items: DroppedItems; targetDir: string; existing: ReadonlySet<string> }>('files.uploadToBoard'),
  downloadBoardFile: commandId<{ entry: BoardFileEntryDto }>('files.downloadBoardFile'),
  renameBoardFile: commandId<{ entry: BoardFileEntryDto }>('files.renameBoardFile'),
  deleteBoardFile: commandId<{ entry: BoardFileEntryDto }>('files.deleteBoardFile'),
  /** Asks for a project folder on this computer, starting at `start`, and opens it. */
  openProjectFolder: commandId<{ start?: string }>('files.openProjectFolder'),
  /** Uploads project files (paths relative to the folder); `label` names them in progress and results. */
  uploadProjectFiles: commandId<{ paths: string[]; label: string }>('files.uploadProjectFiles'),
  /** Uploads only the project files that differ on the board. */
  syncProject: commandId('files.syncProject'),
} as const;
