/**
 * Starting worker threads from compiled code and from sources alike. In
 * production the entry is the compiled .js beside its caller; under Vitest or
 * tsx the callers are .ts sources, and the worker runs the .ts entry with
 * tsx's loader registered first (Node 20 ignores `--import tsx` in a worker's
 * execArgv for the worker's own entry).
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** `entry`: `new URL('./x.js', import.meta.url)` of the caller (the layer check finds worker entries by that shape). */
export function startWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!FROM_SOURCE) return new Worker(entry, options);
  const source = entry.href.replace(/\.js$/, '.ts');
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
