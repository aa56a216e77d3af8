/**
 * Where things are on disk, worked out from this file's location so the same
 * code runs from the TypeScript sources (tests), from dist/ (web host, CLI)
 * and from inside an Electron asar.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        if ((JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'pinwheel') return dir;
      } catch {
        // An unreadable package.json on the way up is not ours; keep climbing.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Cannot find the Pinwheel package root above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export const PROJECT_ROOT = findProjectRoot();

export const APP_VERSION: string = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** The built renderer (vite build output). */
export const RENDERER_DIR = path.join(PROJECT_ROOT, 'dist', 'renderer');

/** Per-user data: open buffers, the virtual board's flash, settings. Overridable for tests. */
export function userDataDir(): string {
  if (process.env.PINWHEEL_DATA_DIR) return process.env.PINWHEEL_DATA_DIR;
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Pinwheel');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Pinwheel');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'pinwheel');
}
