/**
 * The local project folder: open it, list it, read and write files in it.
 * Every path the renderer sends is relative to the
 * folder and is refused when it would lead outside it, whether through `..`,
 * an absolute path or a symlink (the file handlers of a peer accepted any
 * path: a page could read the user's SSH keys).
 */
import type { Dirent } from 'node:fs';
import { lstat, mkdir, readdir, readFile, realpath, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FolderListing, WorkspaceEntry, WorkspaceInfo } from '../../../common/api/contract.js';
import { ApiError } from '../../../common/api/errors.js';
import { NEVER_WALKED_DIRS } from '../../../common/workspace/localFiles.js';
import type { SettingsStore } from '../SettingsStore.js';
import { ATOMIC_TEMP_SUFFIX, writeFileAtomic } from '../writeFileAtomic.js';

/** A listing stops here: a project for a microcontroller is small; a home folder opened by mistake is not. */
export const WORKSPACE_LIST_MAX_ENTRIES = 5000;
/** Files read for the editor or the board; larger ones would not fit a board's flash anyway. */
export const WORKSPACE_FILE_MAX_BYTES = 32 * 1024 * 1024;

export interface WorkspaceFolderOptions {
  settings: SettingsStore;
  /** Where browse() starts; default the user's home folder. */
  homeDir?: string;
}

export class WorkspaceFolder {
  private root: string | undefined;
  private readonly homeDir: string;

  constructor(private readonly options: WorkspaceFolderOptions) {
    this.homeDir = options.homeDir ?? os.homedir();
  }

  /** Reopens the folder remembered in the settings, if it still exists. */
  async restore(): Promise<void> {
    const remembered = (await this.options.settings.load()).workspaceRoot;
    if (!remembered) return;
    try {
      if ((await stat(remembered)).isDirectory()) this.root = await realpath(remembered);
    } catch {
      // Moved or deleted since: start without a folder rather than fail.
    }
  }

  current(): WorkspaceInfo | null {
    return this.root ? infoFor(this.root) : null;
  }

  async open(folder: string): Promise<WorkspaceInfo> {
    const wanted = path.resolve(this.expandHome(folder.trim()));
    let info;
    try {
      info = await stat(wanted);
    } catch (err) {
      throw fsError(err, wanted, 'folder');
    }
    if (!info.isDirectory()) throw new ApiError('BAD_REQUEST', `${wanted} is a file, not a folder. Choose a folder to open.`);
    this.root = await realpath(wanted);
    await this.options.settings.update({ workspaceRoot: this.root });
    return infoFor(this.root);
  }

