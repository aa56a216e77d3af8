#!/usr/bin/env node
// `npm start`: builds what is missing or stale, then starts the Electron app
// when its binary is installed, and the web host (the same app in a browser)
// otherwise. Plain JavaScript so it runs before anything is compiled.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const outputs = ['dist/electron/host/main.js', 'dist/electron/main.js', 'dist/electron/preload.cjs', 'dist/renderer/index.html'];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function buildIsStale() {
  const paths = outputs.map((p) => path.join(root, p));
  if (!paths.every(existsSync)) return true;
  const built = Math.min(...paths.map((p) => statSync(p).mtimeMs));
  return ['electron', 'renderer'].some((d) => newestMtime(path.join(root, d)) > built);
}

/** The Electron binary's path, or undefined where `npm ci` could not download it (as on CI machines). */
function electronBinary() {
  try {
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

if (buildIsStale()) {
  console.log('Pinwheel: building (first start, or sources changed)...');
  const result = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('Pinwheel: the build failed; see the messages above.');
    process.exit(result.status ?? 1);
  }
}

const binary = process.env.PINWHEEL_WEB === '1' ? undefined : electronBinary();
if (binary) {
  console.log('Pinwheel: starting the desktop app (Electron).');
  const child = spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  // No Electron binary: serve the same app to a browser. The host prints the URL.
  await import(pathToFileURL(path.join(root, 'dist/electron/host/main.js')).href);
}
