#!/usr/bin/env node
// The `pinwheel` command (package.json "bin"). Runs the compiled CLI from dist/;
// `npm ci` builds it (the prepare script).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = path.join(root, 'dist', 'electron', 'cli', 'main.js');
if (!existsSync(entry)) {
  console.error('pinwheel: the CLI is not built yet. Run `npm run build` in ' + root);
  process.exit(1);
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
// Serial ports and workers can keep the event loop alive after a command is done.
setTimeout(() => process.exit(process.exitCode), 50).unref();
