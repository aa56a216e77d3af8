/**
 * `packages.install` and the new-device wizard's `device.setup` behind the
 * API: the engine's installer (common/packages) on the connected board,
 * downloads through the host's PackageFetcher (its cache lives in the app's
 * data folder), progress as `job.progress`.
 */
import type { deviceCalls, DeviceSetupDto, packageCalls, PackageInstallResultDto } from '../../../common/api/contract.js';
import type { HandlersFor } from '../../../common/api/dispatcher.js';
import { ApiError, type ApiErrorCode } from '../../../common/api/errors.js';
import { installPackages, type InstallOptions } from '../../../common/packages/installOnBoard.js';
import type { DeviceAnswers } from '../../../common/templates/deviceTemplates.js';
import { setUpDevice } from '../../../common/templates/setUpDevice.js';
import { DEFAULT_PACKAGE_INDEX } from '../../../common/packages/packageSpec.js';
import { isPackageError, type PackageErrorCode } from '../../../common/packages/PackageError.js';
import { PackageFetcher } from '../../packages/PackageFetcher.js';
import type { BoardFilesService } from '../board/BoardFilesService.js';
import type { Connection } from '../board/Connection.js';
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

  handlers(): HandlersFor<typeof packageCalls & typeof deviceCalls> {
    return {
      'packages.install': (p, ctx) => this.install(p.specs, { index: p.index, target: p.target, compiled: p.compiled, jobId: p.jobId, signal: ctx.signal }),
      'device.setup': (p, ctx) => this.setUpDevice(p.answers, { index: p.index, jobId: p.jobId, signal: ctx.signal }),
    };
  }

  async setUpDevice(answers: DeviceAnswers, options: { index?: string | undefined; jobId?: string | undefined; signal?: AbortSignal | undefined }): Promise<DeviceSetupDto> {
    return this.withInstaller('setting up the device', `Setting up ${answers.template}`, options, async (conn, install, notes) => {
      let setup;
      try {
        setup = await setUpDevice(answers, conn.session, conn.files, install);
      } catch (err) {
        // deviceFiles refuses answers the schema lets through (an empty prefix, no Wi-Fi for a network template).
        if (err instanceof Error && !isPackageError(err) && err.name === 'Error') throw new ApiError('BAD_REQUEST', err.message);
        throw err;
      }
      return {
        written: setup.written,
        packages: setup.packages.map((p) => ({ name: p.name, ...(p.version !== undefined ? { version: p.version } : {}), compiled: p.compiled, deps: p.deps })),
        topics: setup.topics,
        notes: [...setup.notes, ...notes()],
      };
    });
  }

  async install(
    specs: string[],
    options: { index?: string | undefined; target?: string | undefined; compiled?: boolean | undefined; jobId?: string | undefined; signal?: AbortSignal | undefined },
  ): Promise<PackageInstallResultDto> {
    return this.withInstaller('installing packages', `Installing ${specs.join(', ')}`, options, async (conn, install, notes) => {
      const result = await installPackages(specs, conn.session, conn.files, {
        ...install,
        ...(options.target !== undefined ? { target: options.target } : {}),
        compiled: options.compiled !== false,
      });
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
        notes: [...result.plan.notes, ...notes()],
      };
    });
  }

  /** Runs installer work on the connected board: a fetcher per call, progress as a job, installer errors as API errors. */
  private async withInstaller<T>(
    what: string,
    label: string,
    options: { index?: string | undefined; jobId?: string | undefined; signal?: AbortSignal | undefined },
    work: (conn: Connection, install: InstallOptions, notes: () => string[]) => Promise<T>,
  ): Promise<T> {
    const progress = new JobProgress(this.options.progress, options.jobId, label);
    const fetcher = new PackageFetcher({ cacheDir: this.options.cacheDir, ...(options.signal ? { signal: options.signal } : {}) });
    const install: InstallOptions = {
      index: options.index ?? this.options.defaultIndex ?? DEFAULT_PACKAGE_INDEX,
      fetchJson: (url) => fetcher.json(url),
      fetchBytes: (url) => fetcher.bytes(url),
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (p) => {
        progress.setLabel(p.phase === 'resolving' ? 'Reading the package index' : p.phase === 'downloading' ? 'Downloading' : p.phase === 'writing' ? 'Writing to the board' : 'Installed');
        progress.report(p.done, p.total);
      },
    };
    try {
      const result = await this.options.files.withBoard(what, (conn) => work(conn, install, () => fetcher.notes), { refreshStorage: true });
      progress.finish();
      return result;
    } catch (err) {
      progress.finish();
      if (isPackageError(err)) throw new ApiError(API_CODE[err.code], err.message);
      throw err;
    }
  }
}
