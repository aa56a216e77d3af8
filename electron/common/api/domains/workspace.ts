/** The local project folder on the computer that runs the host, and sending it to the board. */
import { z } from 'zod';
import { BoardPath, Bytes, Empty, JobId, NoParams, WorkspacePath, call, type CallTable, type EventTable } from './schema.js';
import { WriteResultDto } from './files.js';

export const WorkspaceInfo = z.object({ root: z.string(), name: z.string() });
export type WorkspaceInfo = z.infer<typeof WorkspaceInfo>;

export const WorkspaceEntry = z.object({
  /** Relative to the workspace root, `/`-separated. */
  path: z.string(),
  name: z.string(),
  type: z.enum(['file', 'dir']),
  size: z.number(),
  mtimeMs: z.number(),
});
export type WorkspaceEntry = z.infer<typeof WorkspaceEntry>;

export const FolderListing = z.object({
  path: z.string(),
  parent: z.string().optional(),
  dirs: z.array(z.string()),
});
export type FolderListing = z.infer<typeof FolderListing>;

export const SyncResult = z.object({
  uploaded: z.number(),
  skipped: z.number(),
  results: z.array(WriteResultDto),
});
export type SyncResult = z.infer<typeof SyncResult>;

export const workspaceCalls = {
  'workspace.open': call(z.object({ path: z.string().min(1).max(4096) }).strict(), WorkspaceInfo),
  'workspace.current': call(NoParams, WorkspaceInfo.nullable()),
  /** Folders under `path` (default: the user's home), for the in-app folder picker. */
  'workspace.browse': call(z.object({ path: z.string().max(4096).optional() }).strict(), FolderListing),
  'workspace.list': call(NoParams, z.array(WorkspaceEntry)),
  'workspace.readFile': call(z.object({ path: WorkspacePath }).strict(), z.object({ data: Bytes })),
  'workspace.writeFile': call(z.object({ path: WorkspacePath, data: Bytes }).strict(), Empty),
  'workspace.uploadToBoard': call(
    z.object({ paths: z.array(WorkspacePath).min(1).max(10_000), remoteRoot: BoardPath, jobId: JobId.optional() }).strict(),
    SyncResult,
  ),
  /** Uploads every workspace file whose content differs on the board (the engine's hash check skips the rest). */
  'workspace.syncToBoard': call(z.object({ remoteRoot: BoardPath, jobId: JobId.optional() }).strict(), SyncResult),
} as const satisfies CallTable;

export const workspaceEvents = {} as const satisfies EventTable;
