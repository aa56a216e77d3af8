/**
 * The board's flash as the interpreter sees it: its file system minus the
 * folders that are not flash, the time writing takes, and keeping the host's
 * copy (FlashStore, on the main thread) in step.
 *
 * Persistence follows a board's: a file is committed when it is closed, or
 * when the REPL goes idle, never in the middle of a program's write.
 */
import type { MicroPythonFS } from '@micropython/micropython-webassembly-pyscript';
import type { FlashEntry } from '../boardProtocol.js';
import type { HostChannel } from './HostChannel.js';

/**
 * Writing flash takes time on a board: an ESP32 writes of the order of 100 KB/s
 * through its filesystem (sector erases included), and while it writes, Python
 * does not read the UART, whose small receive buffer then overflows. Without
 * this a write took no time at all, so no upload, however careless, could ever
 * lose bytes to a busy board the way real uploads do.
 */
const FLASH_WRITE_BYTES_PER_MS = 100;

/** Root entries of the interpreter's file system that are not the board's flash. */
const HIDDEN_ROOT_ENTRIES = new Set(['tmp', 'home', 'dev', 'proc']);

/** A path's content: bytes for a file, null for a folder. */
type Content = Uint8Array | null;

export class BoardFlash {
  /** Something may have changed since the last sync. */
  dirty = false;
  private fs: MicroPythonFS | undefined;
  private realReaddir!: (path: string) => string[];
  /** What the host has, as last synced. */
  private synced = new Map<string, Content>();
  /** Something to Atomics.wait on that nobody notifies: a precise sleep for flash work. */
  private readonly writeClock = new Int32Array(new SharedArrayBuffer(4));

  constructor(
    private readonly channel: HostChannel,
    /** The flash's block size, for os.statvfs(). */
    private readonly blockBytes: number,
  ) {}

  /** Takes the loaded interpreter's file system; from now on only the board's own files show at the root. */
  attach(fs: MicroPythonFS): void {
    this.fs = fs;
    this.realReaddir = fs.readdir.bind(fs);
    fs.readdir = (path: string) => {
      const names = this.realReaddir(path);
      return path === '/' || path === '' ? names.filter((n) => !HIDDEN_ROOT_ENTRIES.has(n)) : names;
    };
  }

  markDirty(): void {
    this.dirty = true;
  }

  /**
   * Called before the board spends time writing flash: what the program
   * printed until then goes out meanwhile, as a UART sends what is in its
   * transmit FIFO while the CPU writes flash (an upload's credit byte must not
   * wait for the write after it).
   */
  beforeWrite: (() => void) | undefined;

  /** The time a board spends writing `bytes` to flash, during which it reads no UART input. */
  spendWriteTime(bytes: number): void {
    if (bytes <= 0) return;
    this.beforeWrite?.();
    Atomics.wait(this.writeClock, 0, 0, bytes / FLASH_WRITE_BYTES_PER_MS);
  }

  /** Closing a written file is where littlefs commits it: persist now, so a kill right after still finds the file on the host. */
  fileClosed(): void {
    if (this.dirty && this.fs) this.sync();
  }

  /** Persists when something changed; called when the REPL is idle. */
  syncIfDirty(): void {
    if (this.dirty) this.sync();
  }

  /** Writes the host's flash into the file system at boot; it counts as synced. */
  load(entries: FlashEntry[]): void {
    const fs = this.attached();
    const sorted = [...entries].sort((a, b) => a.path.split('/').length - b.path.split('/').length);
    for (const { path, data } of sorted) {
      if (data === null) {
        if (!this.exists(path)) fs.mkdir(path);
      } else {
        fs.writeFile(path, data);
      }
      this.synced.set(path, data);
    }
    this.dirty = false;
  }

  /** Posts what changed since the last sync to the host. Does nothing before attach(). */
  sync(): void {
    if (!this.fs) return;
    this.dirty = false;
    const now = this.walk();
    const writes: FlashEntry[] = [];
    const deletes: string[] = [];
    for (const [path, data] of now) {
      const before = this.synced.get(path);
      if (before === undefined || !sameContent(before, data)) {
        if (before !== undefined && (before === null) !== (data === null)) deletes.push(path);
        writes.push({ path, data: data === null ? null : new Uint8Array(data) });
      }
    }
    for (const path of this.synced.keys()) if (!now.has(path)) deletes.push(path);
    this.synced = now;
    if (writes.length > 0 || deletes.length > 0) this.channel.post({ type: 'flash', writes, deletes });
  }

  /** Blocks in use, for os.statvfs(): a block per folder, and per started block of a file. */
  usedBlocks(): number {
    let blocks = 0;
    for (const data of this.walk().values()) blocks += data === null ? 1 : Math.max(1, Math.ceil(data.length / this.blockBytes));
    return blocks;
  }

  exists(path: string): boolean {
    try {
      this.attached().stat(path);
      return true;
    } catch {
      return false;
    }
  }

  private walk(dir = '/', out = new Map<string, Content>()): Map<string, Content> {
    const fs = this.attached();
    for (const name of this.realReaddir(dir)) {
      if (name === '.' || name === '..') continue;
      if (dir === '/' && HIDDEN_ROOT_ENTRIES.has(name)) continue;
      const path = dir === '/' ? `/${name}` : `${dir}/${name}`;
      const st = fs.stat(path);
      if (fs.isDir(st.mode)) {
        out.set(path, null);
        this.walk(path, out);
      } else if (fs.isFile(st.mode)) {
        out.set(path, fs.readFile(path));
      }
    }
    return out;
  }

  private attached(): MicroPythonFS {
    if (!this.fs) throw new Error('the board flash is used before the interpreter is loaded');
    return this.fs;
  }
}

function sameContent(a: Content, b: Content): boolean {
  if (a === null || b === null) return a === b;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}
