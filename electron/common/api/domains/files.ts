/**
 * Files on the connected board: listing, reading, writing, folders, disk
 * usage. The values are the engine's own types (files/BoardFiles.ts), checked
 * against these schemas at compile time.
 */
import { z } from 'zod';
import type { BoardFileEntry, BoardStat, DiskUsage, WriteResult } from '../../board/files/BoardFiles.js';
import { BoardPath, Bytes, Empty, JobId, call, type CallTable, type EventTable, type Mirrors, type SameType } from './schema.js';

export const BoardFileEntryDto = z.object({
  path: z.string(),
  name: z.string(),
  type: z.enum(['file', 'dir']),
  /** Bytes; -1 where the firmware cannot tell. */
  size: z.number(),
});
export type BoardFileEntryDto = BoardFileEntry;
export type BoardFileEntryIsTheEngines = Mirrors<SameType<z.infer<typeof BoardFileEntryDto>, BoardFileEntry>>;

export const BoardStatDto = z.object({ path: z.string(), type: z.enum(['file', 'dir']), size: z.number(), mtime: z.number() });
export type BoardStatDto = BoardStat;
export type BoardStatIsTheEngines = Mirrors<SameType<z.infer<typeof BoardStatDto>, BoardStat>>;

/** The engine's WriteResult, plus the board path it was written to. */
export const WriteResultDto = z.object({
  path: z.string(),
  skipped: z.boolean(),
  bytes: z.number(),
  encoding: z.enum(['stream', 'base64', 'repr', 'none']),
  wireBytes: z.number(),
  atomic: z.boolean(),
  hashVerified: z.boolean(),
});
export type WriteResultDto = WriteResult & { path: string };
export type WriteResultIsTheEngines = Mirrors<SameType<z.infer<typeof WriteResultDto>, WriteResultDto>>;

export const DiskUsageDto = z.object({ totalBytes: z.number(), usedBytes: z.number(), freeBytes: z.number() });
export type DiskUsageDto = DiskUsage;
export type DiskUsageIsTheEngines = Mirrors<SameType<z.infer<typeof DiskUsageDto>, DiskUsage>>;

export const fileCalls = {
  'files.list': call(z.object({ path: BoardPath, recursive: z.boolean().optional() }).strict(), z.array(BoardFileEntryDto)),
  'files.read': call(z.object({ path: BoardPath, jobId: JobId.optional() }).strict(), z.object({ data: Bytes })),
  'files.write': call(z.object({ path: BoardPath, data: Bytes, jobId: JobId.optional(), force: z.boolean().optional() }).strict(), WriteResultDto),
  'files.mkdir': call(z.object({ path: BoardPath }).strict(), Empty),
  'files.remove': call(z.object({ path: BoardPath, recursive: z.boolean().optional() }).strict(), Empty),
  'files.rename': call(z.object({ from: BoardPath, to: BoardPath }).strict(), Empty),
  'files.stat': call(z.object({ path: BoardPath }).strict(), BoardStatDto),
  'files.diskUsage': call(z.object({ path: BoardPath.optional() }).strict(), DiskUsageDto),
} as const satisfies CallTable;

export const fileEvents = {} as const satisfies EventTable;
