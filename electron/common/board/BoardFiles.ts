/**
 * File operations on the board, all built on the session's exec/eval (the
 * mpremote Transport shape): list, read, write, mkdir -p, remove, rename,
 * stat, disk usage. Strategies follow the probe: fast raw-byte streaming
 * through stdin where the board can, base64 (optionally deflated) commands
 * where it cannot, and compact bytes literals for 1.9-era firmware.
 */
import { BOARD_ERRNO, BoardError, BoardExecError, errnoName } from './BoardError.js';
import type { BoardInfo } from './BoardProbe.js';
import type { BoardSession, ProgramIO, RawRepl } from './BoardSession.js';
import { cancelledError, concatBytes } from './repl/ByteReader.js';
import { boardBasename, boardDirname, joinBoardPath, normalizeBoardPath } from './boardPath.js';
import { base64ToBytes as fromBase64, bytesToBase64 as toBase64 } from '../util/base64.js';
import { toHex, type HostCodec } from './HostCodec.js';
import { parsePyBytesRepr, parsePyStrRepr, pyBytesEscapedLength, pyBytesLiteral, pyRepr } from './python/pyRepr.js';

export type ProgressCallback = (done: number, total: number) => void;

export interface FileOpOptions {
  signal?: AbortSignal;
  /** `total` is 0 when it is not known in advance (listing, recursive removal). */
  onProgress?: ProgressCallback;
}

export interface BoardFileEntry {
  path: string;
  name: string;
  type: 'file' | 'dir';
  /** Bytes; -1 where the firmware cannot tell. */
  size: number;
}

export interface BoardStat {
  path: string;
  type: 'file' | 'dir';
  size: number;
  /** Seconds since the board's epoch, 0 where unknown. */
  mtime: number;
}

export interface DiskUsage {
  totalBytes: number;
  usedBytes: number;
  freeBytes: number;
}

/** How file data travels: chosen from the probe unless forced (tests, benchmarks). */
export type TransferEncoding = 'stream' | 'base64' | 'repr';

export interface WriteOptions extends FileOpOptions {
  /** Skip when the board's sha256 of the file already matches (default true where hashlib exists). */
  skipIfSame?: boolean;
  encoding?: TransferEncoding;
  /** Deflate blocks where the board has the deflate module (default true). */
  compress?: boolean;
}

export interface WriteResult {
  skipped: boolean;
  bytes: number;
  encoding: TransferEncoding | 'none';
  /** Bytes that went over the link for the data itself (after compression and encoding). */
  wireBytes: number;
  /** False on firmware without os.rename: the file was written in place. */
  atomic: boolean;
  /** Whether the board checked the data with sha256 (else by size only). */
  hashVerified: boolean;
}

export interface BoardFilesOptions {
  /** Per streamed chunk: base wait for the board's ack, plus per-byte time below (covers 9600 baud). */
  CHUNK_ACK_BASE_MS?: number;
  CHUNK_ACK_PER_BYTE_MS?: number;
  /** Limit for long board-side steps (walking a big tree, hashing a big file). */
  LONG_STEP_TIMEOUT_MS?: number;
}

/** Plan for one transfer, sized from the probe's free heap. */
export interface TransferPlan {
  /** Streamed chunk (and decompressed block) size in bytes. */
  chunkBytes: number;
  /** Largest command we send in the command-based encodings. */
  commandBytes: number;
  /** Deflate window: 2^wbits bytes on the board. */
  wbits: number;
}

/** stat()[0] bit for directories (S_IFDIR). */
const S_IFDIR = 0x4000;
/** Stream framing: a 2-byte little-endian header per chunk; high bit = deflated. */
const STREAM_DEFLATED_FLAG = 0x8000;
const STREAM_END_HEADER = 0x0000;
const STREAM_ABORT_HEADER = 0xffff;
/** The byte the board's receive loop sends when it is ready for the next chunk. */
const STREAM_ACK = 0x41; // 'A'
/**
 * Within a chunk the board reads this many bytes at a time and credits each
 * window it has taken (but the last) with STREAM_WINDOW_ACK; the host keeps
 * at most STREAM_WINDOWS_IN_FLIGHT windows (plus the 2-byte header) unread,
 * which fits an ESP32's 256-byte UART receive buffer. Without it an 8 KB chunk
 * was sent in one go, and a board held up for longer than its buffer lasts
 * (22 ms at 115200 baud) in the middle of a chunk lost bytes silently, after
 * which the upload stalled until the ack timed out.
 */
const STREAM_WINDOW_BYTES = 112;
const STREAM_WINDOWS_IN_FLIGHT = 2;
const STREAM_WINDOW_ACK = 0x61; // 'a'
/**
 * Abort after lost bytes: filler bytes go out a window at a time, this far
 * apart (a 112-byte window takes ~10 ms at 115200 baud), so the filler itself
 * does not overrun the board's receive buffer.
 */
