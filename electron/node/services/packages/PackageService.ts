/**
 * `packages.install` behind the API: the engine's installer (common/packages)
 * on the connected board, downloads through the host's PackageFetcher (its
 * cache lives in the app's data folder), progress as `job.progress`.
 */
import type { packageCalls, PackageInstallResultDto } from '../../../common/api/contract.js';
import type { HandlersFor } from '../../../common/api/dispatcher.js';
import { ApiError, type ApiErrorCode } from '../../../common/api/errors.js';
import { installPackages } from '../../../common/packages/installOnBoard.js';
import { DEFAULT_PACKAGE_INDEX } from '../../../common/packages/packageSpec.js';
import { isPackageError, type PackageErrorCode } from '../../../common/packages/PackageError.js';
import { PackageFetcher } from '../../packages/PackageFetcher.js';
import type { BoardFilesService } from '../board/BoardFilesService.js';
import { JobProgress, type ProgressSink } from '../JobProgress.js';

/** How each installer error reads on the API (the renderer branches on these, the message says the rest). */
const API_CODE: Record<PackageErrorCode, ApiErrorCode> = {
  BAD_SPEC: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  BAD_PACKAGE: 'BAD_REQUEST',
  DOWNLOAD_FAILED: 'INTERNAL',
  TIMEOUT: 'TIMEOUT',
  NO_SPACE: 'BAD_REQUEST',
  CANCELLED: 'CANCELLED',
};

export interface PackageServiceOptions {
  files: BoardFilesService;
  progress: ProgressSink;
  /** Where downloads are kept. */
  cacheDir: string;
  /** The index used when a call names none (PINWHEEL_PACKAGE_INDEX, else micropython-lib's). */
  defaultIndex?: string;
}

export class PackageService {
  constructor(private readonly options: PackageServiceOptions) {}

  handlers(): HandlersFor<typeof packageCalls> {
    return {
      'packages.install': (p, ctx) => this.install(p.specs, { index: p.index, target: p.target, compiled: p.compiled, jobId: p.jobId, signal: ctx.signal }),
    };
  }

  async install(
    specs: string[],
    options: { index?: string | undefined; target?: string | undefined; compiled?: boolean | undefined; jobId?: string | undefined; signal?: AbortSignal | undefined },
  ): Promise<PackageInstallResultDto> {
    const progress = new JobProgress(this.options.progress, options.jobId, `Installing ${specs.join(', ')}`);
    const fetcher = new PackageFetcher({ cacheDir: this.options.cacheDir, ...(options.signal ? { signal: options.signal } : {}) });
    try {
      const result = await this.options.files.withBoard(
        'installing packages',
        (conn) =>
          installPackages(specs, conn.session, conn.files, {
            index: options.index ?? this.options.defaultIndex ?? DEFAULT_PACKAGE_INDEX,
            ...(options.target !== undefined ? { target: options.target } : {}),
            compiled: options.compiled !== false,
            fetchJson: (url) => fetcher.json(url),
            fetchBytes: (url) => fetcher.bytes(url),
            ...(options.signal ? { signal: options.signal } : {}),
            onProgress: (p) => {
              progress.setLabel(p.phase === 'resolving' ? 'Reading the package index' : p.phase === 'downloading' ? 'Downloading' : p.phase === 'writing' ? 'Writing to the board' : 'Installed');
              progress.report(p.done, p.total);
            },
          }),
        { refreshStorage: true },
      );
      progress.finish();
      return {
        target: result.target,
        packages: result.plan.packages.map((p) => ({
          name: p.name,
          ...(p.version !== undefined ? { version: p.version } : {}),
          compiled: p.compiled,
          deps: p.deps,
          files: result.plan.files.filter((f) => f.packageName === p.name).length,
        })),
        written: result.written,
        bytes: result.bytes,
        notes: [...result.plan.notes, ...fetcher.notes],
      };
    } catch (err) {
      progress.finish();
      if (isPackageError(err)) throw new ApiError(API_CODE[err.code], err.message);
      throw err;
    }
  }
}
