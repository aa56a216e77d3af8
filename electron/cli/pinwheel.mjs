#!/usr/bin/env node
// The `pinwheel` command (package.json "bin"). Runs the bundled CLI from dist/cli/
// (electron/cli/bundle.mjs); `npm ci` builds it (the prepare script).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = path.join(root, 'dist', 'cli', 'main.js');
if (!existsSync(entry)) {
  console.error('pinwheel: the CLI is not built yet. Run `npm run build` in ' + root);
  process.exit(1);
}
const { main } = await import(pathToFileURL(entry).href);
const code = await main(process.argv.slice(2));
// Serial ports and worker threads can keep the event loop alive after a command is done,
// so exit as soon as what was written to stdout and stderr is out (pipes are asynchronous
// on some systems, and process.exit() would cut them short).
const flushed = (stream) => new Promise((resolve) => stream.write('', resolve));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