const STREAM_ABORT_PACE_MS = 15;
/** Filler for the abort: any two of these read as a header are STREAM_ABORT_HEADER. */
const STREAM_ABORT_FILL = 0xff;
/** Compressed blocks are sent only when they save at least this fraction. */
const DEFLATE_MIN_SAVING = 0.05;
/** Suffix of the temporary file written next to the target. */
export const TEMP_SUFFIX = '.pwtmp';

function pow2Floor(n: number): number {
  return 2 ** Math.floor(Math.log2(Math.max(1, n)));
}

/** Chunk and command sizes for a board with this much free heap (kept well inside it). */
export function planTransfer(info: BoardInfo): TransferPlan {
  const heap = info.freeHeapBytes > 0 ? info.freeHeapBytes : 16 * 1024;
  // Stream path needs ~3 chunks (input, output, BytesIO copy) plus the window.
  const chunkBytes = Math.min(8192, Math.max(256, pow2Floor(heap / 10)));
  // 1.9-era boards (~10 KB heap) fail to compile commands over ~1.5 KB.
  const commandBytes = Math.min(4096, Math.max(768, pow2Floor(heap / 16)));
  const wbits = Math.min(15, Math.max(9, Math.log2(chunkBytes)));
  return { chunkBytes, commandBytes, wbits };
}

export function tempPathFor(path: string): string {
  const dir = boardDirname(path);
  const name = '.' + boardBasename(path) + TEMP_SUFFIX;
  return dir ? joinBoardPath(dir, name) : name;
}

// ---- board-side snippets (Python that 1.9-era firmware also parses: no f-strings) ----

function importAs(mod: string): string {
  return `try:import ${mod}\nexcept ImportError:import u${mod} as ${mod}\n`;
}

const OS = importAs('os');

/** `_sz(p)`: the size of a file, -1 when it does not exist. */
function sizeFn(info: BoardInfo): string {
  const expr = info.has.stat ? 'os.stat(p)[6]' : info.has.size ? 'os.size(p)' : 'len(open(p,"rb").read())';
  return `def _sz(p):\n try:return ${expr}\n except OSError:return -1\n`;
}

/** `_hx(p)`: hex sha256 of a file, read in 512-byte pieces. */
const SHA_FN =
  importAs('hashlib') +
  'def _hx(p):\n' +
  ' h=hashlib.sha256();b=bytearray(512);m=memoryview(b);f=open(p,"rb")\n' +
  ' while 1:\n' +
  '  n=f.readinto(b)\n' +
  '  if not n:break\n' +
  '  h.update(m[:n])\n' +
  ' f.close()\n' +
  ' return "".join(["%02x"%x for x in h.digest()])\n';

/** `_j(d,n)`: a child path. */
const JOIN_FN = 'def _j(d,n):\n return d+n if d in ("","/") else d+"/"+n\n';

export class BoardFiles {
  private readonly opts: Required<BoardFilesOptions>;

  constructor(
    readonly session: BoardSession,
    private readonly codec: HostCodec,
    options: BoardFilesOptions = {},
  ) {
    this.opts = {
      CHUNK_ACK_BASE_MS: options.CHUNK_ACK_BASE_MS ?? 3000,
      CHUNK_ACK_PER_BYTE_MS: options.CHUNK_ACK_PER_BYTE_MS ?? 1.2,
      LONG_STEP_TIMEOUT_MS: options.LONG_STEP_TIMEOUT_MS ?? 60_000,
    };
  }

  /** Runs `fn` in the raw REPL with the board's info (probing first if nobody has). */
  private async op<T>(label: string, opts: FileOpOptions, fn: (repl: RawRepl, info: BoardInfo) => Promise<T>): Promise<T> {
    let info = this.session.info;
    if (!info) info = await this.session.probe({ signal: opts.signal });
    const known = info;
    return this.session.run((repl) => fn(repl, known), { signal: opts.signal, label });
  }

