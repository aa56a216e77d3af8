/**
 * Opening a board: the one place where the engine is put together on a link
 * (the session, the file operations over it with the host's codec) and the
 * board is probed. The app and the CLI both open boards through this, so
 * they see the same board the same way.
 */
import type { Link } from '../link/Link.js';
import type { BoardInfo } from './BoardProbe.js';
import { BoardSession, type BoardSessionOptions } from './BoardSession.js';
import { BoardFiles, type BoardFilesOptions } from './files/BoardFiles.js';
import type { HostCodec } from './HostCodec.js';

export interface OpenBoardOptions extends BoardSessionOptions {
  /** Compression and hashing from the host (Node: electron/node/services/nodeCodec.ts). */
  codec: HostCodec;
  files?: BoardFilesOptions;
  /**
   * False leaves the board alone until the first file operation, which probes
   * then: a terminal attaching to a running program must not interrupt it.
   */
  probe?: boolean;
  signal?: AbortSignal;
  /** Names the probe in error messages, e.g. "connecting to the board". */
  label?: string;
  /**
   * Called with the new session and files before the probe runs, so that
   * listeners (terminal output, busy state) see the probe too.
   */
  onCreated?: (board: { session: BoardSession; files: BoardFiles }) => void;
}

export interface OpenedBoard {
  session: BoardSession;
  files: BoardFiles;
  /** What the probe found; undefined when opened with `probe: false`. */
  info: BoardInfo | undefined;
}

/**
 * Puts the engine on `link` and probes the board. When the probe fails the
 * session is disposed; the link stays open either way (its owner closes it).
 */
export async function openBoard(link: Link, options: OpenBoardOptions): Promise<OpenedBoard> {
  const session = new BoardSession(link, { timing: options.timing, rawPaste: options.rawPaste, debug: options.debug, idleRepl: options.idleRepl });
  const files = new BoardFiles(session, options.codec, options.files);
  options.onCreated?.({ session, files });
  if (options.probe === false) return { session, files, info: undefined };
  try {
    const info = await session.probe({ signal: options.signal, label: options.label });
    return { session, files, info };
  } catch (err) {
    session.dispose();
    throw err;
  }
}
