/**
 * The firmware a virtual board imitates, as one record per profile: what a
 * host tool can tell apart between boards (banner, versions, raw-paste, the
 * os module, missing modules, heap, receive buffer). The worker, the prelude
 * and the serial model read these fields and nothing else, so a profile is
 * added here and nowhere else.
 *
 * - 'esp32' (the default): current MicroPython on a plain ESP32, today's board.
 * - '1.9-minimal': a 2017-era board as host tools meet it, e.g. a BBC micro:bit
 *   (still sold and used in schools) or an ESP32 flashed with 1.9.3. It answers
 *   with the ESP32 1.9.3 build's banner and uname, and has the micro:bit's
 *   surface, the smallest any 1.9 board offers a host tool:
 *   - no raw-paste (`\x05A\x01` is answered `R\x00`, the board stays in plain raw mode);
 *   - `os` has only listdir, remove, size and uname, over a flat filesystem:
 *     names with a `/` do not exist (OSError ENOENT), and `os.listdir()` takes
 *     no argument, as on the micro:bit (`os.listdir('/')` raises TypeError);
 *     the ESP32's FAT build accepted '' and '/', but a tool that works here works there too;
 *   - no hashlib, binascii, deflate, zlib (nor their u-names);
 *   - no sys.stdin, sys.stdout, sys.stderr (the micro:bit builds without them,
 *     so tools cannot stream through stdin), but micropython.kbd_intr (added
 *     in 1.9, present on the micro:bit);
 *   - a heap of about 10 KB that really runs out (MemoryError), and a 64-byte
 *     UART receive buffer (the micro:bit's).
 */
import { DEFAULT_BOARD_PROFILE, type BoardProfileName } from '../../common/board/boardProfileNames.js';

export { BOARD_PROFILE_NAMES, DEFAULT_BOARD_PROFILE, isBoardProfileName, type BoardProfileName } from '../../common/board/boardProfileNames.js';

/** How much Python heap the board has. */
export type HeapModel =
  /**
   * The interpreter's heap grows on demand; gc.mem_free() reports what a board of
   * `reportedBytes` would, with `bootAllocBytes` in use once it has booted (the prelude's own
   * modules are not counted: a board's built-in modules live in flash, not in its heap).
   */
  | { kind: 'grows'; reportedBytes: number; bootAllocBytes: number }
  /** The interpreter's heap is `heapBytes` and never grows: allocations past it raise MemoryError. */
  | { kind: 'fixed'; heapBytes: number };

/** What a board built from older sources says about itself instead of the interpreter's own version. */
export interface FirmwareIdentity {
  /** os.uname().release; sys.implementation.version is its numbers. */
  release: string;
  /** The banner's and os.uname().version's build text. */
  build: string;
  /** sys.version (1.9 reports only the Python version). */
  pythonVersion: string;
}

export interface BoardProfile {
  name: BoardProfileName;
  /** How links describe the board. */
  description: string;
  /** The machine in the banner, os.uname().machine and sys.implementation._machine. */
  machine: string;
  /** undefined: the interpreter's own version (v1.27.0) shows. */
  firmware: FirmwareIdentity | undefined;
  /** First line a soft reset prints. */
  softRebootBanner: string;
  /** Answers raw-paste (`\x05A\x01`) with `R\x01`; otherwise with `R\x00`. */
  rawPaste: boolean;
  /** The UART receive buffer: what it holds while Python is not reading. */
  rxBufferBytes: number;
  heap: HeapModel;
  /** 'tree': the interpreter's os and folders; 'flat': listdir, remove, size, uname and no folders. */
  filesystem: 'tree' | 'flat';
  /** Modules whose import fails (with their u-prefixed names). */
  missingModules: readonly string[];
  /** sys.stdin, sys.stdout and sys.stderr exist. */
  stdio: boolean;
  /** 'esp32': the full machine module; 'minimal': Pin, reset and unique_id. */
  machineModule: 'esp32' | 'minimal';
  /**
   * `network` and `socket` (the virtual Wi-Fi and TCP through the host). The
   * 1.9 profile leaves them out: its heap is about 10 KB after boot, as the
   * boards it imitates had, and the modules would take much of it.
   */
  networkModules: boolean;
  /** The flash partition os.statvfs() reports (only with the 'tree' filesystem). */
  flash: { blockBytes: number; blocks: number };
}

/** Heap of a plain ESP32 (no PSRAM): what gc.mem_free() + gc.mem_alloc() add up to. */
const ESP32_HEAP_BYTES = 111_168;
/** gc.mem_alloc() of a fresh ESP32 board: what the virtual one showed before its ESP32 modules came (issue 16). */
const ESP32_BOOT_ALLOC_BYTES = 23_000;
/**
 * The 1.9 board's interpreter heap: the interpreter itself, its bridges and
 * the small prelude of this profile take about 14.5 KB of it, leaving about
 * 10 KB free after boot (measured; test/integration/vboard/profile19.test.ts).
 */
const MINIMAL_HEAP_BYTES = 18 * 1024 + 512;
/** The micro:bit's UART receive ring. */
const MINIMAL_RX_BUFFER_BYTES = 64;
const ESP32_RX_BUFFER_BYTES = 256;
/** The flash partition a board reports through os.statvfs(): 2 MB of 4 KB blocks. */
const FLASH = { blockBytes: 4096, blocks: 512 } as const;

const BOARD_PROFILES: Readonly<Record<BoardProfileName, BoardProfile>> = {
  esp32: {
    name: 'esp32',
    description: 'Virtual board (ESP32)',
    machine: 'Pinwheel virtual board with ESP32',
    firmware: undefined,
    softRebootBanner: 'MPY: soft reboot',
    rawPaste: true,
    rxBufferBytes: ESP32_RX_BUFFER_BYTES,
    heap: { kind: 'grows', reportedBytes: ESP32_HEAP_BYTES, bootAllocBytes: ESP32_BOOT_ALLOC_BYTES },
    filesystem: 'tree',
    missingModules: [],
    stdio: true,
    machineModule: 'esp32',
    networkModules: true,
    flash: FLASH,
  },
  '1.9-minimal': {
    name: '1.9-minimal',
    description: 'Virtual board (MicroPython 1.9)',
    machine: 'ESP32 module with ESP32',
    firmware: { release: '1.9.3', build: 'v1.9.3 on 2017-11-01', pythonVersion: '3.4.0' },
    // The ESP32 port printed this until all ports switched to "MPY: soft reboot" (v1.13).
    softRebootBanner: 'PYB: soft reboot',
    rawPaste: false,
    rxBufferBytes: MINIMAL_RX_BUFFER_BYTES,
    heap: { kind: 'fixed', heapBytes: MINIMAL_HEAP_BYTES },
    filesystem: 'flat',
    missingModules: ['hashlib', 'binascii', 'deflate', 'zlib'],
    stdio: false,
    machineModule: 'minimal',
    networkModules: false,
    flash: FLASH,
  },
};

export function boardProfile(name: BoardProfileName = DEFAULT_BOARD_PROFILE): BoardProfile {
  return BOARD_PROFILES[name];
}
