/** The project folder behind the API: the folder itself and sending it to the board. */
import type { workspaceCalls } from '../../../common/api/contract.js';
import type { HandlersFor } from '../../../common/api/dispatcher.js';
import type { BoardFilesService } from '../board/BoardFilesService.js';
import type { ProgressSink } from '../JobProgress.js';
import type { SettingsStore } from '../SettingsStore.js';
import { ProjectUpload } from './ProjectUpload.js';
import { WorkspaceFolder } from './WorkspaceFolder.js';

export interface WorkspaceServiceOptions {
  settings: SettingsStore;
  board: BoardFilesService;
  progress: ProgressSink;
  /** Where the folder picker starts; default the user's home folder. */
  homeDir?: string;
}

export class WorkspaceService {
  readonly folder: WorkspaceFolder;
  readonly upload: ProjectUpload;

  constructor(options: WorkspaceServiceOptions) {
    this.folder = new WorkspaceFolder({ settings: options.settings, ...(options.homeDir !== undefined ? { homeDir: options.homeDir } : {}) });
    this.upload = new ProjectUpload({ folder: this.folder, board: options.board, progress: options.progress });
  }

  /** Reopens the folder remembered in the settings, if it still exists. */
  restore(): Promise<void> {
    return this.folder.restore();
  }

  handlers(): HandlersFor<typeof workspaceCalls> {
    const { folder, upload } = this;
    return {
      'workspace.open': (p) => folder.open(p.path),
      'workspace.current': async () => folder.current(),
      'workspace.browse': (p) => folder.browse(p.path),
      'workspace.list': () => folder.list(),
      'workspace.readFile': async (p) => ({ data: await folder.readFile(p.path) }),
      'workspace.writeFile': async (p) => {
        await folder.writeFile(p.path, p.data);
        return {};
      },
      'workspace.uploadToBoard': (p, ctx) => upload.uploadToBoard(p.paths, p.remoteRoot, p.jobId, ctx.signal),
      'workspace.syncToBoard': (p, ctx) => upload.syncToBoard(p.remoteRoot, p.jobId, ctx.signal),
    };
  }
}
