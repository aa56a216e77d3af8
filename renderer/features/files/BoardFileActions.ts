/**
 * What the board file manager does: upload (with folders), download, create,
 * rename and delete. Every transfer is a job with progress and Cancel; every
 * failure a notification naming the file.
 */
import { ApiError } from '../../../electron/common/api/errors.js';
import { saveFile } from '../../shared/util/saveFile.js';
import type { BoardFileEntryDto } from '../../../electron/common/api/contract.js';
import type { Workbench } from '../../app/Workbench.js';
import { formatBytes } from '../../../electron/common/util/format.js';
import { EditorCommands } from '../editor/EditorCommands.js';
import { baseName, joinPath, parentPath } from '../../../electron/common/util/slashPath.js';
import { resolveTypedBoardPath, validBoardPath } from './boardPaths.js';
import type { DroppedItems } from './droppedFiles.js';
import { foldersToCreate } from './fileTree.js';
import { missingBoardFile } from './missingBoardFile.js';

export class BoardFileActions {
  constructor(private readonly workbench: Workbench) {}

  private get api() {
    return this.workbench.api;
  }

  private changed() {
    this.workbench.boardFilesVersion.update((v) => v + 1);
  }

  /** Uploads files (and folders) into `targetDir`, creating folders as needed. `existing` are the board's folders. */
  async upload(items: DroppedItems, targetDir: string, existing: ReadonlySet<string>): Promise<void> {
    const { files, dirs } = items;
    if (files.length === 0 && dirs.length === 0) return;
    const totalBytes = files.reduce((sum, f) => sum + f.file.size, 0);
    const what = files.length === 1 && dirs.length === 0 ? files[0]!.relativePath : `${files.length} file${files.length === 1 ? '' : 's'}`;
    const label = `Uploading ${what} to ${targetDir} (${formatBytes(totalBytes)})`;
    const targets = files.map((f) => joinPath(targetDir, f.relativePath));
    const replace = await this.workbench.attempt(`Could not upload ${what} to the board`, () => this.workbench.boardReplace.mayReplace(targets, files.length === 1 ? `the uploaded ${files[0]!.relativePath}` : 'the uploaded files'));
    if (!replace) return;
    let uploaded = 0;
    await this.workbench.attempt(`Could not upload ${what} to the board`, () =>
      this.workbench.jobs.run(label, async (job) => {
        const folderPaths = foldersToCreate(
          [...dirs.map((d) => joinPath(targetDir, d)), ...files.map((f) => parentPath(joinPath(targetDir, f.relativePath)))],
          existing,
        );
        for (const folder of folderPaths) {
          await this.api.call('files.mkdir', { path: folder }, { signal: job.signal });
        }
        for (const item of files) {
          const path = joinPath(targetDir, item.relativePath);
          job.report(0, item.file.size, `Writing ${path} (${uploaded + 1} of ${files.length})`);
          const data = new Uint8Array(await item.file.arrayBuffer());
          await this.api.call('files.write', { path, data, jobId: job.id, force: true }, { signal: job.signal, timeoutMs: 0 });
          uploaded++;
          void this.workbench.openBoardTabs.written(path, textOf(data));
        }
      }),
    );
    if (uploaded > 0 || dirs.length > 0) {
      this.changed();
      if (uploaded === files.length) this.workbench.notifications.success(`Uploaded ${what} to ${targetDir}`);
    }
  }

  /** Reads a board file and hands it to the browser as a download. */
  async download(entry: BoardFileEntryDto): Promise<void> {
    const file = await this.workbench.attempt(
      `Could not download ${entry.path}`,
      () => this.workbench.jobs.run(`Downloading ${entry.path}`, (job) => this.api.call('files.read', { path: entry.path, jobId: job.id }, { signal: job.signal, timeoutMs: 0 })),
      missingBoardFile(this.workbench),
    );
    if (!file) return;
    saveFile(file.data, entry.name);
  }

