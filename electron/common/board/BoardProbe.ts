/**
 * What the board is and what it can do, found out once on connect with one
 * small command (well under the ~1.5 KB a 1.9-era board with a 10 KB heap can
 * compile). File operations choose their strategies from this, never from guesses.
 */
import { BoardError } from './BoardError.js';
import type { RawRepl } from './BoardSession.js';
import { probePy } from './python/probePy.js';

export interface BoardFeatures {
  ilistdir: boolean;
  listdir: boolean;
  stat: boolean;
  /** micro:bit style `os.size(name)` (boards without os.stat). */
  size: boolean;
  mkdir: boolean;
  rmdir: boolean;
  remove: boolean;
  rename: boolean;
  statvfs: boolean;
  sha256: boolean;
  a2bBase64: boolean;
  b2aBase64: boolean;
  /** The `deflate` module with DeflateIO (MicroPython >= 1.21). */
  deflate: boolean;
  /** io.IOBase, so a Python class can be a stream (DeflateIO reading a whole upload as it arrives). */
  ioBase: boolean;
  stdinBuffer: boolean;
  stdoutBuffer: boolean;
  /** micropython.kbd_intr, needed to stream raw bytes (which may contain \x03) through stdin. */
  kbdIntr: boolean;
}

export interface BoardInfo {
  /** sys.implementation.name: 'micropython', 'circuitpython', ... */
  implementation: string;
  /** e.g. '1.22.0' from sys.implementation.version. */
  version: string;
  versionTuple: readonly [number, number, number];
  /** The long form: os.uname().version or sys.version, e.g. 'v1.22.0 on 2023-12-27'. */
  versionText: string;
  /** os.uname().machine or sys.implementation._machine, e.g. 'ESP32 module with ESP32'. */
  machine: string;
  /** sys.platform: 'esp32', 'rp2', 'microbit', 'webassembly', ... */
  platform: string;
  /** gc.mem_free() right after gc.collect(). */
  freeHeapBytes: number;
  /** Whether raw-paste worked on this connection (set by BoardSession.probe). */
  rawPaste: boolean;
  has: BoardFeatures;
}

/** Board-side feature names, in the order the probe reports them (`module.attribute`; one 0/1 each). */
const FEATURE_CHECKS: ReadonlyArray<[keyof BoardFeatures, string, string]> = [
  ['ilistdir', 'os', 'ilistdir'],
  ['listdir', 'os', 'listdir'],
  ['stat', 'os', 'stat'],
  ['size', 'os', 'size'],
  ['mkdir', 'os', 'mkdir'],
  ['rmdir', 'os', 'rmdir'],
  ['remove', 'os', 'remove'],
  ['rename', 'os', 'rename'],
  ['statvfs', 'os', 'statvfs'],
  ['sha256', 'hashlib', 'sha256'],
  ['a2bBase64', 'binascii', 'a2b_base64'],
  ['b2aBase64', 'binascii', 'b2a_base64'],
  ['deflate', 'deflate', 'DeflateIO'],
  ['ioBase', 'io', 'IOBase'],
  ['stdinBuffer', 'stdin', 'buffer'],
  ['stdoutBuffer', 'stdout', 'buffer'],
  ['kbdIntr', 'micropython', 'kbd_intr'],
];

/** The probe's board-side code (python/probePy.ts); well under 1 KB. */
export function probeCode(): string {
  return probePy(FEATURE_CHECKS.map(([, mod, attr]) => [mod, attr] as const)).text;
}

/** Parses the probe's output; tolerant of extra lines, strict about what it needs. */
export function parseProbeOutput(stdout: string): BoardInfo {
  const fields = new Map<string, string>();
  for (const line of stdout.split(/\r?\n/)) {
    const parts = line.split('\t');
    if (parts.length >= 2) fields.set(parts[0]!, parts.slice(1).join('\t'));
  }
  const need = (k: string): string => {
    const v = fields.get(k);
    if (v === undefined) throw new BoardError('PROTOCOL', `The board's answer to the probe lacks "${k}". It printed: ${JSON.stringify(stdout.slice(0, 300))}`);
    return v;
  };
  const version = need('ver');
  const nums = version.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const bits = need('has');
  if (!/^[01]*$/.test(bits)) throw new BoardError('PROTOCOL', `The board's answer to the probe has features "${bits.slice(0, 40)}", not 0s and 1s.`);
  const features = {} as BoardFeatures;
  for (const [i, [key]] of FEATURE_CHECKS.entries()) features[key] = bits[i] === '1';
  const heap = Number.parseInt(need('heap'), 10);
  return {
    implementation: need('impl'),
    version,
    versionTuple: [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0],
    versionText: fields.get('vtext') ?? '',
    machine: fields.get('mach') ?? '',
    platform: need('plat'),
    freeHeapBytes: Number.isFinite(heap) ? heap : 0,
    rawPaste: false,
    has: features,
  };
}

export async function probeBoard(repl: RawRepl): Promise<BoardInfo> {
  const { stdout } = await repl.exec(probeCode());
  return parseProbeOutput(stdout);
}
