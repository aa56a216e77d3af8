/**
 * MicroPython packages on the connected board, installed the way `mip` does
 * but fetched by the host (see common/packages). What is installed is the
 * board's `/lib` (`files.list`); this domain only installs.
 */
import { z } from 'zod';
import { BoardPath, JobId, call, type CallTable, type EventTable } from './schema.js';

export const InstalledPackageDto = z.object({
  name: z.string(),
  version: z.string().optional(),
  compiled: z.boolean(),
  deps: z.array(z.string()),
  /** Files it put on the board. */
  files: z.number(),
});
export type InstalledPackageDto = z.infer<typeof InstalledPackageDto>;

export const PackageInstallResultDto = z.object({
  target: z.string(),
  packages: z.array(InstalledPackageDto),
  /** Board paths written. */
  written: z.array(z.string()),
  bytes: z.number(),
  /** What the person should know: source files where the index had no compiled ones, cached copies used offline. */
  notes: z.array(z.string()),
});
export type PackageInstallResultDto = z.infer<typeof PackageInstallResultDto>;

export const packageCalls = {
  /**
   * Installs packages and their dependencies: index names (`umqtt.simple`,
   * `name@version`), `github:ORG/REPO[/PATH][@REF]`, `gitlab:...` or http(s)
   * URLs. `index` is the package index's base URL (micropython-lib's when not
   * given). Progress as `job.progress` when a `jobId` is given.
   */
  'packages.install': call(
    z
      .object({
        specs: z.array(z.string().trim().min(1).max(1000)).min(1).max(32),
        index: z.string().url().max(2000).optional(),
        target: BoardPath.optional(),
        compiled: z.boolean().optional(),
        jobId: JobId.optional(),
      })
      .strict(),
    PackageInstallResultDto,
  ),
} as const satisfies CallTable;

export const packageEvents = {} as const satisfies EventTable;
