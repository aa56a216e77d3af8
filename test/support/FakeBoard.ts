/**
 * A fake board for tests: a Link that answers the MicroPython REPL protocol
 * programmatically (friendly REPL with any prompt, raw REPL, raw-paste with a
 * configurable window, or the 1.9-era and refusing variants, soft reset) and
 * hands each command to an executor. `wasmExecutor()` runs commands in the
 * real MicroPython interpreter (WebAssembly, in a worker), so file operations
 * are tested against real Python semantics.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { Emitter, type Disposable } from '../../electron/common/util/disposable.js';
import { LinkError, type Link, type LinkSignals } from '../../electron/common/link/Link.js';

export interface ProgramContext {
  stdout(data: string | Uint8Array): void;
  /** Bytes the host sends while the program runs. */
  onStdin(listener: (data: Uint8Array) => void): void;
}

/** Runs one command; resolves with the traceback text ('' when it succeeded). */
export type Executor = (code: string, ctx: ProgramContext) => Promise<string>;

export interface FakeBoardOptions {
  executor: Executor;
  rawPaste?: 'yes' | 'refuse' | 'old';
  windowBytes?: number;
  prompt?: string;
  rebootBanner?: string;
  bootOutput?: string;
  /** Called on soft reset (the executor should forget its globals). */
  onSoftReset?: () => Promise<void>;
}

const RAW_BANNER = 'raw REPL; CTRL-B to exit\r\n';
const enc = (s: string) => new TextEncoder().encode(s);

export class FakeBoard implements Link {
  readonly description = 'Fake board';
  private open = true;
  private readonly data = new Emitter<Uint8Array>();
  private readonly closed = new Emitter<LinkError | undefined>();
  private mode: 'friendly' | 'raw' | 'paste' | 'running' = 'friendly';
  private line: number[] = [];
  private pasteSinceGrant = 0;
  private inbox: number[] = [];
  private pumping = false;
  private stdinListener: ((d: Uint8Array) => void) | undefined;
  /** Every command the host ran, in order (for sequencing assertions). */
  readonly commands: string[] = [];
  readonly hostBytes: number[] = [];
  signals: LinkSignals[] = [];

  constructor(private readonly opts: FakeBoardOptions) {}

  get isOpen(): boolean {
    return this.open;
  }

  onData(listener: (chunk: Uint8Array) => void): Disposable {
    return this.data.event(listener);
  }

  onClose(listener: (error?: LinkError) => void): Disposable {
    return this.closed.event((e) => listener(e));
  }

  async setSignals(signals: LinkSignals): Promise<void> {
    this.signals.push(signals);
  }

  async close(): Promise<void> {
    this.open = false;
    this.closed.fire(undefined);
  }

