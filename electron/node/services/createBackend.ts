/**
 * Builds the Backend with the real services, wired together: what both hosts
 * run (tests replace a few parts). Adding a service: build it here, spread its
 * `handlers()` into the table and add it to the lifetimes.
 */
import os from 'node:os';
import path from 'node:path';
import type { HostKind, PortInfo } from '../../common/api/contract.js';
import { DEFAULT_BOARD_PROFILE, type BoardProfileName } from '../../common/board/boardProfileNames.js';
import { EventHub } from '../../common/api/EventHub.js';
import type { BoardTiming } from '../../common/board/BoardSession.js';
import type { Disposable } from '../../common/util/disposable.js';
import { userDataDir } from '../appPaths.js';
import { PortLeases } from '../ports/PortLeases.js';
import { VirtualBoard } from '../vboard/VirtualBoard.js';
import { appHandlers, Backend } from './Backend.js';
import { BoardConnectionService, virtualPortInfo, type OpenSerialLink } from './board/BoardConnectionService.js';
import { BoardFilesService } from './board/BoardFilesService.js';
import { BoardStatusStore } from './board/BoardStatusStore.js';
import { CompletionService } from './board/CompletionService.js';
import type { VirtualBoardHost } from './board/Connection.js';
import { ProgramRunner } from './board/ProgramRunner.js';
import { VirtualBoardProfileService, virtualBoardFlashDir, virtualBoardReach, virtualBoardProfile } from './board/VirtualBoardProfileService.js';
import { VirtualPartsService } from './board/VirtualPartsService.js';
import { VirtualPinsService } from './board/VirtualPinsService.js';
import { PackageService } from './packages/PackageService.js';
import { DraftStore } from './DraftStore.js';
import { FlasherService, type FlasherServiceOptions } from './flash/FlasherService.js';
import { FirmwareCache } from '../flash/FirmwareCache.js';
import type { ProgressSink } from './JobProgress.js';
import { PortDiscovery } from '../ports/PortDiscovery.js';
import { SettingsStore } from './SettingsStore.js';
import { TerminalBatcher } from './TerminalBatcher.js';
import { WorkspaceService } from './workspace/WorkspaceService.js';
import { KeyFileSecretBox, type SecretBox } from '../mqtt/SecretBox.js';
import { BrokerService } from './mqtt/BrokerService.js';
import { MqttProfileStore } from './mqtt/MqttProfileStore.js';
import { MqttService, type MqttServiceOptions } from './mqtt/MqttService.js';

/** What the backend needs from port discovery (PortDiscovery implements it). */
export interface PortSource {
  list(): Promise<PortInfo[]>;
  onDidChange(listener: (ports: PortInfo[]) => void): Disposable;
  /** Checks a typed path (a pty, a /dev/serial/by-id link) without opening it. */
  describePath?(path: string): Promise<PortInfo>;
  start(): void;
  stop(): void;
}

export interface CreateBackendOptions {
  host: HostKind;
  /** Default userDataDir() (which honours PINWHEEL_DATA_DIR). */
  dataDir?: string;
  /** Default PortDiscovery polling the OS. */
  ports?: PortSource;
  /** Default SerialLink.open. */
  openSerial?: OpenSerialLink;
  /** Default: the built-in virtual board with the profile the settings name, flash in `<dataDir>/virtual-board/flash[-<profile>]`. */
  startVirtualBoard?: (profile: BoardProfileName) => Promise<VirtualBoardHost>;
  boardTiming?: Partial<BoardTiming>;
  reconnectPollMs?: number;
  reconnectRetryMs?: number;
  presencePollMs?: number;
  /** Who holds which serial port; default a new registry (the flasher will share it). */
  leases?: PortLeases;
  /** Runs a flasher job; default the flasher process (tests may run it in-process to reach a simulated chip's reset lines). */
  runFlasher?: FlasherServiceOptions['run'];
  /** Where UF2 bootloader drives are looked for; default PINWHEEL_UF2_MOUNT_ROOTS (path-list), else the OS's usual mount folders. */
  uf2MountRoots?: readonly string[];
  /** Seals MQTT passwords and keys at rest; default a key file in the data folder (Electron passes safeStorage). */
  secrets?: SecretBox;
  /** Where the built-in broker tries first; default 1883. */
  brokerPort?: number;
  /** Tests shorten the MQTT reconnect backoff and diff interval. */
  mqttConnection?: MqttServiceOptions['connection'];
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
  const leases = options.leases ?? new PortLeases();
  const status = new BoardStatusStore(events, settings);
  const terminal = new TerminalBatcher((data) => events.emit('terminal.data', { data }));
  const progress: ProgressSink = (event) => events.emit('job.progress', event);
  // The built-in ESP32 is the fast USB model; a 1.9-era board sat behind a USB-UART bridge, so it gets the
  // UART model (115200 baud, a receive buffer that overflows). Each profile's files persist between sessions.
  const startVirtualBoard =
    options.startVirtualBoard ??
    ((profile: BoardProfileName) =>
      VirtualBoard.start({
        model: profile === DEFAULT_BOARD_PROFILE ? 'usb' : 'uart',
        profile,
        flashDir: virtualBoardFlashDir(dataDir, profile),
        networkReach: () => virtualBoardReach(settings),
        parts: settings.get().virtualBoardParts ?? [],
        onConnectionBlocked: (address, port) => events.emit('vboard.blocked', { address, port }),
        debug,
      }));
  const virtualPort = () => virtualPortInfo(virtualBoardProfile(settings));

