/**
 * The flasher process: runs one job the app sends (chip info, or a verified
 * write) with EspFlasher, reports every step, and exits. Started by
 * FlasherProcess; talks over the IPC channel only (FlasherJob in,
 * FlasherMessage out).
 */
import { FlasherCommand, FlasherJob, type FlasherMessage } from './flasherProtocol.js';
import { runFlasherJob } from './flasherJob.js';

const controller = new AbortController();

function send(message: FlasherMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, undefined, undefined, () => resolve()));
}

const run = (job: FlasherJob) => runFlasherJob(job, { send, signal: controller.signal });

process.on('message', (raw: unknown) => {
  const job = FlasherJob.safeParse(raw);
  if (job.success) {
    void run(job.data).finally(() => process.exit(0));
    return;
  }
  if (FlasherCommand.safeParse(raw).success) controller.abort();
});
// The app went away: nothing is left to report to.
process.on('disconnect', () => {
  controller.abort();
  setTimeout(() => process.exit(1), 2000).unref();
});
