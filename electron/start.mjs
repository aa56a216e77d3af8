#!/usr/bin/env node
// `npm start`: builds what is missing or stale, then starts the Electron app
// (getting its binary once when it is missing, see startDecision.mjs), and
// the web host (the same app in a browser) when it cannot be had. Plain
// JavaScript so it runs before anything is compiled.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chooseHost, fallbackLine } from './startDecision.mjs';

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

/** The Electron binary's path, or undefined where it was never downloaded (as on CI machines). */
function electronBinary() {
  try {
    // Electron's index reads path.txt, written by its installer: asked afresh after an install.
    delete require.cache[require.resolve('electron')];
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** A download of about 100 MB on a slow line; past this the installer is taken to hang (a firewall dropping packets). */
const INSTALL_TIMEOUT_MS = 15 * 60 * 1000;

/**
 * Electron's own installer (what `npm run setup:desktop` runs), on this
 * terminal: it draws its progress bar there (only on a terminal), and on
 * failure its message stays right above the fallback line.
 */
function installElectron() {
  return new Promise((resolve) => {
    let installer;
    try {
      installer = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
    } catch {
      resolve({ ok: false, reason: 'the electron package is not installed (run npm ci)' });
      return;
    }
    const child = spawn(process.execPath, [installer], { cwd: root, stdio: 'inherit' });
    const timer = setTimeout(() => {
      child.kill();
      resolve({ ok: false, reason: `Electron's installer did not finish within ${INSTALL_TIMEOUT_MS / 60000} minutes` });
    }, INSTALL_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: err.message });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? { ok: true } : { ok: false, reason: `Electron's installer stopped (${signal ?? `exit code ${code}`}; its message is above)` });
    });
  });
}

if (buildIsStale()) {
  console.log('Pinwheel: building (first start, or sources changed)...');
  // On Windows npm is npm.cmd, which Node 20.12+ refuses to spawn without a shell (EINVAL).
  const windows = process.platform === 'win32';
  const result = spawnSync(windows ? 'npm.cmd' : 'npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit', shell: windows });
  if (result.status !== 0) {
    console.error('Pinwheel: the build failed; see the messages above.');
    process.exit(result.status ?? 1);
  }
}

const choice = await chooseHost({ env: process.env, findBinary: electronBinary, installBinary: installElectron, log: (line) => console.log(line) });
if (choice.kind === 'desktop') {
  console.log('Pinwheel: starting the desktop app (Electron).');
  const child = spawn(choice.binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(fallbackLine(choice.reason));
  // Serve the same app to a browser. The host prints the URL.
  await import(pathToFileURL(path.join(root, 'dist/electron/host/main.js')).href);
}