  const connections = new BoardConnectionService({
    ports,
    leases,
    settings,
    status,
    terminal,
    startVirtualBoard: () => startVirtualBoard(virtualBoardProfile(settings)),
    virtualPort,
    openSerial: options.openSerial,
    timing: options.boardTiming,
    reconnectPollMs: options.reconnectPollMs,
    reconnectRetryMs: options.reconnectRetryMs,
    presencePollMs: options.presencePollMs,
    debug,
  });
  const runner = new ProgramRunner({ connections, status, terminal });
  const completions = new CompletionService(connections, runner);
  const files = new BoardFilesService({ connections, runner, status, terminal, progress, debug });
  const pins = new VirtualPinsService(connections, events);
  const parts = new VirtualPartsService({ connections, settings, events, resetBoard: () => runner.hardReset() });
  const listPorts = async () => [virtualPort(), ...(await ports.list())];
  const profiles = new VirtualBoardProfileService({ settings, connections, events, listPorts });
  const workspace = new WorkspaceService({ settings, board: files, progress, homeDir: options.homeDir });
  await workspace.restore();
  const drafts = DraftStore.inDir(dataDir);
  const firmwareBase = process.env.PINWHEEL_FIRMWARE_BASE_URL;
  // Removable drives mount in different places per desktop and distribution; this names others.
  const uf2MountRoots = options.uf2MountRoots ?? process.env.PINWHEEL_UF2_MOUNT_ROOTS?.split(path.delimiter).filter((r) => r !== '');
  const flasher = new FlasherService({
    leases,
    progress,
    describePort: async (path) => (await ports.list()).find((p) => p.path === path),
    cache: new FirmwareCache({ dir: path.join(dataDir, 'firmware'), ...(firmwareBase ? { baseUrl: firmwareBase } : {}) }),
    ...(options.runFlasher ? { run: options.runFlasher } : {}),
    listPorts: () => ports.list(),
    ...(uf2MountRoots ? { uf2MountRoots } : {}),
    debug,
  });

  const mqtt = new MqttService({
    events,
    recordingsDir: () => settings.get().workspaceRoot ?? path.join(options.homeDir ?? os.homedir(), 'Pinwheel recordings'),
    profiles: await MqttProfileStore.open(dataDir, options.secrets ?? KeyFileSecretBox.inDir(dataDir)),
    ...(options.mqttConnection ? { connection: options.mqttConnection } : {}),
  });
  const packages = new PackageService({
    files,
    progress,
    cacheDir: path.join(dataDir, 'package-cache'),
    ...(process.env.PINWHEEL_PACKAGE_INDEX ? { defaultIndex: process.env.PINWHEEL_PACKAGE_INDEX } : {}),
  });
  const broker = new BrokerService({ events, dataDir, ...(options.brokerPort !== undefined ? { defaultPort: options.brokerPort } : {}) });

  const portsChanged = ports.onDidChange((list) => events.emit('ports.changed', { ports: [virtualPort(), ...list] }));
  ports.start();
  return new Backend({
    events,
    handlers: {
      ...appHandlers(options.host),
      ...connections.handlers(),
      ...runner.handlers(),
      ...completions.handlers(),
      ...files.handlers(),
      ...packages.handlers(),
      ...pins.handlers(),
      ...parts.handlers(),
      ...profiles.handlers(),
      ...workspace.handlers(),
      ...drafts.handlers(),
      ...flasher.handlers(),
      ...mqtt.handlers(),
      ...broker.handlers(),
    },
    lifetimes: [
      { dispose: () => ports.stop() },
      portsChanged,
      connections,
      pins,
      parts,
      { dispose: () => terminal.dispose() },
      mqtt,
      broker,
      status,
      leases,
      { dispose: () => drafts.flush() },
      { dispose: () => settings.flush() },
    ],
  });
}
