/**
 * The `pinwheel` commands as data: names, usage, flags, argument counts and
 * whether they need a board. Only this table is loaded at start-up; a
 * command's body (commands/*.ts, with the engine, serialport or the virtual
 * board behind it) is imported when that command runs, so `pinwheel
 * --version` or a usage error costs no more than Node's own start.
 *
 * A new flag for one command is one entry in that command's `flags` (and its
 * usage text); the parser and the checks take it from here.
 */
import { BOARD_PROFILE_NAMES } from '../common/board/boardProfileNames.js';
import { CHIPS } from '../common/flash/chips.js';
import type { BoardConnection } from './BoardConnection.js';

/** A flag; a string flag with `choices` takes only those values (checked before anything runs). */
export type FlagSpec = { type: 'boolean'; short?: string } | { type: 'string'; short?: string; choices?: readonly string[] };

/** What a command body gets to work with; one per step of a chain. */
export interface CommandContext {
  args: string[];
  /** The global flags and this step's own flags. */
  flags: Record<string, string | boolean | undefined>;
  json: boolean;
  port?: string;
  baudRate: number;
  /** Aborted by the first Ctrl-C (SIGINT) for commands that do not take Ctrl-C themselves. */
  signal: AbortSignal;
  debug?: (message: string) => void;
  /** Phase times for PINWHEEL_TIMING=1 (stderr); a no-op otherwise. */
  timing: (label: string, ms: number) => void;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Commands that handle Ctrl-C themselves (run, repl) take it over with this. */
  takeOverInterrupt(handler: () => void): void;
}

/** A command's body: returns its exit code (nothing means 0). */
export type CommandBody = (ctx: CommandContext, board: BoardConnection | undefined) => Promise<number | void>;

export interface CommandSpec {
  usage: string;
  summary: string;
  /** Flags this command accepts besides the global ones. */
  flags?: Readonly<Record<string, FlagSpec>>;
  minArgs?: number;
  maxArgs?: number;
  needsBoard: boolean;
  /** Probe the board on connect: file commands choose how to transfer from it. Others leave a running program alone until they need the line. */
  probe?: boolean;
  /** Runs until the user leaves it (repl, vboard): only the last step of a chain. */
  lastOnly?: boolean;
  /** Imports the body; only the commands that run are ever loaded. */
  load(): Promise<CommandBody>;
}

const BOOL = { type: 'boolean' } as const;
const STRING = { type: 'string' } as const;

