/**
 * Upload benchmark: the board engine writing a 50 KB MicroPython source file
 * and 50 KB of random binary to the virtual board's UART model at 115200 baud,
 * over SerialLink on a pseudo-terminal (the path a real user's bytes take),
 * then re-uploading both unchanged (the sha256 skip).
 *
 *   npx tsx test/bench/upload.ts        (or `npm run bench` for every benchmark)
 *
 * Exits non-zero when a target is missed. The core (`runUploadBenchmark`) is
 * also run on small files by test/integration/board/uploadBench.test.ts so
 * `npm test` exercises this code; the targets are only judged here.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WriteResult } from '../../electron/common/board/files/BoardFiles.js';
import { startBoardOnPty } from '../integration/board/engineOnPty.js';
import { xorshift32 } from '../helpers/random.js';

export const BENCH_BAUD = 115200;
/** 8N1: ten bit times per byte, so 115200 baud carries 11,520 bytes per second. */
export const BITS_PER_BYTE = 10;
export const BENCH_FILE_BYTES = 50 * 1024;
/** Targets as a fraction of the line rate. */
export const SOURCE_TARGET_RATIO = 1.0;
export const BINARY_TARGET_RATIO = 0.7;
/** mpremote's published figures on such a line (micropython PR #18785), for scale. */
export const MPREMOTE_SOURCE_BYTES_PER_S = 3.18 * 1024;
export const MPREMOTE_BINARY_BYTES_PER_S = 1.96 * 1024;

// ---- deterministic test data ----------------------------------------------------

export function makeRandomBinary(bytes: number, seed = 0xb1a5): Uint8Array {
  const next = xorshift32(seed);
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 4) {
    const v = next();
    for (let k = 0; k < 4 && i + k < bytes; k++) out[i + k] = (v >>> (8 * k)) & 0xff;
  }
  return out;
}

const NOUNS = ['sensor', 'relay', 'led', 'button', 'motor', 'servo', 'buzzer', 'display', 'pump', 'valve', 'fan', 'heater', 'meter', 'probe', 'gate', 'door', 'light', 'alarm', 'timer', 'scale', 'strip', 'switch', 'camera', 'lock', 'tracker'];
const PLACES = ['kitchen', 'garden', 'garage', 'porch', 'attic', 'cellar', 'office', 'lab', 'shed', 'hall', 'roof', 'tank', 'barn', 'pond', 'gate', 'yard', 'studio', 'closet'];
const VERBS = ['read', 'update', 'poll', 'sample', 'report', 'check', 'refresh', 'publish', 'log', 'calibrate', 'reset', 'measure', 'store', 'send', 'filter'];
const UNITS = ['celsius', 'percent', 'lux', 'hpa', 'volts', 'amps', 'ppm', 'rpm', 'mm', 'grams', 'seconds', 'db'];
/** Vocabulary for comments and docstrings: real code is a third prose, which deflate squeezes far less than code. */
const WORDS = (
  'the a this that each every when while after before until unless because so then otherwise only also still never always ' +
  'value reading sample buffer window average median offset drift noise spike error fault retry timeout deadline interval ' +
  'board chip bus wire pin clock tick sleep wake power battery supply charge brownout watchdog flash memory heap stack ' +
  'returns raises keeps drops ignores clamps rounds scales converts stores sends waits blocks yields retries resets logs ' +
  'first last next previous current stale fresh cached raw filtered smoothed calibrated rounded signed unsigned ' +
  'minute second hour day night morning evening cold warm hot dry wet dark bright loud quiet fast slow high low ' +
  'user owner neighbour installer technician we you it they device network broker server gateway phone app ' +
  'because the datasheet says so; see section table figure note erratum revision page chapter appendix'
).split(/\s+/);

/**
 * Realistic MicroPython: a module of drivers, helpers and asyncio tasks for an
 * IoT node with comments and docstrings, assembled from varied templates with
 * names, numbers and prose from a seeded generator, so no two blocks are alike
 * and deflate finds about the redundancy of real code (~0.3 of the size, as
 * for CPython's own modules), not one line repeated. Whole blocks only, so the
 * file compiles; exactly `bytes` long (ASCII; at least the ~0.5 KB header).
 */
