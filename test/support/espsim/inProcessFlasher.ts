/**
 * Runs the app's flasher jobs in the test's own process, where the ESP
 * simulators' reset lines can be reached (a pty carries no DTR/RTS; the
 * flasher process cannot drive them). Everything else is the same job code
 * the flasher process runs (flasherJob.ts).
 */
import { runFlasherJob } from '../../../electron/node/flash/flasherJob.js';
import type { FlasherServiceOptions } from '../../../electron/node/services/flash/FlasherService.js';
import type { EspSimulator } from './EspSimulator.js';

export function inProcessFlasher(sims: () => readonly EspSimulator[]): NonNullable<FlasherServiceOptions['run']> {
  return async (job, { signal, onMessage }) => {
    const sim = sims().find((s) => s.path === job.port);
    await runFlasherJob(job, {
      send: async (message) => onMessage(message),
      signal: signal ?? new AbortController().signal,
      ...(sim ? { lineControl: sim.lineControl } : {}),
    });
  };
}
