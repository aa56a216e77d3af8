/** The application itself: which host serves it and what version it is. */
import { z } from 'zod';
import { NoParams, call, type CallTable, type EventTable } from './schema.js';

export const HostKind = z.enum(['electron', 'web']);
export type HostKind = z.infer<typeof HostKind>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  host: HostKind,
  platform: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appCalls = {
  'app.info': call(NoParams, AppInfo),
} as const satisfies CallTable;

export const appEvents = {} as const satisfies EventTable;