export function makePythonSource(bytes: number, seed = 0x5eed): string {
  const next = xorshift32(seed);
  const pick = <T>(list: readonly T[]): T => list[next() % list.length]!;
  const num = (lo: number, hi: number) => lo + (next() % (hi - lo + 1));
  const used = new Set<string>();
  const ident = () => {
    for (;;) {
      const name = `${pick(PLACES)}_${pick(NOUNS)}${used.size > 150 ? '_' + num(2, 999) : ''}`;
      if (!used.has(name)) {
        used.add(name);
        return name;
      }
    }
  };
  const camel = (s: string) => s.split('_').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  const sentence = (lo = 6, hi = 14) => {
    const words = Array.from({ length: num(lo, hi) }, () => pick(WORDS));
    const text = words.join(' ');
    return text[0]!.toUpperCase() + text.slice(1) + (num(0, 3) === 0 ? ` (${num(1, 400)} ${pick(UNITS)})` : '') + '.';
  };
  const comment = (indent: string) => `${indent}# ${sentence()}\n`;
  const doc = (indent: string) => {
    const first = sentence(4, 9);
    if (num(0, 2) === 0) return `${indent}"""${first}"""\n`;
    return `${indent}"""${first}\n\n${indent}${sentence()} ${sentence()}\n${indent}"""\n`;
  };

  const header =
    '# node_main.py - sensor node firmware (generated for the upload benchmark)\n' +
    comment('') + comment('') +
    'import gc\nimport json\nimport time\nimport asyncio\nfrom machine import Pin, ADC, PWM, I2C\nfrom micropython import const\n\n' +
    `_DEBUG = const(${num(0, 1)})\n_I2C_FREQ = const(${num(1, 4) * 100_000})\n_REPORT_MS = const(${num(5, 60) * 1000})\n\n` +
    'def log(*args):\n    if _DEBUG:\n        print("[%d]" % time.ticks_ms(), *args)\n\n\n';

  const blocks: Array<() => string> = [
    () => {
      const n = ident();
      const unit = pick(UNITS);
      return (
        `class ${camel(n)}:\n` + doc('    ') + '\n' +
        `    OFFSET = ${num(-50, 50) / 10}\n    SCALE = ${(num(1, 2000) / 1000).toFixed(3)}\n\n` +
        `    def __init__(self, pin=${num(0, 39)}, samples=${num(2, 16)}):\n` +
        '        self._adc = ADC(Pin(pin))\n        self._samples = samples\n        self._last = None\n\n' +
        '    def raw(self):\n' + comment('        ') + '        total = 0\n        for _ in range(self._samples):\n            total += self._adc.read_u16()\n' +
        '        return total // self._samples\n\n' +
        `    def ${pick(VERBS)}(self):\n` + doc('        ') + '        value = self.raw() * self.SCALE / 65535 + self.OFFSET\n' +
        `        if self._last is not None and abs(value - self._last) < ${(num(1, 50) / 100).toFixed(2)}:\n            return self._last\n` +
        `        self._last = round(value, ${num(1, 3)})\n        log("${n}", self._last, "${unit}")\n        return self._last\n\n\n`
      );
    },
    () => {
      const n = ident();
      const pin = num(0, 39);
      return (
        `def ${pick(VERBS)}_${n}(state, threshold=${num(10, 900)}):\n` + doc('    ') +
        `    out = Pin(${pin}, Pin.OUT)\n    level = state.get("${n}", 0)\n` + comment('    ') +
        `    if level > threshold:\n        out.value(1)\n        state["${n}_on"] = time.ticks_ms()\n` +
        `    elif level < threshold - ${num(1, 40)}:\n` + comment('        ') + `        out.value(0)\n        state.pop("${n}_on", None)\n    return out.value()\n\n\n`
      );
    },
    () => {
      const n = ident();
      return (
        `async def ${n}_task(queue, period_ms=${num(100, 5000)}):\n` + doc('    ') +
        `    pwm = PWM(Pin(${num(0, 39)}), freq=${num(50, 5000)})\n    duty = ${num(0, 1023)}\n    while True:\n` +
        '        try:\n            cmd = queue.pop(0) if queue else None\n' +
        `            if cmd == "${pick(VERBS)}":\n                duty = min(1023, duty + ${num(1, 64)})\n` +
        `            elif cmd == "${pick(VERBS)}":\n` + comment('                ') + `                duty = max(0, duty - ${num(1, 64)})\n` +
        '            pwm.duty(duty)\n        except Exception as e:\n' +
        `            log("${n}_task", repr(e))\n        await asyncio.sleep_ms(period_ms)\n\n\n`
      );
    },
    () => {
      const n = ident();
      const N = n.toUpperCase();
      return (
        comment('') + `_${N}_ADDR = const(0x${num(0x08, 0x77).toString(16)})\n_${N}_REG = const(0x${num(0, 255).toString(16).padStart(2, '0')})\n\n` +
        `def ${pick(VERBS)}_${n}_i2c(i2c):\n` + doc('    ') +
        `    if _${N}_ADDR not in i2c.scan():\n        raise OSError("${n} not found at 0x%02x" % _${N}_ADDR)\n` +
        `    buf = i2c.readfrom_mem(_${N}_ADDR, _${N}_REG, ${num(2, 6)})\n` + comment('    ') +
        `    value = (buf[0] << 8 | buf[1]) * ${(num(1, 999) / 100).toFixed(2)}\n    return value if value < ${num(100, 65535)} else None\n\n\n`
      );
    },
    () => {
      const n = ident();
      const N = n.toUpperCase();
      const keys = [...new Set(Array.from({ length: num(3, 6) }, () => `${pick(NOUNS)}_${pick(UNITS)}`))].map((k) => `"${k}": ${num(0, 100)}`);
      return (
        `${N}_DEFAULTS = {\n    ${keys.join(',\n    ')},\n}\n\n` +
        `def load_${n}_config(path="${n}.json"):\n` + doc('    ') + '    try:\n        with open(path) as f:\n            cfg = json.load(f)\n' +
        `    except (OSError, ValueError):\n` + comment('        ') + `        cfg = {}\n    merged = dict(${N}_DEFAULTS)\n    merged.update(cfg)\n` +
        `    if merged.get("interval", ${num(1, 60)}) < ${num(1, 5)}:\n        merged["interval"] = ${num(5, 60)}\n    return merged\n\n\n`
      );
    },
    () => {
      const n = ident();
      return (
        `def ${n}_checksum(data, seed=0x${num(0, 0xffff).toString(16)}):\n` + doc('    ') +
        `    crc = seed\n    for b in data:\n        crc ^= b << ${num(0, 8)}\n        for _ in range(8):\n` +
        `            crc = (crc << 1) ^ 0x${num(0x1000, 0xffff).toString(16)} if crc & 0x8000 else crc << 1\n            crc &= 0xFFFF\n    return crc\n\n\n`
      );
    },
  ];

  if (bytes < header.length) throw new RangeError(`makePythonSource needs at least ${header.length} bytes`);
  let text = header;
  for (;;) {
    const block = pick(blocks)();
    if (text.length + block.length > bytes) break;
    text += block;
  }
  // Fill the rest with comment lines, the last one cut to fit exactly.
  while (text.length < bytes) {
    let line = comment('');
    const room = bytes - text.length;
    if (line.length > room) line = room >= 2 ? line.slice(0, room - 1) + '\n' : '\n'.repeat(room);
    text += line;
  }
  return text;
}

