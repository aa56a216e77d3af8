/**
 * Puts a planned install on a board without leaving half a package: every
 * file is fetched first (a network failure leaves the board untouched), the
 * free space is checked, the files are written into a staging folder beside
 * the target, and only when all are there are they renamed into place (quick
 * steps: the writes are where a full filesystem or a pulled cable strikes).
 * A failed install's staging folder is removed on the way out, or by the
 * next install when the board was gone.
 */
import type { BoardSession } from '../board/BoardSession.js';
import { BOARD_ERRNO, BoardExecError } from '../board/BoardError.js';
import type { BoardFiles } from '../board/files/BoardFiles.js';
import { formatBytes } from '../util/format.js';
import type { InstallPlan, PlanOptions } from './installPlan.js';
import { planInstall } from './installPlan.js';
import { PackageError } from './PackageError.js';

/** Where mip installs: the first sys.path entry ending in /lib, which is /lib on the ports we serve. */
export const DEFAULT_TARGET = '/lib';
/** Staging folders start with this; one left by an interrupted install is removed by the next. */
const STAGING_PREFIX = '.pinwheel-staging';
/** A file costs at least a filesystem block beyond its bytes (LittleFS's are 4 KB on ESP32): counted per file. */
const BLOCK_BYTES = 4096;

export interface InstallProgress {
  phase: 'resolving' | 'downloading' | 'writing' | 'done';
  /** Files done and files in all, for the phase. */
  done: number;
  total: number;
  /** The file or package being worked on. */
  item?: string;
}

export interface InstallOptions {
  index: string;
  target?: string;
  /** Compiled files where the index has them for this board (default true); false takes the .py sources. */
  compiled?: boolean;
  fetchJson: PlanOptions['fetchJson'];
  /** A file's bytes; the caller caches and times out. */
  fetchBytes(url: string): Promise<Uint8Array>;
  signal?: AbortSignal;
  onProgress?: (progress: InstallProgress) => void;
}

export interface InstallResult {
  plan: InstallPlan;
  target: string;
  /** Board paths written. */
  written: string[];
  bytes: number;
}

function checkSignal(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new PackageError('CANCELLED', 'The install was cancelled; nothing was installed.');
}

/** The board's .mpy version ("6"), undefined when it cannot load compiled files. */
export async function boardMpyVersion(session: BoardSession, signal?: AbortSignal): Promise<string | undefined> {
  const out = (await session.eval("getattr(__import__('sys').implementation, '_mpy', 0) & 0xff", { signal })).trim();
  const version = Number(out);
  return Number.isInteger(version) && version > 0 ? String(version) : undefined;
}

export async function installPackages(specs: readonly string[], session: BoardSession, files: BoardFiles, options: InstallOptions): Promise<InstallResult> {
  const { signal } = options;
  const target = (options.target ?? DEFAULT_TARGET).replace(/\/+$/, '') || '/';
  const progress = options.onProgress ?? (() => undefined);

  progress({ phase: 'resolving', done: 0, total: specs.length });
  const mpyVersion = options.compiled === false ? undefined : await boardMpyVersion(session, signal);
  const plan = await planInstall(specs, { index: options.index, mpyVersion, fetchJson: options.fetchJson });
  checkSignal(signal);

  const contents: Uint8Array[] = [];
  for (const [i, file] of plan.files.entries()) {
    progress({ phase: 'downloading', done: i, total: plan.files.length, item: file.dest });
    contents.push(await options.fetchBytes(file.url));
    checkSignal(signal);
  }
  const bytes = contents.reduce((sum, c) => sum + c.length, 0);

  await files.mkdir(target, { signal });
  // What an interrupted install left behind goes first: it holds space and nothing uses it.
  for (const entry of await files.list(target, { signal })) {
    if (entry.type === 'dir' && entry.name.startsWith(STAGING_PREFIX)) await files.remove(entry.path, { recursive: true, signal });
  }
  const needed = bytes + plan.files.length * BLOCK_BYTES;
  const { freeBytes } = await files.diskUsage(target, { signal });
  if (needed > freeBytes) {
    throw new PackageError(
      'NO_SPACE',
      `The board has ${formatBytes(freeBytes)} free; ${plan.packages.map((p) => p.name).join(', ')} need about ${formatBytes(needed)} (${plan.files.length} files). Nothing was installed; delete files from the board to make room.`,
    );
  }

  const staging = `${target === '/' ? '' : target}/${STAGING_PREFIX}-${Date.now().toString(36)}`;
  const written: string[] = [];
  try {
    for (const [i, file] of plan.files.entries()) {
      checkSignal(signal);
      progress({ phase: 'writing', done: i, total: plan.files.length, item: file.dest });
      const staged = `${staging}/${file.dest}`;
      await files.mkdir(staged.slice(0, staged.lastIndexOf('/')), { signal });
      await files.write(staged, contents[i]!, { signal, skipIfSame: false });
    }
    // Every file is on the board: now into place.
    for (const file of plan.files) {
      const final = `${target === '/' ? '' : target}/${file.dest}`;
      const folder = final.slice(0, final.lastIndexOf('/'));
      if (folder !== '') await files.mkdir(folder, { signal });
      await replace(files, `${staging}/${file.dest}`, final, signal);
      written.push(final);
    }
  } catch (err) {
    await files.remove(staging, { recursive: true }).catch(() => undefined);
    if (err instanceof BoardExecError && err.errno === BOARD_ERRNO.ENOSPC) {
      throw new PackageError('NO_SPACE', `The board's filesystem filled up while writing; nothing was installed (${err.message}).`, { cause: err });
    }
    throw err;
  }
  await files.remove(staging, { recursive: true, signal });
  progress({ phase: 'done', done: plan.files.length, total: plan.files.length });
  return { plan, target, written, bytes };
}

/** Renames over an existing file (os.rename refuses that on some ports: the old one goes first). */
async function replace(files: BoardFiles, from: string, to: string, signal: AbortSignal | undefined): Promise<void> {
  try {
    await files.rename(from, to, { signal });
  } catch (err) {
    // Only the board's own refusal (an OSError) is worth a second try; a lost link or a cancel is not.
    if (!(err instanceof BoardExecError)) throw err;
    await files.remove(to, { signal });
    await files.rename(from, to, { signal });
  }
}
