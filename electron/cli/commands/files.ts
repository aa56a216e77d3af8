/**
 * The file commands: ls, cat, get, put, rm, mkdir, mv, df. Each runs over the
 * board engine's file API (BoardFiles), as the app's Files view does.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BOARD_ERRNO, BoardError, BoardExecError } from '../../common/board/BoardError.js';
import type { WritePhase, WriteResult } from '../../common/board/files/BoardFiles.js';
import { boardBasename, joinBoardPath, normalizeBoardPath, safeLocalPath } from '../../common/board/boardPath.js';
import { staysOffBoard } from '../../common/workspace/localFiles.js';
import type { BoardConnection } from '../BoardConnection.js';
import type { CommandBody, CommandContext } from '../commandTable.js';
import { CommandError } from '../CommandError.js';
import { formatBytes, formatRate, print, printJson, ProgressLine } from './output.js';

/** `:path` (mpremote style) or a bare path, made absolute on the board. */
export function remotePath(arg: string): string {
  const p = arg.startsWith(':') ? arg.slice(1) : arg;
  return normalizeBoardPath(p.startsWith('/') ? p : '/' + p);
}

async function localTree(root: string): Promise<{ dirs: string[]; files: string[] }> {
  const dirs: string[] = [];
  const files: string[] = [];
  const walk = async (rel: string) => {
    for (const entry of await readdir(path.join(root, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (staysOffBoard(child)) continue;
      if (entry.isDirectory()) {
        dirs.push(child);
        await walk(child);
      } else if (entry.isFile()) files.push(child);
    }
  };
  await walk('');
  return { dirs, files };
}

async function boardIsDir(board: BoardConnection, p: string, signal: AbortSignal): Promise<boolean> {
  try {
    return (await board.files.stat(p, { signal })).type === 'dir';
  } catch (err) {
    if (err instanceof BoardError && err.code === 'NOT_FOUND') return false;
    throw err;
  }
}

/** The write refused because a folder has the target's name. */
function isFolderInTheWay(err: unknown): boolean {
  return err instanceof BoardExecError && err.errno === BOARD_ERRNO.EISDIR;
}

export const ls: CommandBody = async (ctx, board) => {
  const dir = remotePath(ctx.args[0] ?? ':/');
  const entries = await board!.files.list(dir, { recursive: ctx.flags.recursive === true, signal: ctx.signal });
  if (ctx.json) return printJson(ctx, entries);
  for (const e of entries) print(ctx, `${(e.type === 'dir' ? '-' : String(e.size)).padStart(9)}  ${e.path}${e.type === 'dir' ? '/' : ''}`);
};

export const cat: CommandBody = async (ctx, board) => {
  const data = await board!.files.read(remotePath(ctx.args[0]!), { signal: ctx.signal });
  ctx.stdout.write(data);
};

export const get: CommandBody = async (ctx, board) => {
  const remote = remotePath(ctx.args[0]!);
  const files = board!.files;
  const progress = new ProgressLine(ctx.stderr);
  const fetched: { remote: string; local: string; bytes: number }[] = [];
  const started = Date.now();
  const fetchOne = async (remoteFile: string, localFile: string) => {
    const data = await files.read(remoteFile, { signal: ctx.signal, onProgress: (d, t) => progress.update(`get ${remoteFile}`, d, t) });
    await mkdir(path.dirname(localFile), { recursive: true });
    await writeFile(localFile, data);
    progress.clear();
    fetched.push({ remote: remoteFile, local: localFile, bytes: data.length });
    if (!ctx.json) print(ctx, `${remoteFile} -> ${localFile} (${formatBytes(data.length)})`);
  };
  if (await boardIsDir(board!, remote, ctx.signal)) {
    const localRoot = path.resolve(ctx.args[1] ?? (remote === '/' ? 'board' : safeLocalPath(boardBasename(remote))));
    const entries = await files.list(remote, { recursive: true, signal: ctx.signal });
    await mkdir(localRoot, { recursive: true });
    const prefix = remote === '/' ? '/' : remote + '/';
    for (const e of entries) {
      // Board names may be hostile ("../../.bashrc"): safeLocalPath keeps every file under localRoot.
      const local = path.join(localRoot, ...safeLocalPath(e.path.slice(prefix.length)).split('/'));
      if (e.type === 'dir') await mkdir(local, { recursive: true });
      else await fetchOne(e.path, local);
    }
  } else {
    let local = path.resolve(ctx.args[1] ?? safeLocalPath(boardBasename(remote)));
    if ((await stat(local).catch(() => undefined))?.isDirectory()) local = path.join(local, safeLocalPath(boardBasename(remote)));
    await fetchOne(remote, local);
  }
  if (ctx.json) printJson(ctx, { files: fetched, ms: Date.now() - started });
};

/** Reports a write's phases (PINWHEEL_TIMING=1): each phase lasts until the next one starts, the last until the write ends. */
function phaseRecorder(ctx: CommandContext, remote: string): { onPhase: (phase: WritePhase) => void; end: () => void } {
  let current: { phase: WritePhase; at: number } | undefined;
  const close = () => {
    if (current) ctx.timing(`put ${remote}: ${current.phase}`, performance.now() - current.at);
  };
  return {
    onPhase: (phase) => {
      close();
      current = { phase, at: performance.now() };
    },
    end: () => {
      close();
      current = undefined;
    },
  };
}

export const put: CommandBody = async (ctx, board) => {
  const local = path.resolve(ctx.args[0]!);
  const info = await stat(local).catch(() => undefined);
  if (!info) throw new CommandError(`No such local file or folder: ${ctx.args[0]}`);
  const files = board!.files;
  const progress = new ProgressLine(ctx.stderr);
  const results: (WriteResult & { local: string; remote: string; ms: number })[] = [];
  const skipIfSame = ctx.flags.force !== true;
  const putOne = async (localFile: string, remoteFile: string) => {
    const data = await readFile(localFile);
    const t0 = Date.now();
    const phases = phaseRecorder(ctx, remoteFile);
    let result: WriteResult;
    try {
      result = await files.write(remoteFile, data, {
        signal: ctx.signal,
        skipIfSame,
        onProgress: (d, t) => progress.update(`put ${remoteFile}`, d, t),
        onPhase: phases.onPhase,
      });
    } finally {
      phases.end();
      progress.clear();
    }
    const ms = Date.now() - t0;
    results.push({ ...result, local: localFile, remote: remoteFile, ms });
    if (!ctx.json) {
      print(ctx, result.skipped ? `${remoteFile} unchanged (skipped)` : `${localFile} -> ${remoteFile} (${formatBytes(result.bytes)}, ${formatRate(result.bytes, ms)})`);
    }
  };
  if (info.isDirectory()) {
    let remoteRoot = ctx.args[1] ? remotePath(ctx.args[1]) : '/' + path.basename(local);
    if (ctx.args[1]?.endsWith('/')) remoteRoot = joinBoardPath(remoteRoot, path.basename(local));
    const tree = await localTree(local);
    await files.mkdir(remoteRoot, { signal: ctx.signal });
    for (const d of tree.dirs) await files.mkdir(joinBoardPath(remoteRoot, d), { signal: ctx.signal });
    for (const f of tree.files) await putOne(path.join(local, f), joinBoardPath(remoteRoot, f));
  } else {
    const remote = ctx.args[1] ? remotePath(ctx.args[1]) : '/' + path.basename(local);
    const into = (folder: string) => joinBoardPath(folder, path.basename(local));
    if (remote === '/' || ctx.args[1]?.endsWith('/')) await putOne(local, into(remote));
    else {
      // No stat first (a round trip per put): the write itself refuses a folder in the way, and then the file goes into it.
      try {
        await putOne(local, remote);
      } catch (err) {
        if (!ctx.args[1] || !isFolderInTheWay(err)) throw err;
        await putOne(local, into(remote));
      }
    }
  }
  if (ctx.json) printJson(ctx, results);
};

export const rm: CommandBody = async (ctx, board) => {
  for (const arg of ctx.args) {
    const p = remotePath(arg);
    if (p === '/') throw new CommandError('Refusing to remove the board\'s root folder. Remove what is in it instead.');
    await board!.files.remove(p, { recursive: ctx.flags.recursive === true, signal: ctx.signal });
    if (!ctx.json) print(ctx, `removed ${p}`);
  }
  if (ctx.json) printJson(ctx, { removed: ctx.args.map(remotePath) });
};

export const mkdirCommand: CommandBody = async (ctx, board) => {
  for (const arg of ctx.args) await board!.files.mkdir(remotePath(arg), { signal: ctx.signal });
  if (ctx.json) printJson(ctx, { created: ctx.args.map(remotePath) });
};
export { mkdirCommand as mkdir };

export const mv: CommandBody = async (ctx, board) => {
  let to = remotePath(ctx.args[1]!);
  const from = remotePath(ctx.args[0]!);
  if (ctx.args[1]!.endsWith('/') || (await boardIsDir(board!, to, ctx.signal))) to = joinBoardPath(to, boardBasename(from));
  await board!.files.rename(from, to, { signal: ctx.signal });
  if (ctx.json) printJson(ctx, { from, to });
  else print(ctx, `${from} -> ${to}`);
};

export const df: CommandBody = async (ctx, board) => {
  const p = remotePath(ctx.args[0] ?? ':/');
  const usage = await board!.files.diskUsage(p, { signal: ctx.signal });
  if (ctx.json) return printJson(ctx, { path: p, ...usage });
  const pct = usage.totalBytes > 0 ? Math.round((usage.usedBytes / usage.totalBytes) * 100) : 0;
  print(ctx, `${p}: ${formatBytes(usage.usedBytes)} used of ${formatBytes(usage.totalBytes)} (${pct}%), ${formatBytes(usage.freeBytes)} free`);
};
