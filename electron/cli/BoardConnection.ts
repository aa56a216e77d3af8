/**
 * Opens the board a CLI call talks to: the port given with --port (or
 * PINWHEEL_PORT), else the one MicroPython-looking board plugged in. The
 * engine is put together by openBoard, as in the app; this owns the link and
 * closes session and link in order. One connection serves every step of a
 * chain. main.ts imports this only when a step needs a board, since it
 * brings the engine and serialport with it.
 */
import type { BoardFiles } from '../common/board/files/BoardFiles.js';
import type { BoardSession } from '../common/board/BoardSession.js';
import { openBoard } from '../common/board/openBoard.js';
import type { Link } from '../common/link/Link.js';
import { SerialLink } from '../node/links/SerialLink.js';
import { nodeCodec } from '../node/services/nodeCodec.js';
import { autoDetectPort } from './portChoice.js';

export interface ConnectOptions {
  port?: string;
  baudRate: number;
  signal: AbortSignal;
  /** Probe the board on connect (file commands); false leaves a running program alone (repl, run). */
  probe: boolean;
  debug?: (message: string) => void;
  /** Times the phases of connecting (PINWHEEL_TIMING). */
  time?: <T>(phase: string, fn: () => Promise<T>) => Promise<T>;
}

export class BoardConnection {
  private constructor(
    readonly link: Link,
    readonly session: BoardSession,
    readonly files: BoardFiles,
    private readonly debug?: (message: string) => void,
  ) {}

  static async open(options: ConnectOptions): Promise<BoardConnection> {
    const time = options.time ?? ((_phase, fn) => fn());
    const path = options.port ?? (await time('find port', autoDetectPort));
    const link = await time('open', () => SerialLink.open(path, { baudRate: options.baudRate, signal: options.signal, debug: options.debug }));
    options.debug?.(`opened ${link.description}`);
    try {
      // The CLI has no terminal between its steps: the board stays in the raw REPL until close().
      const { session, files } = await time(options.probe ? 'probe' : 'session', () =>
        openBoard(link, { codec: nodeCodec, probe: options.probe, signal: options.signal, debug: options.debug, idleRepl: 'raw' }),
      );
      return new BoardConnection(link, session, files, options.debug);
    } catch (err) {
      await link.close().catch(() => undefined);
      throw err;
    }
  }

  /** Back to the friendly REPL (without waiting for its banner), then the port is closed. */
  async close(): Promise<void> {
    await this.session.close();
    await this.link.close();
    this.debug?.(`closed ${this.link.description}`);
  }
}