  /** Turns board errnos into errors that say which path and what to do. */
  private explain(err: unknown, path: string): unknown {
    if (!(err instanceof BoardExecError)) return err;
    switch (err.errno) {
      case BOARD_ERRNO.ENOENT:
        return new BoardError('NOT_FOUND', `No such file or folder on the board: ${path}`, { cause: err });
      case BOARD_ERRNO.EEXIST:
        return new BoardExecError(err.traceback, err.stdout, `Something named ${path} already exists on the board.`);
      case BOARD_ERRNO.ENOTDIR:
        return new BoardExecError(err.traceback, err.stdout, `${path} (or a folder above it) is a file, not a folder.`);
      case BOARD_ERRNO.EISDIR:
        return new BoardExecError(err.traceback, err.stdout, `${path} is a folder, not a file.`);
      case BOARD_ERRNO.ENOTEMPTY:
        return new BoardExecError(err.traceback, err.stdout, `The folder ${path} is not empty.`);
      case BOARD_ERRNO.ENOSPC:
        return new BoardExecError(err.traceback, err.stdout, `The board's storage is full while writing ${path}. Delete some files and try again.`);
      case BOARD_ERRNO.EROFS:
        return new BoardExecError(err.traceback, err.stdout, `The board's filesystem is read-only (${path}).`);
      default:
        if (err.errno !== undefined) {
          const name = errnoName(err.errno);
          return new BoardExecError(err.traceback, err.stdout, `${err.message} (${name ?? 'errno ' + err.errno}, ${path})`);
        }
        return err;
    }
  }

