/**
 * A serial client for the virtual board tests: opens a path with the real
 * `serialport` package, exactly as the app or mpremote would open a USB board,
 * and collects what arrives so tests can wait for byte patterns.
 */
import { SerialPort } from 'serialport';
import { VirtualBoard, type VirtualBoardOptions } from '../../../electron/node/vboard/VirtualBoard.js';

export const WAIT_DEFAULT_MS = 5000;

export class PortClient {
  private buf = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;
  closeError: Error | null | undefined;
  errors: Error[] = [];

  private constructor(readonly port: SerialPort) {
    port.on('data', (chunk: Buffer) => {
      this.buf = Buffer.concat([this.buf, chunk]);
      for (const w of this.waiters.splice(0)) w();
    });
    port.on('close', (err?: Error | null) => {
      this.closed = true;
      this.closeError = err;
      for (const w of this.waiters.splice(0)) w();
    });
    port.on('error', (err: Error) => {
      this.errors.push(err);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static open(path: string, baudRate = 115200): Promise<PortClient> {
    return new Promise((resolve, reject) => {
      const port = new SerialPort({ path, baudRate, autoOpen: false });
      port.open((err) => (err ? reject(err) : resolve(new PortClient(port))));
    });
  }

  /** Everything received so far, as latin1 text (one char per byte). */
  get text(): string {
    return this.buf.toString('latin1');
  }

  get bytes(): Buffer {
    return this.buf;
  }

  /** Waits until nothing has arrived for `quietMs`, then forgets what was received. */
  async settle(quietMs = 100, timeoutMs = WAIT_DEFAULT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let seen = -1;
    while (seen !== this.buf.length && Date.now() < deadline) {
      seen = this.buf.length;
      await new Promise((r) => setTimeout(r, quietMs));
    }
    this.clear();
  }

  /** Forgets what was received so far. */
  clear(): void {
    this.buf = Buffer.alloc(0);
  }

  write(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    return new Promise((resolve, reject) => {
      this.port.write(bytes, (err) => {
        if (err) return reject(err);
        this.port.drain((err2) => (err2 ? reject(err2) : resolve()));
      });
    });
  }

  /** Waits until the received bytes contain `pattern`; returns the text up to and including it and consumes it. */
  async waitFor(pattern: string | RegExp, timeoutMs = WAIT_DEFAULT_MS): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.text;
      let end = -1;
      if (typeof pattern === 'string') {
        const at = text.indexOf(pattern);
        if (at >= 0) end = at + pattern.length;
      } else {
        const m = pattern.exec(text);
        if (m) end = m.index + m[0].length;
      }
      if (end >= 0) {
        this.buf = this.buf.subarray(end);
        return text.slice(0, end);
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) {
        throw new Error(`timed out waiting for ${JSON.stringify(String(pattern))}; received ${JSON.stringify(text.slice(-400))}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until the port reports close or an error. */
  async waitForLoss(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && this.errors.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('the port neither closed nor reported an error');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    if (this.closed || !this.port.isOpen) return Promise.resolve();
    return new Promise((resolve) => this.port.close(() => resolve()));
  }
}

/** Enters the raw REPL from wherever the board is (interrupting a running program). */
export async function enterRawRepl(client: PortClient): Promise<void> {
  await client.write('\r\x03\x03');
  await new Promise((r) => setTimeout(r, 50));
  client.clear();
  await client.write('\r\x01');
  await client.waitFor('raw REPL; CTRL-B to exit\r\n>');
}

/** Runs code in the raw REPL; returns [stdout, error text]. */
export async function rawExec(client: PortClient, code: string, timeoutMs = WAIT_DEFAULT_MS): Promise<[string, string]> {
  await client.write(code + '\x04');
  await client.waitFor('OK', timeoutMs);
  const out = await client.waitFor('\x04', timeoutMs);
  const err = await client.waitFor('\x04', timeoutMs);
  await client.waitFor('>', timeoutMs);
  return [out.slice(0, -1), err.slice(0, -1)];
}

/** Defines `err(f)` on the board: what f raised as "Type: message", or 'no error'. */
const PY_ERR_HELPER = `
def err(f):
    try:
        f()
    except Exception as e:
        return '%s: %s' % (type(e).__name__, e)
    return 'no error'
`;

/** Runs code in the raw REPL (with err() defined); returns its printed lines. The board must raise nothing. */
export async function pyLines(client: PortClient, code: string, timeoutMs = WAIT_DEFAULT_MS): Promise<string[]> {
  const [out, error] = await rawExec(client, PY_ERR_HELPER + code, timeoutMs);
  if (error !== '') throw new Error(`the board raised:\n${error}`);
  return out.split('\r\n').slice(0, -1);
}

/** Virtual boards served on ptys with a client each in the raw REPL; `closeAll` ends them after a test. */
export class PtyBoards {
  private readonly boards: VirtualBoard[] = [];
  private readonly clients: PortClient[] = [];

  async open(options: VirtualBoardOptions): Promise<[VirtualBoard, PortClient]> {
    const board = await VirtualBoard.start(options);
    this.boards.push(board);
    const client = await PortClient.open(await board.exposeOnPty());
    this.clients.push(client);
    await enterRawRepl(client);
    return [board, client];
  }

  /** 'kill' pulls the plug (flash keeps only what was synced); 'stop' shuts down cleanly. */
  async closeAll(end: 'kill' | 'stop'): Promise<void> {
    for (const c of this.clients.splice(0)) await c.close();
    for (const b of this.boards.splice(0)) await (end === 'kill' ? b.kill() : b.stop());
  }
}

/**
 * Sends `bytes` bytes while the board sleeps in a raw-REPL program (Python is
 * not reading), and returns how many the UART model took and dropped; then
 * clears the line with Ctrl-C. The caller checks the counts against its buffer.
 */
export async function overrunWhileSleeping(board: VirtualBoard, client: PortClient, bytes: number): Promise<{ taken: number; dropped: number }> {
  await client.write('import time\nprint("SLEEPING")\ntime.sleep(1)\nprint("AWAKE")\x04');
  await client.waitFor('SLEEPING\r\n');
  const before = board.stats;
  await client.write(Buffer.alloc(bytes, 0x41));
  await client.waitFor('AWAKE\r\n\x04\x04>', 3000);
  const after = board.stats;
  // What fitted is now on the raw REPL's line: Ctrl-C clears it.
  await client.write('\x03');
  return { taken: after.rxBytes - before.rxBytes, dropped: after.rxDroppedBytes - before.rxDroppedBytes };
}
