/**
 * Runs the real `pinwheel` command (electron/cli/pinwheel.mjs, which runs the
 * compiled dist/) as a child process against virtual boards served on
 * pseudo-terminals, and reads the board's flash folder to check what the
 * commands really did.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirtualBoard, type BoardProfileName } from '../../../electron/node/vboard/VirtualBoard.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CLI = path.join(ROOT, 'electron', 'cli', 'pinwheel.mjs');
const COMPILED_MAIN = path.join(ROOT, 'dist', 'electron', 'cli', 'main.js');
/** What pinwheel.mjs runs: the bundle electron/cli/bundle.mjs makes from the sources (and, for vboard, from COMPILED_MAIN's folder). */
const BUNDLED_MAIN = path.join(ROOT, 'dist', 'cli', 'main.js');
/** Sources the compiled CLI is made of. */
const CLI_SOURCE_DIRS = ['electron/cli', 'electron/common', 'electron/node'].map((d) => path.join(ROOT, d));
/** A CLI call that takes longer than this is stuck. */
export const CLI_TIMEOUT_MS = 30_000;
export const MODELS = ['uart', 'usb'] as const;
export type Model = (typeof MODELS)[number];

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const name of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!name.endsWith('.ts')) continue;
    newest = Math.max(newest, fs.statSync(path.join(dir, name)).mtimeMs);
  }
  return newest;
}

/**
 * The CLI runs from dist/ (`npm test` builds first). When a source is newer
 * than the build, e.g. a developer running this file alone after an edit,
 * build once (tsc, then the bundle) so the test never exercises stale code.
 */
export function ensureCliBuilt(): void {
  const mtime = (file: string) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);
  const source = Math.max(...CLI_SOURCE_DIRS.map(newestMtimeMs), mtime(path.join(ROOT, 'electron', 'cli', 'bundle.mjs')));
  if (Math.min(mtime(COMPILED_MAIN), mtime(BUNDLED_MAIN)) >= source) return;
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'electron/tsconfig.json'], { cwd: ROOT, stdio: 'pipe' });
  } catch (err) {
    // Type errors still emit JavaScript; only a missing output is fatal.
    if (!fs.existsSync(COMPILED_MAIN)) throw err;
  }
  execFileSync(process.execPath, [path.join(ROOT, 'electron', 'cli', 'bundle.mjs')], { cwd: ROOT, stdio: 'pipe' });
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
  ms: number;
}

export interface CliOptions {
  port?: string;
  cwd?: string;
  /** Piped to stdin, which is then closed; without it stdin is empty. */
  input?: string | Buffer;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface CliProcess {
  child: ChildProcess;
  /** Resolves when the output contains `pattern` (already or later); rejects on exit or timeout. */
  waitForStdout(pattern: string | RegExp, timeoutMs?: number): Promise<void>;
  /** stdout chunks with the time they arrived (performance.now()). */
  chunks: Array<{ at: number; text: string }>;
  done: Promise<CliResult>;
}

/** Starts `pinwheel [--port PORT] ARGS...`; PINWHEEL_PORT is only set when the test says so. */
export function spawnCli(args: string[], opts: CliOptions = {}): CliProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  if (!opts.env?.PINWHEEL_PORT) delete env.PINWHEEL_PORT;
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...(opts.port ? ['--port', opts.port] : []), ...args], {
    cwd: opts.cwd ?? ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const chunks: CliProcess['chunks'] = [];
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (b: Buffer) => {
    out.push(b);
    chunks.push({ at: performance.now(), text: b.toString('utf8') });
    for (const l of [...listeners]) l();
  });
  child.stderr!.on('data', (b: Buffer) => err.push(b));
  child.stdin!.on('error', () => undefined);
  if (opts.input !== undefined) child.stdin!.end(opts.input);
  else child.stdin!.end();
  const timeoutMs = opts.timeoutMs ?? CLI_TIMEOUT_MS;
  const done = new Promise<CliResult>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const l of [...listeners]) l();
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, signal, stdout: stdoutBytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), stdoutBytes, ms: performance.now() - started });
    });
  });
  const waitForStdout = (pattern: string | RegExp, waitMs = CLI_TIMEOUT_MS) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        const text = Buffer.concat(out).toString('utf8');
        if (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)) {
          finish();
          resolve();
        } else if (child.exitCode !== null || child.signalCode !== null) {
          finish();
          reject(new Error(`pinwheel exited before printing ${String(pattern)}; stdout: ${JSON.stringify(text)} stderr: ${JSON.stringify(Buffer.concat(err).toString())}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out waiting for ${String(pattern)}; stdout so far: ${JSON.stringify(Buffer.concat(out).toString())}`));
      }, waitMs);
      const finish = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  return { child, waitForStdout, chunks, done };
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return spawnCli(args, opts).done;
}

/** Describes a result for assertion messages. */
export function show(r: CliResult): string {
  return `exit ${r.code ?? r.signal}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
}

export interface CliBoard {
  board: VirtualBoard;
  /** The pty path to pass with --port. */
  port: string;
  flashDir: string;
  /** Host path of a board path inside the flash folder. */
  flash(boardPath: string): string;
  stop(): Promise<void>;
}

export async function startCliBoard(model: Model, options: { profile?: BoardProfileName } = {}): Promise<CliBoard> {
  const flashDir = fs.mkdtempSync(path.join(os.tmpdir(), `pinwheel-cli-${model}-`));
  const board = await VirtualBoard.start({ model, flashDir, ...options });
  const port = await board.exposeOnPty();
  return {
    board,
    port,
    flashDir,
    flash: (boardPath) => path.join(flashDir, ...boardPath.split('/').filter(Boolean)),
    async stop() {
      await board.stop();
      fs.rmSync(flashDir, { recursive: true, force: true });
    },
  };
}

/** Retries `check` until it stops throwing: the board mirrors its flash to the host folder right after each command. */
export async function eventually(check: () => void, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** Every file under `dir` (relative paths, `/`-separated), folders marked with a trailing `/`. */
export function treeOf(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/') + (e.isDirectory() ? '/' : ''))
    .sort();
}
