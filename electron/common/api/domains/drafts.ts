/** Editor buffers the host keeps, so unsaved work survives a restart or a crash. */
import { z } from 'zod';
import { Empty, NoParams, call, type CallTable, type EventTable } from './schema.js';

/**
 * The board a file was read from or last saved to, as `board.status` named its
 * port then: tabs of two boards with the same path are told apart by it.
 */
export const BoardIdentity = z.object({
  /** The port path (`/dev/ttyUSB0`, `COM3`, `virtual:board`): what identifies the board. */
  path: z.string().min(1).max(4096),
  /** The port's friendly name at the time, for showing; never compared. */
  name: z.string().max(1024),
});
export type BoardIdentity = z.infer<typeof BoardIdentity>;

export const Draft = z.object({
  id: z.string().max(200),
  title: z.string().max(1024),
  source: z.object({
    kind: z.enum(['board', 'local', 'untitled']),
    path: z.string().max(4096).optional(),
    // Optional: drafts kept before tabs knew their board load without one (and save to the connected board).
    board: BoardIdentity.optional(),
  }),
  content: z.string().max(8 * 1024 * 1024),
  /** What the file held when it was opened or last saved; the buffer is dirty when content differs. */
  savedContent: z.string().max(8 * 1024 * 1024).optional(),
});
export type Draft = z.infer<typeof Draft>;

export const draftCalls = {
  'drafts.load': call(NoParams, z.array(Draft)),
  'drafts.save': call(z.object({ drafts: z.array(Draft).max(200) }).strict(), Empty),
} as const satisfies CallTable;

export const draftEvents = {} as const satisfies EventTable;
