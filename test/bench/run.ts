/**
 * `npm run bench`: runs every benchmark in this folder in turn, each in its own
 * process (a benchmark owns its exit code and its virtual boards), and exits
 * non-zero if any benchmark missed a target or failed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const self = path.basename(fileURLToPath(import.meta.url));
const benchmarks = fs
  .readdirSync(here)
  .filter((name) => name.endsWith('.ts') && name !== self && !name.endsWith('.d.ts'))
  .sort();

const failed: string[] = [];
for (const name of benchmarks) {
  process.stdout.write(`\n=== ${name} ===\n`);
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, name)], { stdio: 'inherit' });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const ok = r.status === 0;
  if (!ok) failed.push(name);
  process.stdout.write(`=== ${name}: ${ok ? 'PASS' : `FAIL (exit ${r.status ?? r.signal})`} in ${seconds} s ===\n`);
}
process.stdout.write(`\n${benchmarks.length - failed.length} of ${benchmarks.length} benchmarks passed${failed.length ? `; failed: ${failed.join(', ')}` : ''}\n`);
process.exit(failed.length ? 1 : 0);
