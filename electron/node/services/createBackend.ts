/** Builds the Backend with the real services: what both hosts run (tests replace a few parts). */
import path from 'node:path';
import type { HostKind } from '../../common/api/contract.js';
import { EventHub } from '../../common/api/EventHub.js';
import type { BoardTiming } from '../../common/board/BoardSession.js';
import { userDataDir } from '../appPaths.js';
import { VirtualBoard } from '../vboard/VirtualBoard.js';
import { Backend, type PortSource } from './Backend.js';
import { BoardService, type OpenSerialLink, type VirtualBoardHost } from './BoardService.js';
import { DraftStore } from './DraftStore.js';
import { PortDiscovery } from './PortDiscovery.js';
import { SettingsStore } from './SettingsStore.js';
import { WorkspaceService } from './WorkspaceService.js';

export interface CreateBackendOptions {
  host: HostKind;
  /** Default userDataDir() (which honours PINWHEEL_DATA_DIR). */
  dataDir?: string;
  /** Default PortDiscovery polling the OS. */
  ports?: PortSource;
  /** Default SerialLink.open. */
  openSerial?: OpenSerialLink;
  /** Default: the built-in virtual board (USB model), flash in `<dataDir>/virtual-board/flash`. */
  startVirtualBoard?: () => Promise<VirtualBoardHost>;
  boardTiming?: Partial<BoardTiming>;
  reconnectPollMs?: number;
  reconnectRetryMs?: number;
  presencePollMs?: number;
  /** Default home; where the folder picker starts. */
  homeDir?: string;
  debug?: (message: string) => void;
}

export async function createBackend(options: CreateBackendOptions): Promise<Backend> {
  const dataDir = options.dataDir ?? userDataDir();
  const debug = options.debug ?? (process.env.PINWHEEL_DEBUG ? (m: string) => process.stderr.write(`[backend] ${m}\n`) : undefined);
  const events = new EventHub();
  const settings = SettingsStore.inDir(dataDir);
  await settings.load();
  const ports = options.ports ?? new PortDiscovery({ debug });
  const board = new BoardService({
    events,
    ports,
    settings,
    // The built-in board is the fast USB model; its files persist between sessions.
    startVirtualBoard:
      options.startVirtualBoard ?? (() => VirtualBoard.start({ model: 'usb', flashDir: path.join(dataDir, 'virtual-board', 'flash'), debug })),
    openSerial: options.openSerial,
    timing: options.boardTiming,
    reconnectPollMs: options.reconnectPollMs,
    reconnectRetryMs: options.reconnectRetryMs,
    presencePollMs: options.presencePollMs,
    debug,
  });
  const workspace = new WorkspaceService({
    settings,
    board,
    progress: (event) => events.emit('job.progress', event),
    homeDir: options.homeDir,
  });
  await workspace.restore();
  const drafts = DraftStore.inDir(dataDir);
  return new Backend({ host: options.host, ports, events, board, workspace, drafts, settings });
}
