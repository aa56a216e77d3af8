/** Progress of long work (transfers, syncs) that any domain starts with a client-chosen job id. */
import { z } from 'zod';
import { JobId, type CallTable, type EventTable } from './schema.js';

export const JobProgressEvent = z.object({ jobId: JobId, label: z.string(), done: z.number(), total: z.number() });
export type JobProgressEvent = z.infer<typeof JobProgressEvent>;

export const jobCalls = {} as const satisfies CallTable;

export const jobEvents = {
  'job.progress': JobProgressEvent,
} as const satisfies EventTable;
