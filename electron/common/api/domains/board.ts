/**
 * Ports and the board connection: which ports exist, connecting, the status
 * the UI shows, running code, resets and editor completion.
 */
import { z } from 'zod';
import type { BoardInfo } from '../../board/BoardProbe.js';
import { DiskUsageDto } from './files.js';
import { Empty, NoParams, call, type CallTable, type EventTable, type Mirrors, type SameType } from './schema.js';

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

/** The `path` that board.connect takes for the built-in virtual board. */
export const VIRTUAL_BOARD_PATH = 'virtual:board';

/** What the UI shows of the engine's BoardInfo. */
export const BoardInfoDto = z.object({
  implementation: z.string(),
  version: z.string(),
  versionText: z.string(),
  machine: z.string(),
  platform: z.string(),
  freeHeapBytes: z.number(),
  rawPaste: z.boolean(),
  /** The filesystem has folders (os.mkdir); 1.9-era boards have one flat folder. */
  folders: z.boolean(),
});
export type BoardInfoDto = Pick<BoardInfo, 'implementation' | 'version' | 'versionText' | 'machine' | 'platform' | 'freeHeapBytes' | 'rawPaste'> & { folders: boolean };
export type BoardInfoIsTheEngines = Mirrors<SameType<z.infer<typeof BoardInfoDto>, BoardInfoDto>>;

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
  /**
   * Something else runs in the board's REPL: a main.py started by a reset, a
   * statement typed at the prompt, a program the board started by itself. Stop interrupts it.
   */
  replRunning: z.boolean(),
  /** Why the board is disconnected or lost, in words a person can act on. */
  error: z.string().optional(),
  /** The board was lost and will be reconnected when its port comes back. */
  reconnecting: z.boolean(),
  /** The last port the user connected to, remembered across restarts. */
  lastPort: z.string().optional(),
});
export type BoardStatus = z.infer<typeof BoardStatus>;

export const RunResult = z.object({
  /** True when the program ended without a traceback. */
  ok: z.boolean(),
  /** True when it was stopped (board.stop or Ctrl-C). */
  interrupted: z.boolean(),
  /** The last line of the traceback, e.g. "NameError: name 'x' isn't defined". */
  error: z.string().optional(),
});
export type RunResult = z.infer<typeof RunResult>;

export const boardCalls = {
  'ports.list': call(NoParams, z.array(PortInfo)),
  // `path` is a serial port path, or VIRTUAL_BOARD_PATH for the built-in board.
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
  /** machine.bootloader(): the board leaves for its bootloader (a UF2 drive on an RP2); the connection waits for it to come back. */
  'board.bootloader': call(NoParams, Empty),
  /** Names in a module or object on the connected board, for editor completion (`dir(expr)`). */
  'board.completions': call(
    z.object({ expr: z.string().max(200).regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/) }).strict(),
    z.object({ names: z.array(z.string()) }),
  ),
} as const satisfies CallTable;

export const boardEvents = {
  'ports.changed': z.object({ ports: z.array(PortInfo) }),
  'board.status': BoardStatus,
} as const satisfies EventTable;
