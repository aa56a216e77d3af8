/**
 * The `pinwheel` commands, one `do_<verb>`-style function each in one table.
 * Every command runs over the same board engine the app uses.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BoardError } from '../common/board/BoardError.js';
import type { WriteResult } from '../common/board/files/BoardFiles.js';
import { boardBasename, joinBoardPath, normalizeBoardPath, safeLocalPath } from '../common/board/boardPath.js';
import { PortDiscovery } from '../node/ports/PortDiscovery.js';
import { VirtualBoard } from '../node/vboard/VirtualBoard.js';
import { BoardConnection } from './BoardConnection.js';
import { CommandError, UsageError } from './CommandError.js';
import { formatBytes, formatRate, ProgressLine } from './output.js';
import { repl } from './replCommand.js';
import { exec, run } from './runCommands.js';
import { staysOffBoard } from '../common/workspace/localFiles.js';

export interface CommandContext {
  args: string[];
  flags: Record<string, string | boolean | undefined>;
  json: boolean;
  port?: string;
  baudRate: number;
  /** Aborted by the first Ctrl-C (SIGINT) for commands that do not take Ctrl-C themselves. */
  signal: AbortSignal;
  debug?: (message: string) => void;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Commands that handle Ctrl-C themselves (run, repl) take it over with this. */
  takeOverInterrupt(handler: () => void): void;
}

export interface Command {
  usage: string;
  summary: string;
  /** Flags this command accepts besides the global ones. */
  flags?: readonly string[];
  minArgs?: number;
  maxArgs?: number;
  needsBoard: boolean;
  /** Probe the board on connect: file commands choose how to transfer from it. Others leave a running program alone until they need the line. */
  probe?: boolean;
  run(ctx: CommandContext, board: BoardConnection | undefined): Promise<number | void>;
}

/** `:path` (mpremote style) or a bare path, made absolute on the board. */
export function remotePath(arg: string): string {
  const p = arg.startsWith(':') ? arg.slice(1) : arg;
  return normalizeBoardPath(p.startsWith('/') ? p : '/' + p);
}