// ---- the benchmark ----------------------------------------------------------------

export interface UploadMeasurement {
  name: string;
  bytes: number;
  seconds: number;
  bytesPerSecond: number;
  /** bytesPerSecond / the line rate. */
  lineRateRatio: number;
  result: WriteResult;
  /** The board's copy (from the flash folder) is byte-identical to what was sent. */
  intact: boolean;
}

export interface UploadBenchResult {
  conditions: { baud: number; model: 'uart' | 'usb'; rxBufferBytes: number; lineBytesPerSecond: number; board: string; firmware: string; freeHeapBytes: number };
  /** Connecting: the first raw REPL entry plus the probe (once per connection, not per file). */
  probeSeconds: number;
  uploads: UploadMeasurement[];
  /** The same files again, unchanged. */
  reuploads: UploadMeasurement[];
}

export interface UploadBenchOptions {
  sourceBytes: number;
  binaryBytes: number;
  baud?: number;
  model?: 'uart' | 'usb';
  rxBufferBytes?: number;
}

const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

export async function runUploadBenchmark(options: UploadBenchOptions): Promise<UploadBenchResult> {
  const baud = options.baud ?? BENCH_BAUD;
  const model = options.model ?? 'uart';
  const rxBufferBytes = options.rxBufferBytes ?? 256;
  const lineBytesPerSecond = baud / BITS_PER_BYTE;
  const flashDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-bench-flash-'));
  const files: Array<{ name: string; remote: string; data: Uint8Array }> = [
    { name: 'python source', remote: '/node_main.py', data: new TextEncoder().encode(makePythonSource(options.sourceBytes)) },
    { name: 'random binary', remote: '/blob.bin', data: makeRandomBinary(options.binaryBytes) },
  ];
  const pty = await startBoardOnPty({ model, baud, rxBufferBytes, flashDir });
  try {
    const t0 = performance.now();
    const info = await pty.session.probe();
    const probeSeconds = (performance.now() - t0) / 1000;

    const measure = async (f: (typeof files)[number]): Promise<UploadMeasurement> => {
      const start = performance.now();
      const result = await pty.files.write(f.remote, f.data);
      const seconds = (performance.now() - start) / 1000;
      const onFlash = fs.readFileSync(path.join(flashDir, f.remote));
      const bytesPerSecond = f.data.length / seconds;
      return {
        name: f.name,
        bytes: f.data.length,
        seconds,
        bytesPerSecond,
        lineRateRatio: bytesPerSecond / lineBytesPerSecond,
        result,
        intact: sha(onFlash) === sha(f.data),
      };
    };
    const uploads: UploadMeasurement[] = [];
    for (const f of files) uploads.push(await measure(f));
    const reuploads: UploadMeasurement[] = [];
    for (const f of files) reuploads.push(await measure(f));
    return {
      conditions: { baud, model, rxBufferBytes, lineBytesPerSecond, board: info.machine, firmware: info.versionText, freeHeapBytes: info.freeHeapBytes },
      probeSeconds,
      uploads,
      reuploads,
    };
  } finally {
    await pty.stop();
    fs.rmSync(flashDir, { recursive: true, force: true });
  }
}

