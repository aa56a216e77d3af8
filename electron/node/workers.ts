/**
 * Starting worker threads from compiled code and from sources alike. In
 * production the entry is the compiled .js beside its caller; under Vitest or
 * tsx the callers are .ts sources, and the worker runs the .ts entry with
 * tsx's loader registered first (Node 20 ignores `--import tsx` in a worker's
 * execArgv for the worker's own entry).
 */
import os from 'node:os';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { outsideAsarUrl } from './packagedPaths.js';

/** Nice 10: a tenth of a normal thread's share when both want the CPU, and all of it when nothing else does. */
export const BULK_WORK_NICE = 10;

const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** `entry`: `new URL('./x.js', import.meta.url)` of the caller (the layer check finds worker entries by that shape). */
export function startWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!FROM_SOURCE) return new Worker(outsideAsarUrl(entry), options);
  const source = entry.href.replace(/\.js$/, '.ts');
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/**
 * Below-normal priority for the calling thread, for threads doing bulk work
 * (the broker, the MQTT models) so that on a saturated machine the window
 * is served first. Linux only: there a nice value belongs to one thread,
 * while on macOS and Windows the same call would lower the whole app.
 */
export function lowerThreadPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    os.setPriority(0, BULK_WORK_NICE);
  } catch {
    // Not allowed here (a sandbox): the thread runs at the normal priority.
  }
}