  /** Subfolders of `folder` (default: home) for the in-app folder picker; hidden ones last. */
  async browse(folder?: string): Promise<FolderListing> {
    const dir = path.resolve(folder?.trim() ? this.expandHome(folder.trim()) : this.homeDir);
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      throw fsError(err, dir, 'folder');
    }
    const dirs: string[] = [];
    for (const e of entries) {
      if (e.isDirectory()) dirs.push(e.name);
      else if (e.isSymbolicLink()) {
        const target = await stat(path.join(dir, e.name)).catch(() => undefined);
        if (target?.isDirectory()) dirs.push(e.name);
      }
    }
    const byName = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
    const visible = dirs.filter((d) => !d.startsWith('.')).sort(byName);
    const hidden = dirs.filter((d) => d.startsWith('.')).sort(byName);
    const parent = path.dirname(dir);
    return { path: dir, ...(parent !== dir ? { parent } : {}), dirs: [...visible, ...hidden] };
  }

  /** Every file and folder in the project (skipping NEVER_WALKED_DIRS), at most WORKSPACE_LIST_MAX_ENTRIES. */
  async list(): Promise<WorkspaceEntry[]> {
    const root = this.requireRoot();
    return this.walk(root, root, WORKSPACE_LIST_MAX_ENTRIES);
  }

  async readFile(relative: string): Promise<Uint8Array> {
    const file = await this.resolveInside(relative);
    let info;
    try {
      info = await stat(file);
    } catch (err) {
      throw fsError(err, relative, 'file');
    }
    if (!info.isFile()) throw new ApiError('BAD_REQUEST', `${relative} is a folder, not a file.`);
    if (info.size > WORKSPACE_FILE_MAX_BYTES) {
      throw new ApiError('BAD_REQUEST', `${relative} is ${Math.round(info.size / 1024 / 1024)} MB; Pinwheel opens files up to ${WORKSPACE_FILE_MAX_BYTES / 1024 / 1024} MB.`);
    }
    try {
      return new Uint8Array(await readFile(file));
    } catch (err) {
      throw fsError(err, relative, 'file');
    }
  }

  /** Writes atomically (a crash leaves the old file or the new one), creating folders on the way. */
  async writeFile(relative: string, data: Uint8Array): Promise<void> {
    const file = await this.resolveInside(relative);
    if (file === this.requireRoot()) throw new ApiError('BAD_REQUEST', 'Choose a file name inside the project folder.');
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFileAtomic(file, data);
    } catch (err) {
      throw fsError(err, relative, 'file');
    }
  }

  // ---- internals ----------------------------------------------------------------------

  /** The open folder's real path, or BAD_REQUEST when none is open. */
  requireRoot(): string {
    if (!this.root) throw new ApiError('BAD_REQUEST', 'No project folder is open. Open one first.');
    return this.root;
  }

  private expandHome(p: string): string {
    if (p === '~') return this.homeDir;
    if (p.startsWith('~/')) return path.join(this.homeDir, p.slice(2));
    return p;
  }

  /**
   * The absolute path of `relative` inside the project folder, with symlinks
   * resolved. Refused (PERMISSION) when it leads outside: an absolute path, `..`
   * above the root, a symlink to elsewhere, or a dangling symlink (writing
   * through it would create a file wherever it points).
   */
  async resolveInside(relative: string): Promise<string> {
    const root = this.requireRoot();
    const refuse = () =>
      new ApiError('PERMISSION', `${relative} is outside the project folder ${path.basename(root)}. Pinwheel only reads and writes files inside it.`);
    if (relative.includes('\0')) throw new ApiError('BAD_REQUEST', 'A path cannot contain a NUL character.');
    if (path.isAbsolute(relative) || path.win32.isAbsolute(relative) || /^[A-Za-z]:/.test(relative)) throw refuse();
    const target = path.resolve(root, relative);
    if (!isInside(root, target)) throw refuse();
    // Follow symlinks: the nearest part of the path that exists must resolve inside the folder.
    let existing = target;
    let rest: string[] = [];
    for (;;) {
      try {
        const real = await realpath(existing);
        if (!isInside(root, real)) throw refuse();
        return rest.length ? path.join(real, ...rest) : real;
      } catch (err) {
        if (err instanceof ApiError) throw err;
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw fsError(err, relative, 'file');
        // A symlink whose target is missing: realpath fails, but it still leads somewhere.
        const link = await lstat(existing).catch(() => undefined);
        if (link?.isSymbolicLink()) throw refuse();
        if (existing === root) throw fsError(err, relative, 'folder');
        rest = [path.basename(existing), ...rest];
        existing = path.dirname(existing);
      }
    }
  }

  /**
   * Files and folders under `dir`, relative to `root`, `/`-separated, sorted.
   * Symlinks are listed when they lead inside the folder and never descended
   * (a link to a parent would loop).
   */
  async walk(root: string, dir: string, max: number): Promise<WorkspaceEntry[]> {
    const out: WorkspaceEntry[] = [];
    const queue = [dir];
    while (queue.length > 0 && out.length < max) {
      const current = queue.shift()!;
      let entries: Dirent[];
      try {
        entries = await readdir(current, { withFileTypes: true });
      } catch (err) {
        if (current === dir) throw fsError(err, path.relative(root, dir) || '.', 'folder');
        continue; // an unreadable subfolder is left out, not fatal
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        if (out.length >= max) break;
        if (e.name.endsWith(ATOMIC_TEMP_SUFFIX)) continue;
        const full = path.join(current, e.name);
        const rel = path.relative(root, full).split(path.sep).join('/');
        if (e.isDirectory()) {
          if (NEVER_WALKED_DIRS.has(e.name)) continue;
          const info = await stat(full).catch(() => undefined);
          out.push({ path: rel, name: e.name, type: 'dir', size: 0, mtimeMs: info?.mtimeMs ?? 0 });
          queue.push(full);
        } else if (e.isFile() || e.isSymbolicLink()) {
          if (e.isSymbolicLink()) {
            const real = await realpath(full).catch(() => undefined);
            if (!real || !isInside(root, real)) continue;
          }
          const info = await stat(full).catch(() => undefined);
          if (!info) continue;
          if (info.isDirectory()) {
            if (!NEVER_WALKED_DIRS.has(e.name)) out.push({ path: rel, name: e.name, type: 'dir', size: 0, mtimeMs: info.mtimeMs });
          } else if (info.isFile()) {
            out.push({ path: rel, name: e.name, type: 'file', size: info.size, mtimeMs: info.mtimeMs });
          }
        }
      }
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

}

function infoFor(root: string): WorkspaceInfo {
  return { root, name: path.basename(root) || root };
}

function isInside(root: string, target: string): boolean {
  return target === root || target.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

export function fsError(err: unknown, shown: string, what: 'file' | 'folder'): ApiError {
  if (err instanceof ApiError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return new ApiError('NOT_FOUND', `No ${what} ${shown}.`);
    case 'ENOTDIR':
      return new ApiError('BAD_REQUEST', `${shown} (or a folder above it) is a file, not a folder.`);
    case 'EISDIR':
      return new ApiError('BAD_REQUEST', `${shown} is a folder, not a file.`);
    case 'EACCES':
    case 'EPERM':
      return new ApiError('PERMISSION', `Permission denied on ${shown}.`);
    case 'ENOSPC':
      return new ApiError('INTERNAL', `The disk is full while writing ${shown}.`);
    default:
      return new ApiError('INTERNAL', `${shown}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