  /** The board's USB goes away (a reset, machine.bootloader(), a pulled cable): the link fails. */
  unplug(): void {
    if (!this.open) return;
    this.open = false;
    this.closed.fire(new LinkError('DISCONNECTED', 'The device has been lost.'));
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.open) throw new LinkError('CLOSED', 'closed');
    for (const b of bytes) this.hostBytes.push(b);
    if (this.mode === 'running') {
      this.stdinListener?.(bytes.slice());
      return;
    }
    this.inbox.push(...bytes);
    this.pump();
  }

  private send(s: string | Uint8Array): void {
    const bytes = typeof s === 'string' ? enc(s) : s;
    if (bytes.length) queueMicrotask(() => this.data.fire(bytes));
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.inbox.length && this.mode !== 'running') this.byte(this.inbox.shift()!);
    } finally {
      this.pumping = false;
    }
  }

  private byte(c: number): void {
    const prompt = this.opts.prompt ?? '>>> ';
    if (this.mode === 'friendly') {
      if (c === 0x01) {
        this.mode = 'raw';
        this.line = [];
        this.send('\r\n' + RAW_BANNER + '>');
      } else if (c === 0x03 || c === 0x0d) this.send('\r\n' + prompt);
      else if (c === 0x04) this.send(`${this.opts.rebootBanner ?? 'MPY: soft reboot'}\r\n${this.opts.bootOutput ?? ''}MicroPython fake\r\n${prompt}`);
      else this.send(Uint8Array.of(c));
      return;
    }
    if (this.mode === 'paste') {
      if (c === 0x04) {
        this.send('\x04');
        this.execute(false);
        return;
      }
      this.line.push(c);
      if (++this.pasteSinceGrant >= (this.opts.windowBytes ?? 128)) {
        this.pasteSinceGrant = 0;
        this.send('\x01');
      }
      return;
    }
    // raw
    if (c === 0x01) {
      if (this.line.length === 2 && this.line[0] === 0x05 && this.line[1] === 0x41) {
        this.line = [];
        const mode = this.opts.rawPaste ?? 'yes';
        if (mode === 'yes') {
          const w = this.opts.windowBytes ?? 128;
          this.mode = 'paste';
          this.pasteSinceGrant = 0;
          this.send(Uint8Array.of(0x52, 0x01, w & 0xff, w >> 8, 0x01));
          return;
        }
        if (mode === 'refuse') {
          this.send('R\x00');
          return;
        }
      }
      this.line = [];
      this.send(RAW_BANNER + '>');
    } else if (c === 0x02) {
      this.mode = 'friendly';
      this.send(`\r\nMicroPython fake\r\nType "help()" for more information.\r\n${prompt}`);
    } else if (c === 0x03) {
      this.line = [];
    } else if (c === 0x04) {
      if (this.line.length === 0) {
        this.mode = 'running';
        void (this.opts.onSoftReset?.() ?? Promise.resolve()).then(() => {
          this.send(`${this.opts.rebootBanner ?? 'MPY: soft reboot'}\r\n${this.opts.bootOutput ?? ''}${RAW_BANNER}>`);
          this.mode = 'raw';
          this.pump();
        });
        return;
      }
      this.send('OK');
      this.execute(true);
    } else {
      this.line.push(c);
    }
  }

  private execute(_plain: boolean): void {
    const code = new TextDecoder().decode(Uint8Array.from(this.line));
    this.line = [];
    this.commands.push(code);
    this.mode = 'running';
    // Bytes that arrived right behind the command are the program's stdin.
    const early = this.inbox.splice(0);
    const ctx: ProgramContext = {
      stdout: (d) => this.send(typeof d === 'string' ? enc(d) : d),
      onStdin: (l) => {
        this.stdinListener = l;
        if (early.length) l(Uint8Array.from(early));
      },
    };
    void this.opts.executor(code, ctx).then((stderr) => {
      this.stdinListener = undefined;
      this.send('\x04' + stderr + '\x04>');
      this.mode = 'raw';
      this.pump();
    });
  }
}

/** The real MicroPython interpreter in a worker thread, as an Executor. */
export class WasmBoard {
  private worker!: Worker;
  private readonly sab = new SharedArrayBuffer(8 + 256 * 1024);
  private readonly ctrl = new Int32Array(this.sab, 0, 2);
  private readonly ring = new Uint8Array(this.sab, 8);
  private written = 0;
  private pending: ((m: { t: string; stderr?: string; files?: Record<string, Uint8Array | null> }) => void) | undefined;
  private out: ((d: Uint8Array) => void) | undefined;

  async start(): Promise<void> {
    const require = createRequire(import.meta.url);
    const pkg = path.dirname(require.resolve('@micropython/micropython-webassembly-pyscript/package.json'));
    this.worker = new Worker(new URL('./mpWorker.mjs', import.meta.url), {
      workerData: { sab: this.sab, mjsUrl: pathToFileURL(path.join(pkg, 'micropython.mjs')).href },
    });
    await new Promise<void>((resolve, reject) => {
      this.worker.once('error', reject);
      this.worker.on('message', (m: { t: string; data?: Uint8Array }) => {
        if (m.t === 'ready') resolve();
        else if (m.t === 'out') this.out?.(m.data!);
        else this.pending?.(m);
      });
    });
  }

  async stop(): Promise<void> {
    await this.worker?.terminate();
  }

  private feed(d: Uint8Array): void {
    const read = Atomics.load(this.ctrl, 1);
    if (this.written + d.length - read > this.ring.length) throw new Error('WasmBoard: stdin ring overflow (host sent without waiting)');
    for (const b of d) this.ring[this.written++ % this.ring.length] = b;
    Atomics.store(this.ctrl, 0, this.written);
    Atomics.notify(this.ctrl, 0);
  }

  readonly executor: Executor = (code, ctx) =>
    new Promise<string>((resolve) => {
      this.out = (d) => ctx.stdout(d);
      ctx.onStdin((d) => this.feed(d));
      this.pending = (m) => {
        if (m.t === 'done') resolve(m.stderr ?? '');
      };
      this.worker.postMessage({ t: 'run', code });
    });

  reset(): Promise<void> {
    return new Promise((resolve) => {
      this.pending = (m) => m.t === 'reset' && resolve();
      this.worker.postMessage({ t: 'reset' });
    });
  }

  /** Files as the board's filesystem holds them (null when missing). */
  files(paths: string[]): Promise<Record<string, Uint8Array | null>> {
    return new Promise((resolve) => {
      this.pending = (m) => m.t === 'files' && resolve(m.files!);
      this.worker.postMessage({ t: 'files', paths });
    });
  }
}