// ---- the report -------------------------------------------------------------------

const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;

export function formatReport(r: UploadBenchResult): { text: string; pass: boolean } {
  const lines: string[] = [];
  const c = r.conditions;
  lines.push('Upload benchmark: board engine -> virtual board over SerialLink on a pty');
  lines.push(
    `Conditions: ${c.model.toUpperCase()} model at ${c.baud} baud (line rate ${c.lineBytesPerSecond.toFixed(0)} B/s, 8N1), ` +
      `board receive buffer ${c.rxBufferBytes} B, ${c.board}, ${c.firmware}, free heap ${kb(c.freeHeapBytes)}`,
  );
  lines.push(`Connect + probe: ${r.probeSeconds.toFixed(2)} s (once per connection, not counted below)`);
  lines.push('');
  let pass = true;
  for (const u of r.uploads) {
    const target = u.name === 'python source' ? SOURCE_TARGET_RATIO : BINARY_TARGET_RATIO;
    const mpremote = u.name === 'python source' ? MPREMOTE_SOURCE_BYTES_PER_S : MPREMOTE_BINARY_BYTES_PER_S;
    const ok = u.intact && !u.result.skipped && u.lineRateRatio >= target;
    pass &&= ok;
    lines.push(
      `${u.name.padEnd(14)} ${kb(u.bytes).padStart(9)}  ${u.seconds.toFixed(2).padStart(6)} s  ${(u.bytesPerSecond / 1024).toFixed(2).padStart(6)} KB/s ` +
        `(${u.bytesPerSecond.toFixed(0)} B/s)  ${(u.lineRateRatio * 100).toFixed(1).padStart(5)}% of line rate  ` +
        `encoding ${u.result.encoding}, wire ${u.result.wireBytes} B (${((u.result.wireBytes / u.bytes) * 100).toFixed(1)}% of the file), ` +
        `atomic ${u.result.atomic}, sha256-verified ${u.result.hashVerified}, board copy ${u.intact ? 'identical' : 'DIFFERENT'}`,
    );
    lines.push(
      `${''.padEnd(14)} target >= ${(target * 100).toFixed(0)}% of line rate: ${ok ? 'PASS' : 'FAIL'}   ` +
        `(mpremote published: ${(mpremote / 1024).toFixed(2)} KB/s = ${((mpremote / c.lineBytesPerSecond) * 100).toFixed(1)}% of line rate; this run is ${(u.bytesPerSecond / mpremote).toFixed(1)}x that)`,
    );
  }
  lines.push('');
  lines.push('Re-upload of the same files, unchanged:');
  for (const u of r.reuploads) {
    const ok = u.result.skipped && u.result.wireBytes === 0 && u.intact;
    pass &&= ok;
    lines.push(
      `${u.name.padEnd(14)} skipped ${u.result.skipped}, file data sent ${u.result.wireBytes} B, check took ${u.seconds.toFixed(2)} s (board-side sha256): ${ok ? 'PASS' : 'FAIL'}`,
    );
  }
  lines.push('');
  lines.push(`Overall: ${pass ? 'PASS' : 'FAIL'}`);
  return { text: lines.join('\n'), pass };
}

async function main(): Promise<number> {
  const result = await runUploadBenchmark({ sourceBytes: BENCH_FILE_BYTES, binaryBytes: BENCH_FILE_BYTES });
  const { text, pass } = formatReport(result);
  process.stdout.write(text + '\n');
  return pass ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`upload benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