  private async guarded<T>(path: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw this.explain(err, path);
    }
  }

  // ---- stat / list ------------------------------------------------------------

  async stat(path: string, opts: FileOpOptions = {}): Promise<BoardStat> {
    const p = normalizeBoardPath(path);
    return this.op('reading file information', opts, (repl, info) =>
      this.guarded(p, async () => {
        let code: string;
        if (info.has.stat) code = `${OS}s=os.stat(${pyRepr(p)})\nprint(s[0],s[6],s[8])\ndel s`;
        else if (info.has.size) code = `${OS}print(0,os.size(${pyRepr(p)}),0)`;
        else throw new BoardError('UNSUPPORTED', 'This firmware has neither os.stat nor os.size.');
        const out = (await repl.exec(code)).stdout.trim().split(/\s+/).map(Number);
        if (out.length < 3 || out.some((n) => !Number.isFinite(n))) {
          throw new BoardError('PROTOCOL', `Unexpected stat output for ${p}.`);
        }
        const [mode, size, mtime] = out as [number, number, number];
        return { path: p, type: mode & S_IFDIR ? 'dir' : 'file', size, mtime };
      }),
    );
  }

  /**
   * Lists a folder (recursively when asked). A missing folder is a NOT_FOUND
   * error, never an empty list. Entries stream in as the board prints them.
   */
  async list(path = '/', opts: FileOpOptions & { recursive?: boolean } = {}): Promise<BoardFileEntry[]> {
    const p = normalizeBoardPath(path === '' ? '/' : path);
    return this.op('listing files', opts, (repl, info) =>
      this.guarded(p, async () => {
        const entries: BoardFileEntry[] = [];
        let partial = '';
        const onStdout = (text: string) => {
          const lines = (partial + text).split('\n');
          partial = lines.pop() ?? '';
          for (const line of lines) {
            const entry = parseListLine(line.replace(/\r$/, ''));
            if (entry) {
              entries.push(entry);
              opts.onProgress?.(entries.length, 0);
            }
          }
        };
        await repl.exec(listCode(p, opts.recursive === true, info), { onStdout, timeoutMs: this.opts.LONG_STEP_TIMEOUT_MS });
        if (partial.trim()) onStdout('\n');
        return entries;
      }),
    );
  }

  // ---- read ---------------------------------------------------------------------

  async read(path: string, opts: FileOpOptions = {}): Promise<Uint8Array> {
    const p = normalizeBoardPath(path);
    return this.op('reading a file', opts, (repl, info) =>
      this.guarded(p, async () => {
        const plan = planTransfer(info);
        const useBase64 = info.has.b2aBase64;
        // base64 lines are 4/3 of the chunk; repr lines up to 4x, so smaller chunks there.
        const chunk = useBase64 ? Math.min(plan.chunkBytes, 3 * 1024) : Math.max(64, Math.min(256, plan.chunkBytes / 4));
        const parts: Uint8Array[] = [];
        let total = -1;
        let done = 0;
        let partial = '';
        const onStdout = (text: string) => {
          const lines = (partial + text).split('\n');
          partial = lines.pop() ?? '';
          for (const raw of lines) {
            const line = raw.replace(/\r$/, '');
            if (total < 0) {
              total = Number(line);
              if (!Number.isFinite(total)) throw new BoardError('PROTOCOL', `Unexpected size line while reading ${p}: ${line}`);
              opts.onProgress?.(0, total);
              continue;
            }
            if (line === '') continue;
            const bytes = useBase64 ? fromBase64(line) : parsePyBytesRepr(line);
            parts.push(bytes);
            done += bytes.length;
            opts.onProgress?.(done, Math.max(total, done));
          }
        };
        const code =
          OS +
          sizeFn(info) +
          (useBase64 ? importAs('binascii') : '') +
          `print(_sz(${pyRepr(p)}))\n` +
          `f=open(${pyRepr(p)},"rb")\n` +
          'try:\n' +
          ' while 1:\n' +
          `  b=f.read(${chunk})\n` +
          '  if not b:break\n' +
          (useBase64 ? '  print(binascii.b2a_base64(b).decode().strip())\n' : '  print(repr(b))\n') +
          'finally:\n' +
          ' f.close()\n' +
          'del f,_sz';
        await repl.exec(code, { onStdout, timeoutMs: this.opts.LONG_STEP_TIMEOUT_MS, signal: opts.signal });
        if (partial.trim()) onStdout('\n');
        const data = concatBytes(parts);
        if (total >= 0 && data.length !== total) {
          throw new BoardError('VERIFY_FAILED', `Read ${data.length} bytes of ${p}, but the board said it has ${total}. Try again.`);
        }
        return data;
      }),
    );
  }

  // ---- write --------------------------------------------------------------------

  /**
   * Writes a file atomically where the firmware allows: the data goes to a
   * temporary file next to the target, the board checks its size (and sha256
   * where hashlib exists), and only then renames it over the target, so an
   * interrupted write leaves the old file intact. A stale temporary file from
   * an earlier interrupted write is removed first. A file whose sha256 already
   * matches is not sent again (`skipped: true`).
   */
  async write(path: string, data: Uint8Array, opts: WriteOptions = {}): Promise<WriteResult> {
    const p = normalizeBoardPath(path);
    if (p === '' || p === '/') throw new BoardError('INVALID', 'Choose a file name to write on the board.');
    return this.op('writing a file', opts, (repl, info) =>
      this.guarded(p, async () => {
        const sha = info.has.sha256;
        const atomic = info.has.rename;
        const target = atomic ? tempPathFor(p) : p;
        const hostHash = sha ? toHex(await this.codec.sha256(data)) : '';
        opts.onProgress?.(0, data.length);

        // 1. Clean a stale temp file; compare with what is there.
        const prep =
          OS +
          sizeFn(info) +
          (sha ? SHA_FN : '') +
          (atomic ? `try:os.remove(${pyRepr(target)})\nexcept OSError:pass\n` : '') +
          (info.has.stat ? `try:\n if os.stat(${pyRepr(p)})[0]&${S_IFDIR}:raise OSError(${BOARD_ERRNO.EISDIR})\nexcept OSError as e:\n if e.args[0]==${BOARD_ERRNO.EISDIR}:raise\n` : '') +
          `s=_sz(${pyRepr(p)})\n` +
          `print(s)\n` +
          (sha && opts.skipIfSame !== false ? `if s==${data.length}:print(_hx(${pyRepr(p)}))\n` : '') +
          'del s';
        const prepOut = (await repl.exec(prep, { timeoutMs: this.opts.LONG_STEP_TIMEOUT_MS })).stdout.trim().split(/\r?\n/);
        if (sha && opts.skipIfSame !== false && Number(prepOut[0]) === data.length && prepOut[1]?.trim() === hostHash) {
          opts.onProgress?.(data.length, data.length);
          return { skipped: true, bytes: data.length, encoding: 'none', wireBytes: 0, atomic, hashVerified: true };
        }

        // 2. Send the data to the temporary file (or in place without os.rename).
        const encoding = opts.encoding ?? chooseEncoding(info);
        assertEncodingPossible(encoding, info);
        const compress = opts.compress !== false && info.has.deflate;
        let wireBytes: number;
        if (encoding === 'stream') wireBytes = await this.sendStream(repl, info, target, data, compress, opts);
        else wireBytes = await this.sendCommands(repl, info, target, data, encoding, compress && encoding === 'base64', opts);

        // 3. Verify on the board, then rename into place.
        const verify =
          OS +
          sizeFn(info) +
          (sha ? SHA_FN : '') +
          `s=_sz(${pyRepr(target)})\n` +
          `h=${sha ? `_hx(${pyRepr(target)})` : '""'}\n` +
          `if s==${data.length} and h==${pyRepr(hostHash)}:\n` +
          (atomic
            ? ` try:os.rename(${pyRepr(target)},${pyRepr(p)})\n` +
              // FAT refuses to rename over an existing file on some ports: remove, then rename.
              ` except OSError:\n  os.remove(${pyRepr(p)});os.rename(${pyRepr(target)},${pyRepr(p)})\n`
            : '') +
          ' print("ok")\n' +
          'else:\n' +
          (atomic ? ` os.remove(${pyRepr(target)})\n` : '') +
          ' print("bad",s,h)\n' +
          'del s,h';
        const verdict = (await repl.exec(verify, { timeoutMs: this.opts.LONG_STEP_TIMEOUT_MS })).stdout.trim();
        if (verdict !== 'ok') {
          throw new BoardError(
            'VERIFY_FAILED',
            `The board received ${p} damaged (${verdict}; expected ${data.length} bytes${sha ? ' sha256 ' + hostHash : ''}). ` +
              (atomic ? 'The old file was left as it was. ' : '') +
              'Try again; if it keeps happening, use a lower baud rate or another cable.',
          );
        }
        opts.onProgress?.(data.length, data.length);
        return { skipped: false, bytes: data.length, encoding, wireBytes, atomic, hashVerified: sha };
      }),
    );
  }

  /**
   * The fast path: one board program reads raw bytes from stdin into a
   * preallocated buffer and writes them out; Ctrl-C interception is off
   * (kbd_intr(-1)) so data bytes 0x03 pass, and always restored. The host sends
   * one chunk, then waits for the board's ack before the next, so a board busy
   * writing flash can never have its UART buffer overrun. Deflated blocks are
   * inflated on the board with DeflateIO.
   */
  private async sendStream(repl: RawRepl, info: BoardInfo, target: string, data: Uint8Array, compress: boolean, opts: WriteOptions): Promise<number> {
    const plan = planTransfer(info);
    const C = plan.chunkBytes;
    const code =
      OS +
      'import sys,micropython\n' +
      (compress ? 'import deflate,io\n' : '') +
      `f=open(${pyRepr(target)},"wb")\n` +
      `b=bytearray(${C});m=memoryview(b);hd=bytearray(2)\n` +
      (compress ? `o=bytearray(${C});om=memoryview(o)\n` : '') +
      'r=sys.stdin.buffer.readinto;w=sys.stdout.write;ok=0\n' +
      'micropython.kbd_intr(-1)\n' +
      'try:\n' +
      ` w("${String.fromCharCode(STREAM_ACK)}")\n` +
      ' while 1:\n' +
      '  r(hd)\n' +
      '  n=hd[0]|hd[1]<<8\n' +
      `  if n==${STREAM_END_HEADER}:\n   ok=1;break\n` +
      `  if n==${STREAM_ABORT_HEADER}:break\n` +
      `  k=n&${STREAM_DEFLATED_FLAG - 1}\n` +
      '  i=0\n' +
      '  while i<k:\n' +
      `   j=min(k,i+${STREAM_WINDOW_BYTES})\n` +
      '   r(m[i:j])\n' +
      '   i=j\n' +
      `   if i<k:w("${String.fromCharCode(STREAM_WINDOW_ACK)}")\n` +
      (compress
        ? `  if n&${STREAM_DEFLATED_FLAG}:\n` +
          `   d=deflate.DeflateIO(io.BytesIO(m[:k]),deflate.RAW,${plan.wbits})\n` +
          '   while 1:\n' +
          '    j=d.readinto(o)\n' +
          '    if not j:break\n' +
          '    f.write(om[:j])\n' +
          '   d=None\n' +
          '  else:f.write(m[:k])\n'
        : '  f.write(m[:k])\n') +
      `  w("${String.fromCharCode(STREAM_ACK)}")\n` +
      'finally:\n' +
      ' micropython.kbd_intr(3)\n' +
      ' f.close()\n' +
      ` if not ok:os.remove(${pyRepr(target)})\n` +
      'print("ok" if ok else "aborted")\n' +
      'del f,b,m,hd,r,w,ok' +
      (compress ? ',o,om' : '');

    const signal = opts.signal;
    let wire = 0;
    let cancelled = false;
    const prepare = async (offset: number): Promise<{ payload: Uint8Array; header: number; rawLen: number }> => {
      const raw = data.subarray(offset, offset + C);
      if (compress && raw.length >= 64) {
        const z = await this.codec.deflateRaw(raw, plan.wbits);
        if (z.length <= raw.length * (1 - DEFLATE_MIN_SAVING) && z.length < STREAM_DEFLATED_FLAG) {
          return { payload: z, header: z.length | STREAM_DEFLATED_FLAG, rawLen: raw.length };
        }
      }
      return { payload: raw, header: raw.length, rawLen: raw.length };
    };
    const ack = async (io: ProgramIO, what: string, bytes: number, expected = STREAM_ACK) => {
      const b = await io.read(1, { timeoutMs: this.opts.CHUNK_ACK_BASE_MS + bytes * this.opts.CHUNK_ACK_PER_BYTE_MS, what });
      if (b[0] !== expected) throw new BoardError('PROTOCOL', `Expected the board's ack while ${what}, got byte 0x${b[0]!.toString(16)}.`);
    };
    // Over a UART never more unread bytes at the board than its receive buffer holds; over native
    // USB the transport holds us back itself, so the whole chunk goes at once (about twice as fast).
    const windowsInFlight = this.session.link.flowControlled === true ? Number.POSITIVE_INFINITY : STREAM_WINDOWS_IN_FLIGHT;
    /** One chunk, window by window: the board credits each window it has read. */
    const sendChunk = async (io: ProgramIO, head: Uint8Array, payload: Uint8Array, what: string) => {
      const windows: Uint8Array[] = [];
      for (let i = 0; i < payload.length; i += STREAM_WINDOW_BYTES) windows.push(payload.subarray(i, i + STREAM_WINDOW_BYTES));
      let sent = Math.min(windowsInFlight, windows.length);
      await io.write(concatBytes([head, ...windows.slice(0, sent)]));
      for (let credited = 0; credited < windows.length - 1; credited++) {
        await ack(io, what, STREAM_WINDOW_BYTES * STREAM_WINDOWS_IN_FLIGHT, STREAM_WINDOW_ACK);
        if (sent < windows.length) await io.write(windows[sent++]!);
      }
    };
    const header = (n: number) => Uint8Array.of(n & 0xff, n >> 8);

    /**
     * The board may sit in readinto() waiting for bytes that were lost on the
     * line, with Ctrl-C switched off and so deaf to the usual recovery: fill
     * whatever read it is blocked in (at most one chunk plus a header) with
     * 0xFF, which it then reads as the abort header. It restores Ctrl-C,
     * removes the temp file and ends the program; the old file stays.
     */
    const unblockBoard = async (io: ProgramIO) => {
      const fill = new Uint8Array(STREAM_WINDOW_BYTES).fill(STREAM_ABORT_FILL);
      for (let left = C + 2 + STREAM_WINDOW_BYTES; left > 0; left -= fill.length) {
        await io.write(fill.subarray(0, Math.min(left, fill.length)));
        await new Promise<void>((resolve) => setTimeout(() => resolve(), STREAM_ABORT_PACE_MS));
      }
    };

    await repl.execInteractive(
      code,
      (io) => streamChunks(io).catch(async (err: unknown) => {
        if (err instanceof BoardError && (err.code === 'TIMEOUT' || err.code === 'PROTOCOL')) await unblockBoard(io).catch(() => undefined);
        throw err;
      }),
      { timeoutMs: this.opts.LONG_STEP_TIMEOUT_MS },
    );
    if (cancelled) throw cancelledError(signal);
    return wire;

    async function streamChunks(io: ProgramIO): Promise<void> {
      await ack(io, 'starting the upload', 0);
      let offset = 0;
      let next = data.length ? prepare(0) : undefined;
      while (next) {
        const block = await next;
        if (signal?.aborted) {
          cancelled = true;
          await io.write(header(STREAM_ABORT_HEADER));
          return;
        }
        offset += block.rawLen;
        // Compress the next block while this one is on the wire.
        next = offset < data.length ? prepare(offset) : undefined;
        next?.catch(() => undefined);
        await sendChunk(io, header(block.header), block.payload, `uploading (${offset} of ${data.length} bytes)`);
        wire += 2 + block.payload.length;
        await ack(io, `uploading (${offset} of ${data.length} bytes)`, block.payload.length);
        opts.onProgress?.(offset, data.length);
      }
      await io.write(header(STREAM_END_HEADER));
    }
  }

  /**
   * Command-based transfer for boards without a usable stdin: the file stays
   * open in a global between raw commands, each command carrying one piece
   * as base64 (deflated where that saves) or as a compact bytes literal.
   * Pieces are sized from the heap so 1.9-era boards never see a command
   * near the ~1.5 KB that they fail to compile.
   */
  private async sendCommands(
    repl: RawRepl,
    info: BoardInfo,
    target: string,
    data: Uint8Array,
    encoding: 'base64' | 'repr',
    compress: boolean,
    opts: WriteOptions,
  ): Promise<number> {
    const plan = planTransfer(info);
    const budget = plan.commandBytes - 16; // room for `_w(...)` around the literal
    const openCode =
      `_f=open(${pyRepr(target)},"wb")\n_w=_f.write\n` +
      (encoding === 'base64' ? importAs('binascii') + '_a=binascii.a2b_base64\n' : '') +
      (compress
        ? 'import deflate,io\n' +
          `_o=bytearray(${plan.chunkBytes})\n` +
          'def _z(b):\n' +
          ` d=deflate.DeflateIO(io.BytesIO(_a(b)),deflate.RAW,${plan.wbits})\n` +
          ' while 1:\n' +
          '  j=d.readinto(_o)\n' +
          '  if not j:break\n' +
          '  _w(memoryview(_o)[:j])\n'
        : '');
    const closeCode = `_f.close()\ndel _f,_w${encoding === 'base64' ? ',_a' : ''}${compress ? ',_o,_z' : ''}`;
    const abortCode = `${OS}_f.close()\n${info.has.rename ? `os.remove(${pyRepr(target)})\n` : ''}${closeCode.split('\n')[1]}`;

    await repl.exec(openCode);
    let wire = 0;
    let offset = 0;
    try {
      while (offset < data.length) {
        if (opts.signal?.aborted) throw cancelledError(opts.signal);
        let cmd: string;
        let used: number;
        if (encoding === 'base64') {
          const rawCap = Math.floor(budget / 4) * 3;
          let sent = false;
          cmd = '';
          used = 0;
          if (compress) {
            // Try a bigger raw piece that may deflate under the budget; halve until it fits.
            for (let take = Math.min(plan.chunkBytes, rawCap * 4); take > rawCap; take = Math.floor(take / 2)) {
              const piece = data.subarray(offset, offset + take);
              const z = await this.codec.deflateRaw(piece, plan.wbits);
              const b64 = toBase64(z);
              if (b64.length <= budget && z.length <= piece.length * (1 - DEFLATE_MIN_SAVING)) {
                cmd = `_z(b'${b64}')`;
                used = piece.length;
                sent = true;
                break;
              }
              if (piece.length < take) break; // the rest of the file did not fit either
            }
          }
          if (!sent) {
            const piece = data.subarray(offset, offset + rawCap);
            cmd = `_w(_a(b'${toBase64(piece)}'))`;
            used = piece.length;
          }
        } else {
          let len = 3;
          let end = offset;
          while (end < data.length && len + pyBytesEscapedLength(data[end]!) <= budget) len += pyBytesEscapedLength(data[end++]!);
          cmd = `_w(${pyBytesLiteral(data.subarray(offset, end))})`;
          used = end - offset;
        }
        await repl.exec(cmd);
        wire += cmd.length;
        offset += used;
        opts.onProgress?.(offset, data.length);
      }
      await repl.exec(closeCode);
    } catch (err) {
      // Leave no half-written temp file and no open handle behind.
      await repl.exec(abortCode, { cancellable: false }).catch(() => undefined);
      throw err;
    }
    return wire;
  }

  // ---- mkdir / remove / rename / df ------------------------------------------------

  /** mkdir -p: creates every missing folder on the way; an existing folder is fine, an existing file is not. */
  async mkdir(path: string, opts: FileOpOptions = {}): Promise<void> {
    const p = normalizeBoardPath(path);
    if (p === '' || p === '/') return;
    await this.op('creating a folder', opts, (repl, info) =>
      this.guarded(p, async () => {
        if (!info.has.mkdir) throw new BoardError('UNSUPPORTED', 'This firmware has no folders (os.mkdir is missing).');
        const code =
          OS +
          `c="/" if ${pyRepr(p)}[:1]=="/" else ""\n` +
          `for s in ${pyRepr(p)}.split("/"):\n` +
          ' if not s:continue\n' +
          ' c=c+s if c in ("","/") else c+"/"+s\n' +
          ' try:os.mkdir(c)\n' +
          ' except OSError as e:\n' +
          '  try:d=os.stat(c)[0]&' + S_IFDIR + '\n' +
          '  except OSError:raise e\n' +
          `  if not d:raise OSError(${BOARD_ERRNO.EEXIST})\n` +
          'del c,s';
        await repl.exec(code);
        opts.onProgress?.(1, 1);
      }),
    );
  }

  /** Removes a file, or a folder (with everything in it when `recursive`). Refuses the root. */
  async remove(path: string, opts: FileOpOptions & { recursive?: boolean } = {}): Promise<void> {
    const p = normalizeBoardPath(path);
    if (p === '' || p === '/') throw new BoardError('INVALID', 'Refusing to remove the root of the board.');
    await this.op('removing', opts, (repl, info) =>
      this.guarded(p, async () => {
        let removed = 0;
        const onStdout = (t: string) => {
          const n = (t.match(/x/g) ?? []).length;
          if (n) {
            removed += n;
            opts.onProgress?.(removed, 0);
          }
        };
        const fileOnly = `${OS}os.remove(${pyRepr(p)})\nprint("x")`;
        if (!info.has.stat || !info.has.ilistdir) {
          await repl.exec(fileOnly, { onStdout });
          return;
        }
        const code =
          OS +
          JOIN_FN +
          `P=${pyRepr(p)}\n` +
          `if not os.stat(P)[0]&${S_IFDIR}:\n os.remove(P);print("x")\n` +
          (opts.recursive
            ? 'else:\n' +
              ' st=[(P,0)]\n' +
              ' while st:\n' +
              '  d,v=st.pop()\n' +
              '  if v:\n   os.rmdir(d);print("x");continue\n' +
              '  st.append((d,1))\n' +
              '  for e in list(os.ilistdir(d)):\n' +
              '   q=_j(d,e[0])\n' +
              `   if e[1]&${S_IFDIR}:st.append((q,0))\n` +
              '   else:os.remove(q);print("x")\n' +
              ' del st\n'
            : 'else:\n os.rmdir(P);print("x")\n') +
          'del P,_j';
        await repl.exec(code, { onStdout, timeoutMs: this.opts.LONG_STEP_TIMEOUT_MS, signal: opts.signal });
      }),
    );
  }

  async rename(from: string, to: string, opts: FileOpOptions = {}): Promise<void> {
    const a = normalizeBoardPath(from);
    const b = normalizeBoardPath(to);
    await this.op('renaming', opts, (repl, info) =>
      this.guarded(a, async () => {
        if (!info.has.rename) throw new BoardError('UNSUPPORTED', 'This firmware cannot rename files (os.rename is missing).');
        await repl.exec(`${OS}os.rename(${pyRepr(a)},${pyRepr(b)})`);
        opts.onProgress?.(1, 1);
      }),
    );
  }

  /** Size and free space of the filesystem holding `path` (os.statvfs). */
  async diskUsage(path = '/', opts: FileOpOptions = {}): Promise<DiskUsage> {
    const p = normalizeBoardPath(path) || '/';
    return this.op('reading disk usage', opts, (repl, info) =>
      this.guarded(p, async () => {
        if (!info.has.statvfs) throw new BoardError('UNSUPPORTED', 'This firmware cannot report disk usage (os.statvfs is missing).');
        const out = (await repl.exec(`${OS}s=os.statvfs(${pyRepr(p)})\nprint(s[0],s[1],s[2],s[3],s[4])\ndel s`)).stdout;
        const [bsize, frsize, blocks, bfree, bavail] = out.trim().split(/\s+/).map(Number) as number[];
        if ([bsize, frsize, blocks, bfree, bavail].some((n) => n === undefined || !Number.isFinite(n))) {
          throw new BoardError('PROTOCOL', `Unexpected statvfs output: ${out.trim()}`);
        }
        const unit = frsize! > 0 ? frsize! : bsize!;
        const total = unit * blocks!;
        return { totalBytes: total, usedBytes: total - unit * bfree!, freeBytes: unit * bavail! };
      }),
    );
  }
}

