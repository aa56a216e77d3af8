/**
 * What the project folder panel does with the board: pick and open a folder
 * on this computer, upload files from it, or sync only what changed. Each
 * transfer is a job with progress and Cancel, and ends in a notification
 * saying how many files went up and how many were already there.
 */
import type { SyncResult } from '../../../electron/common/api/contract.js';
import type { Workbench } from '../../app/Workbench.js';
import { FolderPicker } from './FolderPicker.js';

export class ProjectActions {
  constructor(private readonly workbench: Workbench) {}

  /** Asks for a folder (starting at `start`) and opens it; the project panel lists it once opened. */
  async openFolder(start: string | undefined): Promise<void> {
    const { workbench } = this;
    const path = await workbench.dialogs.open<string | null>('Open a project folder', (close) => <FolderPicker api={workbench.api} start={start} onAnswer={close} />, null, { testId: 'dialog-folder', wide: true });
    if (!path) return;
    const opened = await workbench.attempt(`Could not open ${path}`, () => workbench.api.call('workspace.open', { path }));
    if (opened) workbench.localFilesVersion.update((v) => v + 1);
  }

  async upload(paths: string[], label: string): Promise<void> {
    const { workbench } = this;
    const targets = paths.map((p) => `/${p}`);
    const replace = await workbench.attempt(`Could not upload ${label} to the board`, () => workbench.boardReplace.mayReplace(targets, `the project's ${paths.length === 1 ? 'copy' : 'copies'}`));
    if (!replace) return;
    const result = await workbench.attempt(`Could not upload ${label} to the board`, () =>
      workbench.jobs.run(`Uploading ${label} to the board`, (job) => workbench.api.call('workspace.uploadToBoard', { paths, remoteRoot: '/', jobId: job.id }, { signal: job.signal, timeoutMs: 0 })),
    );
    this.report(result, `Uploaded ${label}`);
    if (result) for (const path of targets) await workbench.openBoardTabs.written(path, null);
  }

  async sync(): Promise<void> {
    const { workbench } = this;
    const result = await workbench.attempt('Could not sync the project to the board', () =>
      workbench.jobs.run('Syncing changed files to the board', (job) => workbench.api.call('workspace.syncToBoard', { remoteRoot: '/', jobId: job.id }, { signal: job.signal, timeoutMs: 0 })),
    );
    this.report(result, 'Synced the project');
  }

  private report(result: SyncResult | undefined, what: string): void {
    if (!result) return;
    this.workbench.boardFilesVersion.update((v) => v + 1);
    this.workbench.notifications.success(
      `${what}: ${result.uploaded} uploaded, ${result.skipped} unchanged`,
      result.skipped > 0 ? 'Files already identical on the board were skipped.' : undefined,
    );
  }
}
