/**
 * The path a real user's bytes take, for tests and benchmarks: a virtual
 * board served on a pseudo-terminal, opened with SerialLink (the `serialport`
 * package), with the board engine (BoardSession + BoardFiles) on top.
 */
import type { Link } from '../../../electron/common/link/Link.js';
import { BoardFiles } from '../../../electron/common/board/files/BoardFiles.js';
import { BoardSession } from '../../../electron/common/board/BoardSession.js';
import { SerialLink } from '../../../electron/node/links/SerialLink.js';
import { nodeCodec } from '../../../electron/node/services/nodeCodec.js';
import { VirtualBoard, type VirtualBoardOptions } from '../../../electron/node/vboard/VirtualBoard.js';

export interface Engine {
  link: Link;
  session: BoardSession;
  files: BoardFiles;
  /** Disposes the session and closes the link (tolerates a link that is already gone). */
  close(): Promise<void>;
}

export interface BoardOnPty extends Engine {
  board: VirtualBoard;
  path: string;
  /** close() and stop the board. */
  stop(): Promise<void>;
}

/**
 * Opens the engine on a serial path. `wrapLink` lets a test watch (or hold
 * back) the bytes the engine writes, e.g. to pull the plug at an exact point.
 */
export async function connectEngine(path: string, baudRate: number, wrapLink?: (link: Link) => Link): Promise<Engine> {
  const serial = await SerialLink.open(path, { baudRate });
  const link = wrapLink ? wrapLink(serial) : serial;
  const session = new BoardSession(link);
  const files = new BoardFiles(session, nodeCodec);
  return {
    link,
    session,
    files,
    async close() {
      session.dispose();
      await serial.close().catch(() => undefined);
    },
  };
}

export async function startBoardOnPty(options: VirtualBoardOptions, wrapLink?: (link: Link) => Link): Promise<BoardOnPty> {
  const board = await VirtualBoard.start(options);
  try {
    const path = await board.exposeOnPty();
    const engine = await connectEngine(path, options.baud ?? 115200, wrapLink);
    return {
      ...engine,
      board,
      path,
      async stop() {
        await engine.close();
        await board.stop();
      },
    };
  } catch (err) {
    await board.kill();
    throw err;
  }
}

/** A Link that passes everything through to `inner` except writes, which go through `write` (given the real write). */
export function interceptWrites(inner: Link, write: (data: Uint8Array, pass: (data: Uint8Array) => Promise<void>) => Promise<void>): Link {
  return {
    get description() {
      return inner.description;
    },
    get isOpen() {
      return inner.isOpen;
    },
    get supportsSignals() {
      return inner.supportsSignals;
    },
    write: (data) => write(data, (d) => inner.write(d)),
    onData: (listener) => inner.onData(listener),
    onClose: (listener) => inner.onClose(listener),
    setSignals: (signals) => inner.setSignals(signals),
    close: () => inner.close(),
  };
}

/** A Link that shows every write to `onWrite` before passing it on (a tap on the wire). */
export function tapWrites(inner: Link, onWrite: (data: Uint8Array) => void): Link {
  return interceptWrites(inner, (data, pass) => {
    onWrite(data);
    return pass(data);
  });
}