/** The strongest encoding this board supports. */
export function chooseEncoding(info: BoardInfo): TransferEncoding {
  if (info.has.stdinBuffer && info.has.kbdIntr) return 'stream';
  if (info.has.a2bBase64) return 'base64';
  return 'repr';
}

function assertEncodingPossible(encoding: TransferEncoding, info: BoardInfo): void {
  if (encoding === 'stream' && !(info.has.stdinBuffer && info.has.kbdIntr)) {
    throw new BoardError('UNSUPPORTED', 'This firmware cannot stream raw bytes (needs sys.stdin.buffer and micropython.kbd_intr).');
  }
  if (encoding === 'base64' && !info.has.a2bBase64) {
    throw new BoardError('UNSUPPORTED', 'This firmware has no binascii.a2b_base64.');
  }
}

function listCode(p: string, recursive: boolean, info: BoardInfo): string {
  if (!info.has.ilistdir) {
    // 1.9-era: a flat filesystem; os.listdir() without an argument on the micro:bit.
    const sz = info.has.size ? 'os.size(q)' : info.has.stat ? 'os.stat(q)[6]' : '-1';
    const lister = p === '/' || p === '' ? 'os.listdir()' : `os.listdir(${pyRepr(p)})`;
    const prefix = p === '/' || p === '' ? '""' : pyRepr(p + '/');
    return `${OS}for n in ${lister}:\n q=${prefix}+n;print("f",${sz},repr(q))\ndel n,q`;
  }
  return (
    OS +
    JOIN_FN +
    `st=[${pyRepr(p)}]\n` +
    'while st:\n' +
    ' d=st.pop()\n' +
    ' for e in os.ilistdir(d):\n' +
    '  q=_j(d,e[0]);t=e[1]&' + S_IFDIR + '\n' +
    // 1.9-era ilistdir has 3-tuples without the size.
    `  print("d" if t else "f",0 if t else (e[3] if len(e)>3 else ${info.has.stat ? 'os.stat(q)[6]' : '-1'}),repr(q))\n` +
    (recursive ? '  if t:st.append(q)\n' : '') +
    'del st,_j'
  );
}

function parseListLine(line: string): BoardFileEntry | undefined {
  const m = /^([df]) (-?\d+) (.+)$/.exec(line);
  if (!m) return undefined;
  const path = parsePyStrRepr(m[3]!);
  return { path, name: boardBasename(path), type: m[1] === 'd' ? 'dir' : 'file', size: Number(m[2]) };
}