function print(ctx: CommandContext, text: string) {
  ctx.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

function printJson(ctx: CommandContext, value: unknown) {
  ctx.stdout.write(JSON.stringify(value, null, 2) + '\n');
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

const ports: Command = {
  usage: 'ports',
  summary: 'list serial ports, likely MicroPython boards first',
  needsBoard: false,
  maxArgs: 0,
  async run(ctx) {
    const discovery = new PortDiscovery();
    try {
      const list = await discovery.list();
      if (ctx.json) return printJson(ctx, list);
      if (list.length === 0) return print(ctx, 'No serial ports found. Plug a board in, or pass a path with --port.');
      for (const p of list) print(ctx, `${p.likelyMicroPython ? '*' : ' '} ${p.path.padEnd(20)} ${p.friendlyName}`);
    } finally {
      discovery.dispose();
    }
  },
};

const ls: Command = {
  usage: 'ls [-r] [:PATH]',
  summary: 'list files on the board (-r: recursively)',
  flags: ['recursive'],
  maxArgs: 1,
  needsBoard: true,
  probe: true,
  async run(ctx, board) {
    const dir = remotePath(ctx.args[0] ?? ':/');
    const entries = await board!.files.list(dir, { recursive: ctx.flags.recursive === true, signal: ctx.signal });
    if (ctx.json) return printJson(ctx, entries);
    for (const e of entries) print(ctx, `${(e.type === 'dir' ? '-' : String(e.size)).padStart(9)}  ${e.path}${e.type === 'dir' ? '/' : ''}`);
  },
};

const cat: Command = {
  usage: 'cat :PATH',
  summary: 'print a file from the board',
  minArgs: 1,
  maxArgs: 1,
  needsBoard: true,
  probe: true,
  async run(ctx, board) {
    const data = await board!.files.read(remotePath(ctx.args[0]!), { signal: ctx.signal });
    ctx.stdout.write(data);
  },
};

const get: Command = {
  usage: 'get :REMOTE [LOCAL]',
  summary: 'copy a file or folder from the board to this computer',
  minArgs: 1,
  maxArgs: 2,
  needsBoard: true,
  probe: true,
  async run(ctx, board) {
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
  },
};

const put: Command = {
  usage: 'put [--force] LOCAL [:REMOTE]',
  summary: 'copy a file or folder to the board (unchanged files are skipped unless --force)',
  flags: ['force'],
  minArgs: 1,
  maxArgs: 2,
  needsBoard: true,
  probe: true,
  async run(ctx, board) {
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
      const result = await files.write(remoteFile, data, {
        signal: ctx.signal,
        skipIfSame,
        onProgress: (d, t) => progress.update(`put ${remoteFile}`, d, t),
      });
      const ms = Date.now() - t0;
      progress.clear();
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
      let remote = ctx.args[1] ? remotePath(ctx.args[1]) : '/' + path.basename(local);
      if (ctx.args[1] && (ctx.args[1].endsWith('/') || (await boardIsDir(board!, remote, ctx.signal)))) {
        remote = joinBoardPath(remote, path.basename(local));
      }
      await putOne(local, remote);
    }
    if (ctx.json) printJson(ctx, results);
  },
};

const rm: Command = {
  usage: 'rm [-r] :PATH...',
  summary: 'remove files (-r: folders and what is in them)',
  flags: ['recursive'],
  minArgs: 1,
  needsBoard: true,
  probe: true,
  async run(ctx, board) {
    for (const arg of ctx.args) {
      const p = remotePath(arg);
      if (p === '/') throw new CommandError('Refusing to remove the board\'s root folder. Remove what is in it instead.');
      await board!.files.remove(p, { recursive: ctx.flags.recursive === true, signal: ctx.signal });
      if (!ctx.json) print(ctx, `removed ${p}`);
    }
    if (ctx.json) printJson(ctx, { removed: ctx.args.map(remotePath) });
  },
};

const mkdirCommand: Command = {
  usage: 'mkdir :PATH...',
  summary: 'create folders on the board (with their parents)',
  minArgs: 1,
  needsBoard: true,
  probe: true,
  async run(ctx, board) {
    for (const arg of ctx.args) await board!.files.mkdir(remotePath(arg), { signal: ctx.signal });
    if (ctx.json) printJson(ctx, { created: ctx.args.map(remotePath) });
  },
};

const mv: Command = {
  usage: 'mv :FROM :TO',
  summary: 'rename or move a file or folder on the board',
  minArgs: 2,
  maxArgs: 2,
  needsBoard: true,
  probe: true,
  async run(ctx, board) {
    let to = remotePath(ctx.args[1]!);
    const from = remotePath(ctx.args[0]!);
    if (ctx.args[1]!.endsWith('/') || (await boardIsDir(board!, to, ctx.signal))) to = joinBoardPath(to, boardBasename(from));
    await board!.files.rename(from, to, { signal: ctx.signal });
    if (ctx.json) printJson(ctx, { from, to });
    else print(ctx, `${from} -> ${to}`);
  },
};

const df: Command = {
  usage: 'df [:PATH]',
  summary: 'show the board\'s storage use',
  maxArgs: 1,
  needsBoard: true,
  probe: true,
  async run(ctx, board) {
    const p = remotePath(ctx.args[0] ?? ':/');
    const usage = await board!.files.diskUsage(p, { signal: ctx.signal });
    if (ctx.json) return printJson(ctx, { path: p, ...usage });
    const pct = usage.totalBytes > 0 ? Math.round((usage.usedBytes / usage.totalBytes) * 100) : 0;
    print(ctx, `${p}: ${formatBytes(usage.usedBytes)} used of ${formatBytes(usage.totalBytes)} (${pct}%), ${formatBytes(usage.freeBytes)} free`);
  },
};

const reset: Command = {
  usage: 'reset [--hard]',
  summary: 'soft-reset the board (runs boot.py and main.py); --hard resets the chip',
  flags: ['hard'],
  maxArgs: 0,
  needsBoard: true,
  async run(ctx, board) {
    if (ctx.flags.hard === true) {
      const how = await board!.session.hardReset({ signal: ctx.signal });
      if (ctx.json) printJson(ctx, { reset: 'hard', method: how });
      else print(ctx, how === 'signals' ? 'Hard reset (EN pulled low through RTS).' : 'Hard reset (machine.reset()).');
      return;
    }
    const boot = await board!.session.softReset({ runMain: true, signal: ctx.signal });
    if (ctx.json) printJson(ctx, { reset: 'soft', output: boot });
    else ctx.stdout.write(boot);
  },
};

const vboard: Command = {
  usage: 'vboard [--usb] [--flash DIR]',
  summary: 'start a virtual MicroPython board on a pseudo-terminal and print its path',
  flags: ['usb', 'flash'],
  maxArgs: 0,
  needsBoard: false,
  async run(ctx) {
    const board = await VirtualBoard.start({
      model: ctx.flags.usb === true ? 'usb' : 'uart',
      baud: ctx.baudRate,
      ...(typeof ctx.flags.flash === 'string' ? { flashDir: path.resolve(ctx.flags.flash) } : {}),
    });
    const ptyPath = await board.exposeOnPty();
    if (ctx.json) printJson(ctx, { path: ptyPath, model: ctx.flags.usb === true ? 'usb' : 'uart' });
    else print(ctx, ptyPath);
    await new Promise<void>((resolve) => {
      ctx.takeOverInterrupt(resolve);
      process.once('SIGTERM', resolve);
      board.onGone(resolve);
    });
    await board.stop();
  },
};

export const COMMANDS: Record<string, Command> = {
  ports,
  ls,
  cat,
  get,
  put,
  rm,
  mkdir: mkdirCommand,
  mv,
  df,
  run,
  exec,
  repl,
  reset,
  vboard,
};
