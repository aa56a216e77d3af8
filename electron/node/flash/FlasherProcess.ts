/**
 * Runs one flasher job in a child process (flasherEntry.ts) and hands its
 * messages over as they come. A separate process because serialport's native
 * binding cannot serve a worker thread beside the main thread, and the
 * deflate and serial traffic must stay off the thread that serves the UI.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlasherMessage, type FlasherJob } from './flasherProtocol.js';
import { outsideAsar } from '../packagedPaths.js';

/** After a cancel, how long the process may take to close the port and report before it is killed. */
export const CANCEL_GRACE_MS = 5_000;
/** The end of the process's stderr kept for an error message when it dies without reporting. */
const STDERR_TAIL_CHARS = 2000;

export interface FlasherProcessOptions {
  signal?: AbortSignal;
  onMessage(message: FlasherMessage): void;
}

/** Resolves when the process has ended; what it did arrives through onMessage. */
export function runFlasherProcess(job: FlasherJob, options: FlasherProcessOptions): Promise<void> {
  const here = fileURLToPath(import.meta.url);
  // Under tsx (tests, the dev host) this is the .ts source: the child needs tsx's loader too.
  const fromSource = here.endsWith('.ts');
  const entry = outsideAsar(path.join(path.dirname(here), fromSource ? 'flasherEntry.ts' : 'flasherEntry.js'));
  const child = fork(entry, [], {
    execArgv: fromSource ? ['--import', 'tsx'] : [],
    // In Electron, process.execPath is the app: this makes it run the entry as plain Node.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS)));
  let reported = false;
  child.on('message', (raw: unknown) => {
    const message = FlasherMessage.safeParse(raw);
    if (!message.success) return;
    if (message.data.type === 'written' || message.data.type === 'failed' || message.data.type === 'finished') reported = true;
    options.onMessage(message.data);
  });
  const cancel = (): void => {
    if (child.connected) child.send({ type: 'cancel' });
    setTimeout(() => child.kill('SIGKILL'), CANCEL_GRACE_MS).unref();
  };
  options.signal?.addEventListener('abort', cancel, { once: true });
  return new Promise<void>((resolve) => {
    child.once('spawn', () => child.send(job));
    child.once('error', (err) => {
      if (!reported) options.onMessage({ type: 'failed', failure: 'other', message: `The flasher could not start: ${err.message}` });
      reported = true;
    });
    child.once('exit', (code, signal) => {
      options.signal?.removeEventListener('abort', cancel);
      if (!reported) {
        const why = options.signal?.aborted ? 'cancelled' : 'other';
        options.onMessage({ type: 'failed', failure: why, message: `The flasher stopped unexpectedly (${signal ?? `exit code ${code}`}). ${stderr.trim().split('\n').slice(-3).join(' ')}`.trim() });
      }
      resolve();
    });
  });
}
