/**
 * Starts the built web host (dist/) as a child process, exactly as `npm start`
 * does without Electron, and hands back the URL it printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const TEST_OUTPUT_DIR = path.join(REPO_ROOT, 'test-output');

export interface RunningHost {
  url: string;
  origin: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

const URL_LINE = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/;

/**
 * A fresh data folder whose built-in virtual board already holds `files`
 * (path to text, folders made as needed) when it boots, e.g. a main.py or
 * lib/driver.py; pass it as PINWHEEL_DATA_DIR.
 */
export function dataDirWithBoardFiles(files: Record<string, string>): string {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-data-'));
  const flash = path.join(dataDir, 'virtual-board', 'flash');
  mkdirSync(flash, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(flash, name)), { recursive: true });
    writeFileSync(path.join(flash, name), text);
  }
  return dataDir;
}

export async function startWebHost(options: { command?: string[]; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunningHost> {
  const command = options.command ?? ['dist/electron/host/main.js', '--no-open'];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-data-'));
  const child = spawn(process.execPath, command, {
    cwd: REPO_ROOT,
    env: { ...process.env, PINWHEEL_DATA_DIR: dataDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => (output += c));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host printed no URL within the timeout. Output:\n${output}`)), options.timeoutMs ?? 30_000);
    child.stdout!.on('data', (c: string) => {
      output += c;
      const match = URL_LINE.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web host exited with ${code} before printing a URL. Output:\n${output}`));
    });
  });
  const origin = new URL(url).origin;
  return {
    url,
    origin,
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