/** Flags of every command, whatever the command. */
export const GLOBAL_FLAGS = {
  port: { type: 'string', short: 'p' },
  baud: { type: 'string', short: 'b' },
  json: BOOL,
  debug: BOOL,
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies Record<string, FlagSpec>;

/** `flash --chip` takes the chips flashed over the ESP serial loader, or auto (detect). */
const FLASH_CHIP_CHOICES = ['auto', ...Object.values(CHIPS).filter((c) => c.method === 'esp-serial').map((c) => c.id)];

const files = () => import('./commands/files.js');
const programs = () => import('./commands/programs.js');

export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  ports: {
    usage: 'ports',
    summary: 'list serial ports, likely MicroPython boards first',
    maxArgs: 0,
    needsBoard: false,
    load: async () => (await import('./commands/ports.js')).ports,
  },
  ls: {
    usage: 'ls [-r] [:PATH]',
    summary: 'list files on the board (-r: recursively)',
    flags: { recursive: { type: 'boolean', short: 'r' } },
    maxArgs: 1,
    needsBoard: true,
    probe: true,
    load: async () => (await files()).ls,
  },
  cat: {
    usage: 'cat :PATH',
    summary: 'print a file from the board',
    minArgs: 1,
    maxArgs: 1,
    needsBoard: true,
    probe: true,
    load: async () => (await files()).cat,
  },
  get: {
    usage: 'get :REMOTE [LOCAL]',
    summary: 'copy a file or folder from the board to this computer',
    minArgs: 1,
    maxArgs: 2,
    needsBoard: true,
    probe: true,
    load: async () => (await files()).get,
  },
  put: {
    usage: 'put [--force] LOCAL [:REMOTE]',
    summary: 'copy a file or folder to the board (unchanged files are skipped unless --force)',
    flags: { force: { type: 'boolean', short: 'f' } },
    minArgs: 1,
    maxArgs: 2,
    needsBoard: true,
    probe: true,
    load: async () => (await files()).put,
  },
  rm: {
    usage: 'rm [-r] :PATH...',
    summary: 'remove files (-r: folders and what is in them)',
    flags: { recursive: { type: 'boolean', short: 'r' } },
    minArgs: 1,
    needsBoard: true,
    probe: true,
    load: async () => (await files()).rm,
  },
  mkdir: {
    usage: 'mkdir :PATH...',
    summary: 'create folders on the board (with their parents)',
    minArgs: 1,
    needsBoard: true,
    probe: true,
    load: async () => (await files()).mkdir,
  },
  mv: {
    usage: 'mv :FROM :TO',
    summary: 'rename or move a file or folder on the board',
    minArgs: 2,
    maxArgs: 2,
    needsBoard: true,
    probe: true,
    load: async () => (await files()).mv,
  },
  df: {
    usage: 'df [:PATH]',
    summary: 'show the board\'s storage use',
    maxArgs: 1,
    needsBoard: true,
    probe: true,
    load: async () => (await files()).df,
  },
  run: {
    usage: 'run FILE',
    summary: 'run a local Python file on the board without saving it (Ctrl-C stops it)',
    minArgs: 1,
    maxArgs: 1,
    needsBoard: true,
    load: async () => (await programs()).run,
  },
  exec: {
    usage: 'exec CODE',
    summary: 'run a line of Python on the board',
    minArgs: 1,
    maxArgs: 1,
    needsBoard: true,
    load: async () => (await programs()).exec,
  },
  repl: {
    usage: 'repl',
    summary: 'talk to the board\'s REPL (Ctrl-] to leave)',
    maxArgs: 0,
    needsBoard: true,
    lastOnly: true,
    load: async () => (await import('./commands/repl.js')).repl,
  },
  reset: {
    usage: 'reset [--hard]',
    summary: 'soft-reset the board (runs boot.py and main.py); --hard resets the chip',
    flags: { hard: BOOL },
    maxArgs: 0,
    needsBoard: true,
    load: async () => (await programs()).reset,
  },
  flash: {
    usage: 'flash [--info] [--chip auto|esp32|esp8266|...] [--offset ADDR] [--erase] [--no-reset] [--drive PATH] [--check-newer] FILE|BOARD',
    summary:
      'write MicroPython to a board: a .bin (ESP32/ESP8266 over serial) or .uf2 (onto a Pico\'s bootloader drive), or a catalog board id such as ESP32_GENERIC (downloaded once); --info shows the chip',
    flags: { info: BOOL, chip: { type: 'string', choices: FLASH_CHIP_CHOICES }, offset: STRING, erase: BOOL, 'no-reset': BOOL, 'check-newer': BOOL, drive: STRING },
    maxArgs: 1,
    needsBoard: false,
    lastOnly: true,
    load: async () => (await import('./commands/flash.js')).flash,
  },
  mip: {
    usage: 'mip install [--index URL] [--target DIR] [--no-mpy] NAME...',
    summary:
      'install packages to the board\'s /lib as MicroPython\'s mip does, fetched by this computer: micropython-lib names (umqtt.simple), github:ORG/REPO[/PATH][@REF], gitlab:..., or URLs, with their dependencies',
    flags: { index: STRING, target: STRING, 'no-mpy': BOOL },
    minArgs: 2,
    needsBoard: true,
    probe: true,
    load: async () => (await import('./commands/mip.js')).mip,
  },
  vboard: {
    usage: `vboard [--usb] [--flash DIR] [--profile ${BOARD_PROFILE_NAMES.join('|')}] [--parts WIRING.json]`,
    summary: 'start a virtual MicroPython board on a pseudo-terminal and print its path; --parts wires the parts a JSON file lists (docs/virtual-board.md)',
    flags: { usb: BOOL, flash: STRING, profile: { type: 'string', choices: BOARD_PROFILE_NAMES }, parts: STRING },
    maxArgs: 0,
    needsBoard: false,
    lastOnly: true,
    load: async () => (await import('./commands/vboard.js')).vboard,
  },
};

/**
 * Every flag any command knows, for the parser: a flag is recognised wherever
 * it appears, and main.ts then tells a user which command does not take it.
 * A flag that two commands share must mean the same to both (a unit test checks).
 */
export function allFlags(): Record<string, FlagSpec> {
  const all: Record<string, FlagSpec> = { ...GLOBAL_FLAGS };
  for (const spec of Object.values(COMMANDS)) Object.assign(all, spec.flags);
  return all;
}
