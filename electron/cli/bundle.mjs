#!/usr/bin/env node
// `npm run build:cli`: bundles the CLI for a quick start. Loading its ~70
// compiled modules one by one cost each `pinwheel` call ~60 ms of Node's
// module loader; as one entry (the command table) plus one chunk per group
// of command bodies, loaded when that command runs, it costs a few.
// Packages stay outside (serialport's native binding must load from its own
// folder), and so does `vboard`: the virtual board finds its worker, prelude
// and WebAssembly next to its compiled files (import.meta.url), so the
// bundle imports it from tsc's output in dist/electron/ (build:main).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outdir = path.join(root, 'dist', 'cli');
const compiledVboard = path.join(root, 'dist', 'electron', 'cli', 'commands', 'vboard.js');

/** `./commands/vboard.js` (in commandTable.ts) resolves to tsc's compiled module instead of being bundled. */
const vboardFromTsc = {
  name: 'vboard-from-tsc',
  setup(b) {
    b.onResolve({ filter: /\/commands\/vboard\.js$/ }, () => ({
      path: './' + path.relative(outdir, compiledVboard).split(path.sep).join('/'),
      external: true,
    }));
  },
};

// Chunk names carry a hash: start empty, so no chunk of an earlier build lingers.
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [path.join(root, 'electron', 'cli', 'main.ts')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [vboardFromTsc],
  logLevel: 'warning',
});
