/**
 * What `npm test` does before Vitest: every layer's type check and the build,
 * in two lanes side by side (the machines we test on have 2 cores; one after
 * the other this took over a minute of the 15-minute budget). Each step is an
 * npm script; the first failure stops both lanes and shows its output.
 */
import { spawn } from 'node:child_process';

const LANES = [
  ['typecheck:common', 'typecheck:renderer', 'build:main', 'build:cli', 'build:preload'],
  ['typecheck:test', 'build:renderer'],
];

const running = new Set();
let failed = false;

function run(script) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code, signal) => {
      running.delete(child);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (code === 0) process.stdout.write(`prepare: ${script} (${seconds} s)\n`);
      else if (!failed || signal === null) process.stdout.write(`prepare: ${script} FAILED (${signal ?? `exit ${code}`})\n${output}`);
      resolve(code === 0);
    });
  });
}

await Promise.all(
  LANES.map(async (lane) => {
    for (const script of lane) {
      if (failed) return;
      if (!(await run(script))) {
        failed = true;
        for (const child of running) child.kill('SIGTERM');
      }
    }
  }),
);
process.exit(failed ? 1 : 0);
