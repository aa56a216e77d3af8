/**
 * Sending project files to the board: chosen files and folders, or the whole
 * project ("Sync"), keeping their paths relative to the project folder. Files
 * whose sha256 already matches on the board are skipped by the engine; hidden
 * files and never-walked folders stay on the computer (localFiles.ts).
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SyncResult, WriteResultDto } from '../../../common/api/contract.js';
import { ApiError } from '../../../common/api/errors.js';
import { boardDirname, joinBoardPath, normalizeBoardPath } from '../../../common/board/boardPath.js';
import { staysOffBoard } from '../../../common/workspace/localFiles.js';
import { toWriteResultDto, type BoardFilesService } from '../board/BoardFilesService.js';
import { JobProgress, type ProgressSink } from '../JobProgress.js';
import { fsError, type WorkspaceFolder } from './WorkspaceFolder.js';

interface UploadItem {
  local: string;
  board: string;
  size: number;
}

export interface ProjectUploadOptions {
  folder: WorkspaceFolder;
  board: BoardFilesService;
  progress: ProgressSink;
}

export class ProjectUpload {
  constructor(private readonly options: ProjectUploadOptions) {}

  private get folder(): WorkspaceFolder {
    return this.options.folder;
  }

  /**
   * Copies files (and folders, with what is in them) to `remoteRoot` on the
   * board, keeping their paths relative to the project folder. Files whose
   * sha256 already matches on the board are skipped by the engine.
   */
  async uploadToBoard(paths: string[], remoteRoot: string, jobId?: string, signal?: AbortSignal): Promise<SyncResult> {
    const root = this.folder.requireRoot();
    const items = new Map<string, UploadItem>();
    for (const relative of paths) {
      const local = await this.folder.resolveInside(relative);
      let info;
      try {
        info = await stat(local);
      } catch (err) {
        throw fsError(err, relative, 'file');
      }
      if (info.isDirectory()) {
        for (const entry of await this.folder.walk(root, local, Number.POSITIVE_INFINITY)) {
          if (entry.type === 'file') this.addItem(items, root, path.join(root, ...entry.path.split('/')), remoteRoot, entry.size);
        }
      } else if (info.isFile()) {
        this.addItem(items, root, local, remoteRoot, info.size);
      }
    }
    return this.upload([...items.values()], jobId, signal);
  }

  /**
   * Uploads every project file; those unchanged on the board are skipped by
   * the engine's sha256 check. Hidden files and folders (.vscode, .env ...)
   * are tool settings or secrets that have no business on a board: left out.
   */
  async syncToBoard(remoteRoot: string, jobId?: string, signal?: AbortSignal): Promise<SyncResult> {
    const root = this.folder.requireRoot();
    const items = new Map<string, UploadItem>();
    for (const entry of await this.folder.walk(root, root, Number.POSITIVE_INFINITY)) {
      if (staysOffBoard(entry.path)) continue;
      if (entry.type === 'file') this.addItem(items, root, path.join(root, ...entry.path.split('/')), remoteRoot, entry.size);
    }
    return this.upload([...items.values()], jobId, signal);
  }

  private addItem(items: Map<string, UploadItem>, root: string, local: string, remoteRoot: string, size: number): void {
    const rel = path.relative(root, local).split(path.sep).join('/');
    const board = joinBoardPath(normalizeBoardPath(remoteRoot) || '/', rel);
    items.set(board, { local, board, size });
  }

  /**
   * Writes the files one after another. The next file is queued with the
   * engine before the current one finishes, so the raw REPL stays entered
   * between files instead of being left and re-entered (with the interrupt
   * ladder and a banner in the terminal) for each one.
   */
  private async upload(items: UploadItem[], jobId: string | undefined, outer: AbortSignal | undefined): Promise<SyncResult> {
    const totalBytes = items.reduce((n, i) => n + i.size, 0);
    const progress = new JobProgress(this.options.progress, jobId, `Uploading ${items.length} file${items.length === 1 ? '' : 's'}`);
    const results: WriteResultDto[] = [];
    if (items.length === 0) {
      progress.finish(0, 0);
      return { uploaded: 0, skipped: 0, results };
    }
    // Stops files already queued behind one that failed.
    const stopper = new AbortController();
    const signal = outer ? AbortSignal.any([outer, stopper.signal]) : stopper.signal;
    let doneBytes = 0;
    try {
      await this.options.board.withFiles('uploading files', async (files) => {
        const folders = minimalFolders(items.map((i) => boardDirname(i.board)));
        let previous: Promise<unknown> | undefined;
        const queue = (work: Promise<unknown>) => {
          work.catch(() => stopper.abort(new ApiError('CANCELLED', 'An earlier file failed.')));
          return work;
        };
        for (const folder of folders) {
          const made = queue(files.mkdir(folder, { signal }));
          if (previous) await previous;
          previous = made;
        }
        for (const [index, item] of items.entries()) {
          signal.throwIfAborted();
          let data: Uint8Array;
          try {
            data = new Uint8Array(await readFile(item.local));
          } catch (err) {
            throw fsError(err, path.relative(this.folder.requireRoot(), item.local), 'file');
          }
          const label = `Uploading ${path.basename(item.local)} (${index + 1}/${items.length})`;
          const written = queue(
            files
              .write(item.board, data, {
                signal,
                skipIfSame: true,
                onProgress: (done) => {
                  progress.setLabel(label);
                  progress.report(doneBytes + done, totalBytes);
                },
              })
              .then((result) => {
                doneBytes += item.size;
                results.push(toWriteResultDto(item.board, result));
              }),
          );
          if (previous) await previous;
          previous = written;
        }
        // Queued behind the last write: the storage bar follows without another raw REPL visit.
        const refreshed = this.options.board.queueStorageRefresh();
        await previous;
        await refreshed;
      });
    } catch (err) {
      progress.finish();
      stopper.abort(err);
      throw err;
    }
    progress.finish(totalBytes, totalBytes);
    const skipped = results.filter((r) => r.skipped).length;
    return { uploaded: results.length - skipped, skipped, results };
  }
}

/** The deepest folders only: mkdir -p of `/lib/a/b` also makes `/lib` and `/lib/a`. */
function minimalFolders(dirs: string[]): string[] {
  const unique = [...new Set(dirs.filter((d) => d !== '' && d !== '/'))].sort();
  return unique.filter((d) => !unique.some((other) => other !== d && other.startsWith(d + '/')));
}

