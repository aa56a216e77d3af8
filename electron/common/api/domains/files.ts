/** Files on the connected board: listing, reading, writing, folders, disk usage. */
import { z } from 'zod';
import { Base64, BoardPath, Empty, JobId, call, type CallTable, type EventTable } from './schema.js';

export const BoardFileEntryDto = z.object({
  path: z.string(),
  name: z.string(),
  type: z.enum(['file', 'dir']),
  /** Bytes; -1 where the firmware cannot tell. */
  size: z.number(),
});
export type BoardFileEntryDto = z.infer<typeof BoardFileEntryDto>;

export const BoardStatDto = z.object({ path: z.string(), type: z.enum(['file', 'dir']), size: z.number(), mtime: z.number() });
export type BoardStatDto = z.infer<typeof BoardStatDto>;

export const WriteResultDto = z.object({
  path: z.string(),
  skipped: z.boolean(),
  bytes: z.number(),
  encoding: z.string(),
  wireBytes: z.number(),
  atomic: z.boolean(),
  hashVerified: z.boolean(),
});
export type WriteResultDto = z.infer<typeof WriteResultDto>;

const DiskUsage = z.object({ totalBytes: z.number(), usedBytes: z.number(), freeBytes: z.number() });

export const fileCalls = {
  'files.list': call(z.object({ path: BoardPath, recursive: z.boolean().optional() }).strict(), z.array(BoardFileEntryDto)),
  'files.read': call(z.object({ path: BoardPath, jobId: JobId.optional() }).strict(), z.object({ base64: Base64, size: z.number() })),
  'files.write': call(z.object({ path: BoardPath, base64: Base64, jobId: JobId.optional(), force: z.boolean().optional() }).strict(), WriteResultDto),
  'files.mkdir': call(z.object({ path: BoardPath }).strict(), Empty),
  'files.remove': call(z.object({ path: BoardPath, recursive: z.boolean().optional() }).strict(), Empty),
  'files.rename': call(z.object({ from: BoardPath, to: BoardPath }).strict(), Empty),
  'files.stat': call(z.object({ path: BoardPath }).strict(), BoardStatDto),
  'files.diskUsage': call(z.object({ path: BoardPath.optional() }).strict(), DiskUsage),
} as const satisfies CallTable;

export const fileEvents = {} as const satisfies EventTable;
