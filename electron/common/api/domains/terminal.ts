/** The board's REPL in the terminal: keystrokes and pastes in, board output out. */
import { z } from 'zod';
import { Empty, call, type CallTable, type EventTable } from './schema.js';

export const terminalCalls = {
  /** Keystrokes for the board's REPL. */
  'terminal.write': call(z.object({ data: z.string().max(64 * 1024) }).strict(), Empty),
  /** Pasted text for the board's REPL; several lines run as one block (paste mode). */
  'terminal.paste': call(z.object({ text: z.string().max(4 * 1024 * 1024) }).strict(), Empty),
} as const satisfies CallTable;

export const terminalEvents = {
  /** Board output for the terminal, batched (about every 16 ms, bounded in size). */
  'terminal.data': z.object({ data: z.string() }),
} as const satisfies EventTable;
