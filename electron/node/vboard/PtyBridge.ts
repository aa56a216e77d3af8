/**
 * Serves a byte stream on a pseudo-terminal through Debian's `socat`, so any
 * serial client (`serialport`, mpremote, Thonny) opens the virtual board like
 * a USB board. socat copies between the pty master and its stdin/stdout pipes.
 *
 * A pty master reads EIO once every slave fd is closed, which makes socat
 * exit when the client closes the port; a real board survives that. So this
 * bridge holds one slave fd open itself (never reading from it): the client
 * can close and reopen the path at will.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** How long socat may take to create the pty link. */
export const PTY_START_TIMEOUT_MS = 5000;
const PTY_POLL_MS = 10;
/** Output queued for a client that is not reading; beyond this it is dropped, as a UART nobody listens to would. */
export const PTY_OUTPUT_LIMIT_BYTES = 64 * 1024;

export interface PtyBridgeOptions {
  /** Bytes the client wrote. */
  onData: (chunk: Uint8Array) => void;
  /** socat ended on its own (not through close/kill). */
  onExit?: (reason: string) => void;
  debug?: (message: string) => void;
}

export class PtyBridge {
  private holderFd: number | undefined;
  private ended = false;
  private exitResolvers: Array<() => void> = [];

  private constructor(
    readonly path: string,
    private readonly dir: string,
    private readonly proc: ChildProcessWithoutNullStreams,
    private readonly options: PtyBridgeOptions,
  ) {}

  static async open(options: PtyBridgeOptions): Promise<PtyBridge> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-vboard-'));
    const ptyPath = path.join(dir, 'tty');
    const proc = spawn('socat', [`pty,rawer,link=${ptyPath}`, 'STDIO'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const bridge = new PtyBridge(ptyPath, dir, proc, options);
    await bridge.started();
    return bridge;
  }

  private async started(): Promise<void> {
    let spawnError: Error | undefined;
    this.proc.on('error', (err) => {
      spawnError = err;
    });
    this.proc.stderr.on('data', (chunk: Buffer) => this.options.debug?.(`socat: ${chunk.toString().trim()}`));
    this.proc.stdout.on('data', (chunk: Buffer) => this.options.onData(new Uint8Array(chunk)));
    this.proc.stdin.on('error', () => {
      // socat went away; its exit handler reports it.
    });
    this.proc.on('exit', (code, signal) => {
      const wasEnded = this.ended;
      this.ended = true;
      this.releaseHolder();
      for (const r of this.exitResolvers.splice(0)) r();
      if (!wasEnded) this.options.onExit?.(`socat exited (${signal ?? code})`);
    });
    const deadline = Date.now() + PTY_START_TIMEOUT_MS;
    while (!fs.existsSync(this.path)) {
      if (spawnError) throw new Error(`cannot start socat (is the socat package installed?): ${spawnError.message}`);
      if (this.proc.exitCode !== null) throw new Error(`socat exited with code ${this.proc.exitCode} before creating ${this.path}`);
      if (Date.now() > deadline) {
        this.kill();
        throw new Error(`socat did not create ${this.path} within ${PTY_START_TIMEOUT_MS} ms`);
      }
      await new Promise((r) => setTimeout(r, PTY_POLL_MS));
    }
    this.holderFd = fs.openSync(this.path, fs.constants.O_RDWR | fs.constants.O_NOCTTY | fs.constants.O_NONBLOCK);
  }

  get isRunning(): boolean {
    return !this.ended;
  }

  /** Sends bytes to the client; dropped when the client has stopped reading for too long. */
  write(data: Uint8Array): void {
    if (this.ended || this.proc.stdin.writableLength > PTY_OUTPUT_LIMIT_BYTES) return;
    this.proc.stdin.write(data);
  }

  /** Stops taking the client's bytes (socat then stops reading the pty, and the client's writes block). */
  pause(): void {
    this.proc.stdout.pause();
  }

  resume(): void {
    this.proc.stdout.resume();
  }

  /** Ends socat and removes the pty: the client's port closes with an error, as when a cable is pulled. */
  kill(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) resolve();
      else this.exitResolvers.push(resolve);
    });
    this.ended = true;
    this.proc.kill('SIGKILL');
    this.releaseHolder();
    return exited.then(() => {
      fs.rmSync(this.dir, { recursive: true, force: true });
    });
  }

  private releaseHolder(): void {
    if (this.holderFd === undefined) return;
    try {
      fs.closeSync(this.holderFd);
    } catch {
      // Already gone with the pty.
    }
    this.holderFd = undefined;
  }
}