  async newFile(dir: string): Promise<void> {
    const typed = await this.workbench.dialogs.prompt('New file on the board', `Path on the board (a folder on the way is created; relative to ${dir})`, joinPath(dir, 'untitled.py'), {
      okLabel: 'Create',
      validate: (value) => (value.trim() === '' ? 'Type a file name, e.g. util.py.' : validBoardPath(resolveTypedBoardPath(value, dir))),
    });
    if (!typed) return;
    const path = resolveTypedBoardPath(typed, dir);
    const created = await this.workbench.attempt(`Could not create ${path}`, async () => {
      // An existing file is opened, never emptied; a missing folder on the way is created.
      const existing = await this.api.call('files.stat', { path }).catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 'NOT_FOUND') return null;
        throw err;
      });
      if (existing?.type === 'dir') throw new Error(`${path} is a folder on the board.`);
      if (existing) return 'existed' as const;
      const folder = parentPath(path);
      if (folder !== '/' && folder !== '') await this.api.call('files.mkdir', { path: folder });
      await this.api.call('files.write', { path, data: new Uint8Array(0) });
      return 'created' as const;
    });
    if (!created) return;
    if (created === 'existed') this.workbench.notifications.show('info', `${path} is already on the board`, 'Pinwheel opened it as it is.');
    this.changed();
    await this.workbench.commands.execute(EditorCommands.openBoardFile, { path });
  }

  async newFolder(dir: string): Promise<void> {
    const typed = await this.workbench.dialogs.prompt('New folder on the board', `Path on the board (relative to ${dir})`, joinPath(dir, 'lib'), {
      okLabel: 'Create',
      validate: (value) => (value.trim() === '' ? 'Type a folder name, e.g. lib.' : validBoardPath(resolveTypedBoardPath(value, dir))),
    });
    if (!typed) return;
    const path = resolveTypedBoardPath(typed, dir);
    const ok = await this.workbench.attempt(`Could not create the folder ${path}`, () => this.api.call('files.mkdir', { path }));
    if (ok) this.changed();
  }

  async rename(entry: BoardFileEntryDto): Promise<void> {
    const to = await this.workbench.dialogs.prompt(`Rename ${entry.name}`, 'New path on the board', entry.path, {
      okLabel: 'Rename',
      validate: (value) => (value === entry.path ? 'Type a different name.' : validBoardPath(value)),
    });
    if (!to) return;
    const ok = await this.workbench.attempt(`Could not rename ${entry.path}`, () => this.api.call('files.rename', { from: entry.path, to }));
    if (!ok) return;
    // The renamed file is the connected board's: a tab of another board's file of that name stays as it is.
    const open = this.workbench.documents.find('board', entry.path, this.workbench.board.status.get().port?.path);
    if (open) this.workbench.documents.setSource(open.id, 'board', to);
    this.changed();
  }

  async remove(entry: BoardFileEntryDto): Promise<void> {
    const isDir = entry.type === 'dir';
    const confirmed = await this.workbench.dialogs.confirm(
      isDir ? `Delete the folder ${entry.name}?` : `Delete ${entry.name}?`,
      isDir ? `${entry.path} and everything in it will be deleted from the board. This cannot be undone.` : `${entry.path} will be deleted from the board. This cannot be undone.`,
      'Delete',
      true,
    );
    if (!confirmed) return;
    const ok = await this.workbench.attempt(
      `Could not delete ${entry.path}`,
      () => this.workbench.jobs.run(`Deleting ${entry.path}`, (job) => this.api.call('files.remove', { path: entry.path, recursive: isDir }, { signal: job.signal, timeoutMs: 0 })),
      missingBoardFile(this.workbench),
    );
    if (ok) {
      this.changed();
      this.workbench.openBoardTabs.deleted(entry.path);
      this.workbench.notifications.success(`Deleted ${baseName(entry.path)}`);
    }
  }
}

/** A file's bytes as the editor would show them, or null when they are not UTF-8 text. */
function textOf(data: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return null;
  }
}
