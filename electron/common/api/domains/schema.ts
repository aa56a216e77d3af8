/**
 * Building blocks every domain contract uses: the call helper and the schemas
 * of values that cross the API in several domains.
 */
import { z } from 'zod';

/** One API call: the schema its parameters must match and the schema of its result. */
export function call<P extends z.ZodType, R extends z.ZodType>(params: P, result: R) {
  return { params, result };
}

/** A table of calls, as each domain declares it. */
export type CallTable = Record<string, { params: z.ZodType; result: z.ZodType }>;
/** A table of events: event name -> payload schema. */
export type EventTable = Record<string, z.ZodType>;

export const NoParams = z.object({}).strict();
export const Empty = z.object({});

/** A path on the board: `/`-separated, absolute; NUL would truncate it on the board. */
export const BoardPath = z.string().min(1).max(1024).refine((p) => !p.includes('\0'), 'a path cannot contain NUL');
/** A path relative to the open workspace folder; the workspace service keeps it inside the folder. */
export const WorkspacePath = z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'a path cannot contain NUL');

/** Largest file content one call carries (a board's flash holds a few MB at most). */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;
/**
 * Raw bytes. They cross Electron IPC as they are (structured clone) and the
 * web host's WebSocket as a binary frame (wireFrames.ts), never as base64.
 */
export const Bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array && v.length <= MAX_FILE_BYTES, `expected bytes (at most ${MAX_FILE_BYTES})`);

/** A client-chosen id that ties `job.progress` events to the call that started the work. */
export const JobId = z.string().min(1).max(100);

/** True when A and B are the same type (each assignable to the other), else false. */
export type SameType<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * Compile-time proof that a schema describes exactly an engine type:
 * `export type XIsTheEngines = Mirrors<SameType<z.infer<typeof XDto>, EngineX>>`
 * fails to compile when either side gains or changes a field, so the engine's
 * types are defined once and the API cannot drift from them.
 */
export type Mirrors<Same extends true> = Same;
