/**
 * Files on the connected board behind the API: each call runs in the engine's
 * raw REPL with progress as `job.progress`, and the status bar's storage
 * follows writes and deletions. Refused while a program started with Run is
 * running (the line is the program's).
 */
import type { BoardFileEntryDto, BoardStatDto, DiskUsageDto, WriteResultDto, fileCalls } from '../../../common/api/contract.js';
import type { HandlersFor } from '../../../common/api/dispatcher.js';
import { ApiError } from '../../../common/api/errors.js';
import type { BoardFiles, WriteOptions, WriteResult } from '../../../common/board/files/BoardFiles.js';
import { normalizeBoardPath } from '../../../common/board/boardPath.js';
import { errorMessage } from '../../../common/util/format.js';
import { JobProgress, type ProgressSink } from '../JobProgress.js';
import type { BoardConnectionService } from './BoardConnectionService.js';
import type { TerminalBatcher } from '../TerminalBatcher.js';
import type { BoardStatusStore } from './BoardStatusStore.js';
import type { Connection } from './Connection.js';
import type { ProgramRunner } from './ProgramRunner.js';

export interface BoardFilesServiceOptions {
  connections: BoardConnectionService;
  runner: ProgramRunner;
  status: BoardStatusStore;
  /** Where the service says that a file operation stops what runs in the REPL. */
  terminal?: TerminalBatcher;
  progress: ProgressSink;
  debug?: (message: string) => void;
}

export class BoardFilesService {
  constructor(private readonly options: BoardFilesServiceOptions) {}

  handlers(): HandlersFor<typeof fileCalls> {
    return {
      'files.list': (p, ctx) => this.list(p.path, p.recursive === true, ctx.signal),
      'files.read': async (p, ctx) => ({ data: await this.read(p.path, p.jobId, ctx.signal) }),
      'files.write': (p, ctx) => this.write(p.path, p.data, { jobId: p.jobId, force: p.force, signal: ctx.signal }),
      'files.mkdir': async (p, ctx) => {
        await this.withFiles(`creating ${p.path}`, (files) => files.mkdir(p.path, { signal: ctx.signal }), { refreshStorage: true });
        return {};
      },
      'files.remove': async (p, ctx) => {
        await this.withFiles(`deleting ${p.path}`, (files) => files.remove(p.path, { recursive: p.recursive === true, signal: ctx.signal }), { refreshStorage: true });
        return {};
      },
      'files.rename': async (p, ctx) => {
        await this.withFiles(`renaming ${p.from}`, (files) => files.rename(p.from, p.to, { signal: ctx.signal }));
        return {};
      },
      'files.stat': (p, ctx): Promise<BoardStatDto> => this.withFiles(`checking ${p.path}`, (files) => files.stat(p.path, { signal: ctx.signal })),
      'files.diskUsage': (p, ctx) => this.diskUsage(p.path, ctx.signal),
    };
  }

  /**
   * Runs a file operation on the connected board. With `refreshStorage`, a
   * disk-usage read is queued right behind it, so it runs in the same raw REPL
   * visit and the status bar's storage follows writes and deletions.
   */
  async withFiles<T>(what: string, fn: (files: BoardFiles) => Promise<T>, options: { refreshStorage?: boolean } = {}): Promise<T> {
    return this.withBoard(what, (conn) => fn(conn.files), options);
  }

  /** withFiles for work that needs the session too (package installs ask the board what it runs). */
  async withBoard<T>(what: string, fn: (conn: Connection) => Promise<T>, options: { refreshStorage?: boolean } = {}): Promise<T> {
    const conn = this.options.connections.requireConnected();
    if (this.options.runner.running) throw new ApiError('BUSY', `A program is running on the board. Stop it before ${what}.`);
    // The engine interrupts a main.py or a typed statement to reach the raw REPL: say so before it happens.
    if (conn.replActivity.isRunning) this.options.terminal?.pushNote(`Stopping the program running on the board: Pinwheel needs the board for ${what}.`);
    const work = fn(conn);
    const refreshed = options.refreshStorage ? this.queueStorageRefresh(conn) : undefined;
    try {
      return await work;
    } finally {
      await refreshed;
    }
  }

  /** Queues a disk-usage read and puts the answer into the status; never fails. */
  queueStorageRefresh(conn: Connection | undefined = this.options.connections.current): Promise<void> {
    if (!conn?.usable) return Promise.resolve();
    return conn.files.diskUsage('/').then(
      (storage) => {
        if (this.options.connections.current === conn) this.options.status.patch({ storage });
      },
      (err: unknown) => this.options.debug?.(`storage refresh failed: ${errorMessage(err)}`),
    );
  }

  async list(path: string, recursive: boolean, signal?: AbortSignal): Promise<BoardFileEntryDto[]> {
    return this.withFiles('listing files', (files) => files.list(path, { recursive, signal }));
  }

  async read(path: string, jobId: string | undefined, signal?: AbortSignal): Promise<Uint8Array> {
    const progress = this.progress(jobId, `Reading ${path}`);
    try {
      const data = await this.withFiles(`reading ${path}`, (files) => files.read(path, { signal, onProgress: (d, t) => progress.report(d, t) }));
      progress.finish(data.length, data.length);
      return data;
    } catch (err) {
      progress.finish();
      throw err;
    }
  }

  async write(path: string, data: Uint8Array, options: { jobId?: string | undefined; force?: boolean | undefined; signal?: AbortSignal | undefined }): Promise<WriteResultDto> {
    const progress = this.progress(options.jobId, `Writing ${path}`);
    const writeOptions: WriteOptions = { signal: options.signal, skipIfSame: !options.force, onProgress: (d, t) => progress.report(d, t) };
    try {
      const result = await this.withFiles(`writing ${path}`, (files) => files.write(path, data, writeOptions), { refreshStorage: true });
      progress.finish(data.length, data.length);
      return toWriteResultDto(normalizeBoardPath(path), result);
    } catch (err) {
      progress.finish();
      throw err;
    }
  }

  async diskUsage(path: string | undefined, signal?: AbortSignal): Promise<DiskUsageDto> {
    const usage = await this.withFiles('reading disk usage', (files) => files.diskUsage(path ?? '/', { signal }));
    if ((path ?? '/') === '/') this.options.status.patch({ storage: usage });
    return usage;
  }

  private progress(jobId: string | undefined, label: string): JobProgress {
    return new JobProgress(this.options.progress, jobId, label);
  }
}

export function toWriteResultDto(path: string, result: WriteResult): WriteResultDto {
  return {
    path,
    skipped: result.skipped,
    bytes: result.bytes,
    encoding: result.encoding,
    wireBytes: result.wireBytes,
    atomic: result.atomic,
    hashVerified: result.hashVerified,
  };
}
