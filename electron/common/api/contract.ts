/**
 * The API contract: every call the renderer can make and every event it can
 * receive, with runtime schemas. The Electron preload bridge, the web host's
 * WebSocket and the renderer's client all speak this one contract; both hosts
 * validate every message against it (see dispatcher.ts).
 */
import { z } from 'zod';

export const HostKind = z.enum(['electron', 'web']);
export type HostKind = z.infer<typeof HostKind>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  host: HostKind,
  platform: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const PortInfo = z.object({
  /** What to pass to connect: a device path such as /dev/ttyUSB0 or COM3, or `virtual:` ids. */
  path: z.string(),
  kind: z.enum(['serial', 'virtual']),
  /** A name a person recognises: "CP2102 USB-UART (ESP32 dev board) on /dev/ttyUSB0". */
  friendlyName: z.string(),
  vendorId: z.string().optional(),
  productId: z.string().optional(),
  manufacturer: z.string().optional(),
  serialNumber: z.string().optional(),
  /** True when the USB ids belong to a bridge or board commonly running MicroPython. */
  likelyMicroPython: z.boolean(),
});
export type PortInfo = z.infer<typeof PortInfo>;

const NoParams = z.object({}).strict();
const Empty = z.object({});

/** A path on the board: `/`-separated, absolute; NUL would truncate it on the board. */
const BoardPath = z.string().min(1).max(1024).refine((p) => !p.includes('\0'), 'a path cannot contain NUL');
/** A path relative to the open workspace folder; the workspace service keeps it inside the folder. */
const WorkspacePath = z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'a path cannot contain NUL');
/** Board file data travels as base64 inside the JSON envelope (the message size limit applies). */
const Base64 = z.string().max(48 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');
/** A client-chosen id that ties `job.progress` events to the call that started the work. */
const JobId = z.string().min(1).max(100);

export const BoardInfoDto = z.object({
  implementation: z.string(),
  version: z.string(),
  versionText: z.string(),
  machine: z.string(),
  platform: z.string(),
  freeHeapBytes: z.number(),
  rawPaste: z.boolean(),
});
export type BoardInfoDto = z.infer<typeof BoardInfoDto>;

export const DiskUsageDto = z.object({ totalBytes: z.number(), usedBytes: z.number(), freeBytes: z.number() });
export type DiskUsageDto = z.infer<typeof DiskUsageDto>;

export const BoardConnectionState = z.enum(['disconnected', 'connecting', 'connected', 'lost']);
export type BoardConnectionState = z.infer<typeof BoardConnectionState>;

export const BoardStatus = z.object({
  state: BoardConnectionState,
  /** The port connected to (or being connected to, or lost). */
  port: PortInfo.optional(),
  info: BoardInfoDto.optional(),
  storage: DiskUsageDto.optional(),
  /** An engine operation (file transfer, probe) holds the line: the terminal waits. */
  busy: z.boolean(),
  /** A program started with board.run is running. */
  running: z.boolean(),
  /** Why the board is disconnected or lost, in words a person can act on. */
  error: z.string().optional(),
  /** The board was lost and will be reconnected when its port comes back. */
  reconnecting: z.boolean(),
  /** The last port the user connected to, remembered across restarts. */
  lastPort: z.string().optional(),
});
export type BoardStatus = z.infer<typeof BoardStatus>;

export const BoardFileEntryDto = z.object({
  path: z.string(),
  name: z.string(),
  type: z.enum(['file', 'dir']),
  /** Bytes; -1 where the firmware cannot tell. */
  size: z.number(),
});
export type BoardFileEntryDto = z.infer<typeof BoardFileEntryDto>;

export const BoardStatDto = z.object({ path: z.string(), type: z.enum(['file', 'dir']), size: z.number(), mtime: z.number() });
export type BoardStatDto = z.infer<typeof BoardStatDto>;

export const WriteResultDto = z.object({
  path: z.string(),
  skipped: z.boolean(),
  bytes: z.number(),
  encoding: z.string(),
  wireBytes: z.number(),
  atomic: z.boolean(),
  hashVerified: z.boolean(),
});
export type WriteResultDto = z.infer<typeof WriteResultDto>;

export const RunResult = z.object({
  /** True when the program ended without a traceback. */
  ok: z.boolean(),
  /** True when it was stopped (board.stop or Ctrl-C). */
  interrupted: z.boolean(),
  /** The last line of the traceback, e.g. "NameError: name 'x' isn't defined". */
  error: z.string().optional(),
});
export type RunResult = z.infer<typeof RunResult>;

export const WorkspaceInfo = z.object({ root: z.string(), name: z.string() });
export type WorkspaceInfo = z.infer<typeof WorkspaceInfo>;

export const WorkspaceEntry = z.object({
  /** Relative to the workspace root, `/`-separated. */
  path: z.string(),
  name: z.string(),
  type: z.enum(['file', 'dir']),
  size: z.number(),
  mtimeMs: z.number(),
});
export type WorkspaceEntry = z.infer<typeof WorkspaceEntry>;

export const FolderListing = z.object({
  path: z.string(),
  parent: z.string().optional(),
  dirs: z.array(z.string()),
});
export type FolderListing = z.infer<typeof FolderListing>;

/** An editor buffer kept by the host so unsaved work survives a restart or a crash. */
export const Draft = z.object({
  id: z.string().max(200),
  title: z.string().max(1024),
  source: z.object({ kind: z.enum(['board', 'local', 'untitled']), path: z.string().max(4096).optional() }),
  content: z.string().max(8 * 1024 * 1024),
  /** What the file held when it was opened or last saved; the buffer is dirty when content differs. */
  savedContent: z.string().max(8 * 1024 * 1024).optional(),
});
export type Draft = z.infer<typeof Draft>;

export const SyncResult = z.object({
  uploaded: z.number(),
  skipped: z.number(),
  results: z.array(WriteResultDto),
});
export type SyncResult = z.infer<typeof SyncResult>;

/** The `path` that board.connect takes for the built-in virtual board. */
export const VIRTUAL_BOARD_PATH = 'virtual:board';

function call<P extends z.ZodType, R extends z.ZodType>(params: P, result: R) {
  return { params, result };
}

export const apiCalls = {
  'app.info': call(NoParams, AppInfo),
  'ports.list': call(NoParams, z.array(PortInfo)),

  // The board connection. `path` is a serial port path, or VIRTUAL_BOARD_PATH for the built-in board.
  'board.connect': call(z.object({ path: z.string().min(1).max(4096), baudRate: z.number().int().positive().optional() }).strict(), BoardStatus),
  'board.disconnect': call(NoParams, BoardStatus),
  'board.status': call(NoParams, BoardStatus),
  /** Runs code without saving it; output streams as terminal.data. Resolves when the program ends. */
  'board.run': call(z.object({ code: z.string().max(4 * 1024 * 1024), name: z.string().max(256).optional() }).strict(), RunResult),
  /** Interrupts the running program, or cancels the engine operation in progress. */
  'board.stop': call(NoParams, Empty),
  /** Soft reset: boot.py and main.py run, their output goes to the terminal. */
  'board.softReset': call(NoParams, Empty),
  'board.hardReset': call(NoParams, z.object({ method: z.enum(['signals', 'machine']) })),
  /** Names in a module or object on the connected board, for editor completion (`dir(expr)`). */
  'board.completions': call(z.object({ expr: z.string().max(200).regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/) }).strict(), z.object({ names: z.array(z.string()) })),
  /** Keystrokes for the board's REPL. */
  'terminal.write': call(z.object({ data: z.string().max(64 * 1024) }).strict(), Empty),
  /** Pasted text for the board's REPL; several lines run as one block (paste mode). */
  'terminal.paste': call(z.object({ text: z.string().max(4 * 1024 * 1024) }).strict(), Empty),

  'files.list': call(z.object({ path: BoardPath, recursive: z.boolean().optional() }).strict(), z.array(BoardFileEntryDto)),
  'files.read': call(z.object({ path: BoardPath, jobId: JobId.optional() }).strict(), z.object({ base64: Base64, size: z.number() })),
  'files.write': call(z.object({ path: BoardPath, base64: Base64, jobId: JobId.optional(), force: z.boolean().optional() }).strict(), WriteResultDto),
  'files.mkdir': call(z.object({ path: BoardPath }).strict(), Empty),
  'files.remove': call(z.object({ path: BoardPath, recursive: z.boolean().optional() }).strict(), Empty),
  'files.rename': call(z.object({ from: BoardPath, to: BoardPath }).strict(), Empty),
  'files.stat': call(z.object({ path: BoardPath }).strict(), BoardStatDto),
  'files.diskUsage': call(z.object({ path: BoardPath.optional() }).strict(), DiskUsageDto),

  // The local project folder, on the computer that runs the host.
  'workspace.open': call(z.object({ path: z.string().min(1).max(4096) }).strict(), WorkspaceInfo),
  'workspace.current': call(NoParams, WorkspaceInfo.nullable()),
  /** Folders under `path` (default: the user's home), for the in-app folder picker. */
  'workspace.browse': call(z.object({ path: z.string().max(4096).optional() }).strict(), FolderListing),
  'workspace.list': call(NoParams, z.array(WorkspaceEntry)),
  'workspace.readFile': call(z.object({ path: WorkspacePath }).strict(), z.object({ base64: Base64 })),
  'workspace.writeFile': call(z.object({ path: WorkspacePath, base64: Base64 }).strict(), Empty),
  'workspace.uploadToBoard': call(z.object({ paths: z.array(WorkspacePath).min(1).max(10_000), remoteRoot: BoardPath, jobId: JobId.optional() }).strict(), SyncResult),
  /** Uploads every workspace file whose content differs on the board (the engine's hash check skips the rest). */
  'workspace.syncToBoard': call(z.object({ remoteRoot: BoardPath, jobId: JobId.optional() }).strict(), SyncResult),

  'drafts.load': call(NoParams, z.array(Draft)),
  'drafts.save': call(z.object({ drafts: z.array(Draft).max(200) }).strict(), Empty),

  /** Pin levels of the built-in virtual board (empty when another board is connected). */
  'vboard.pins': call(NoParams, z.object({ pins: z.record(z.string(), z.number()) })),
} as const;

export const apiEvents = {
  'ports.changed': z.object({ ports: z.array(PortInfo) }),
  'board.status': BoardStatus,
  /** Board output for the terminal, batched (about every 16 ms, bounded in size). */
  'terminal.data': z.object({ data: z.string() }),
  'job.progress': z.object({ jobId: JobId, label: z.string(), done: z.number(), total: z.number() }),
  'vboard.pins': z.object({ pins: z.record(z.string(), z.number()) }),
} as const;

export type ApiCalls = typeof apiCalls;
export type CallName = keyof ApiCalls;
export type CallParams<K extends CallName> = z.input<ApiCalls[K]['params']>;
export type CallResult<K extends CallName> = z.output<ApiCalls[K]['result']>;

export type ApiEvents = typeof apiEvents;
export type EventName = keyof ApiEvents;
export type EventPayload<K extends EventName> = z.output<ApiEvents[K]>;

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(apiCalls, name);
}

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(apiEvents, name);
}
