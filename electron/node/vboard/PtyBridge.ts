/**
 * Serves a byte stream on a pseudo-terminal through Debian's `socat`, so any
 * serial client (`serialport`, mpremote, Thonny) opens the virtual board like
 * a USB board. socat copies between the pty master and its stdin/stdout pipes.
 *
 * A pty master reads EIO once every slave fd is closed, which makes socat
 * exit when the client closes the port; a real board survives that. So this
 * bridge holds one slave fd open itself (never reading from it): the client
 * can close and reopen the path at will.
 *
 * By default the pty link lives in a fresh temporary folder. A caller may
 * choose the path instead (`path`), e.g. to serve a board again where a killed
 * one was, as a USB board comes back under the same /dev name.
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
  /**
   * Where the pty's symlink goes; its folder must exist. A symlink already
   * there (left by a socat that was killed) is replaced; anything else there is
   * refused. Default: `tty` in a new temporary folder, removed by kill().
   */
  path?: string;
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

  /** Chosen paths served by bridges of this process: a second bridge must not take over a live one's link. */
  private static readonly pathsInUse = new Set<string>();
  /** The pty device socat created (/dev/pts/N), so kill() removes the link only while it still points there. */
  private device: string | undefined;

  private constructor(
    readonly path: string,
    /** The temporary folder holding the link; undefined for a chosen path (the folder is not ours). */
    private readonly dir: string | undefined,
    private readonly proc: ChildProcessWithoutNullStreams,
    private readonly options: PtyBridgeOptions,
  ) {}

  static async open(options: PtyBridgeOptions): Promise<PtyBridge> {
    let dir: string | undefined;
    let ptyPath: string;
    if (options.path === undefined) {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-vboard-'));
      ptyPath = path.join(dir, 'tty');
    } else {
      ptyPath = path.resolve(options.path);
      PtyBridge.claimPath(ptyPath);
    }
    const proc = spawn('socat', [`pty,rawer,link=${ptyPath}`, 'STDIO'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const bridge = new PtyBridge(ptyPath, dir, proc, options);
    try {
      await bridge.started();
    } catch (err) {
      if (!dir) PtyBridge.pathsInUse.delete(ptyPath);
      throw err;
    }
    return bridge;
  }

  /**
   * Makes a chosen path free for socat's link. A stale symlink must go first:
   * its /dev/pts number may already belong to another pty, and started() would
   * then take that pty for ours because the path already resolves.
   */
  private static claimPath(ptyPath: string): void {
    if (PtyBridge.pathsInUse.has(ptyPath)) throw new Error(`${ptyPath} is already served by another virtual board`);
    const folder = path.dirname(ptyPath);
    if (!fs.existsSync(folder)) throw new Error(`cannot serve a pty at ${ptyPath}: the folder ${folder} does not exist`);
    let existing: fs.Stats | undefined;
    try {
      existing = fs.lstatSync(ptyPath);
    } catch {
      // Nothing there: the usual case.
    }
    if (existing && !existing.isSymbolicLink()) throw new Error(`cannot serve a pty at ${ptyPath}: a file that is not a pty link is there`);
    if (existing) fs.unlinkSync(ptyPath);
    PtyBridge.pathsInUse.add(ptyPath);
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
      this.removeLink();
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
    this.device = fs.readlinkSync(this.path);
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
    return exited.then(() => this.removeLink());
  }

  /** SIGKILL leaves socat's symlink behind; without this the unplugged port would still seem present. */
  private removeLink(): void {
    if (this.dir) {
      fs.rmSync(this.dir, { recursive: true, force: true });
      return;
    }
    PtyBridge.pathsInUse.delete(this.path);
    try {
      // Only our own link: another bridge may already serve this path again.
      if (this.device !== undefined && fs.readlinkSync(this.path) === this.device) fs.unlinkSync(this.path);
    } catch {
      // Already gone.
    }
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
