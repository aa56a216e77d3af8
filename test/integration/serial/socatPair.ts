/**
 * A linked pseudo-terminal pair from socat: bytes written to one end come out
 * of the other, and killing socat hangs both up, as pulling a USB cable does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SOCAT_READY_TIMEOUT_MS = 5000;

export interface SocatPair {
  /** Symlink to one pty end. */
  a: string;
  /** Symlink to the other end. */
  b: string;
  process: ChildProcess;
  /** Kills socat (SIGKILL, like a yanked cable: no goodbye) and waits for it to exit. */
  kill(): Promise<void>;
  /** Kills socat if still running and removes the temporary folder. */
  dispose(): Promise<void>;
}

export async function startSocatPair(): Promise<SocatPair> {
  const dir = await mkdtemp(join(tmpdir(), 'pinwheel-socat-'));
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  const dispose = async () => {
    await kill();
    await rm(dir, { recursive: true, force: true });
  };

  // socat logs "starting data transfer loop" once both ptys exist and are linked.
  const deadline = Date.now() + SOCAT_READY_TIMEOUT_MS;
  while (!(existsSync(a) && existsSync(b) && stderr.includes('starting data transfer loop'))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await dispose();
      throw new Error(`socat did not start a pty pair:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { a, b, process: child, kill, dispose };
}
