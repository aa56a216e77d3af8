/**
 * Fuzz of the engine's byte-level decoders (issue 9): 100,000 random and
 * mutated board transcripts each for
 *  - the raw REPL: entering it, a command's framing (OK, stdout, \x04,
 *    traceback, \x04, >) and the friendly REPL's banner after it;
 *  - raw-paste flow control: the request's answer, the window size, the
 *    board's \x01 grants and \x04 abort, the compile ack.
 * Each board answer follows the host write it answers, in random pieces;
 * once the board has said everything, the link closes. Every command must end
 * (resolve, or reject with a BoardError: nothing else may escape), none may
 * hang, and memory stays bounded.
 */
import { describe, expect, it } from 'vitest';
import { BoardExecError, isBoardError } from '../../../electron/common/board/BoardError.js';
import { BoardSession } from '../../../electron/common/board/BoardSession.js';
import { LinkError, type Link } from '../../../electron/common/link/Link.js';
import { Emitter } from '../../../electron/common/util/disposable.js';
import { mutateBytes, SeededRandom } from '../../helpers/random.js';
import { FAST_TIMING, FRIENDLY_BANNER, RAW_BANNER } from './scripts.js';

const INPUTS = Number(process.env['FUZZ_INPUTS'] ?? 100_000);
/** One command may take this long before it counts as hung (they take microseconds). */
const HANG_MS = 5_000;
const MEMORY_GROWTH_LIMIT_BYTES = 100 * 1024 * 1024;

/** How long the link waits, with nothing left to say and no write from the host, before it is lost. */
const IDLE_CLOSE_MS = 5;

/** One answer of the board: sent, in random pieces, after a host write that carries the byte `after`. */
interface Answer {
  after: string;
  bytes: Uint8Array;
}

/**
 * A board that gives its answers in order, each after the host write it
 * answers (as a real board does; the engine discards bytes that come before
 * its command). Once it has nothing left to say and the host has been quiet
 * for IDLE_CLOSE_MS, the link is lost, so no wait outlives the input.
 */
class FuzzLink implements Link {
  readonly description = 'fuzz';
  readonly supportsSignals = false;
  isOpen = true;
  private readonly data = new Emitter<Uint8Array>();
  private readonly closed = new Emitter<LinkError | undefined>();
  private pieces: Uint8Array[] = [];
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly r: SeededRandom,
    private readonly answers: Answer[],
  ) {
    this.armIdleClose();
  }

  write(data: Uint8Array): Promise<void> {
    if (!this.isOpen) return Promise.reject(new LinkError('CLOSED', 'closed'));
    // One write may carry several of the bytes the board answers ('\r\x03\r\x01').
    for (const byte of data) {
      const next = this.answers[0];
      if (!next || byte !== next.after.charCodeAt(0)) continue;
      this.answers.shift();
      for (let at = 0; at < next.bytes.length; ) {
        const n = this.r.int(1, 24);
        this.pieces.push(next.bytes.subarray(at, at + n));
        at += n;
      }
    }
    if (this.pieces.length > 0) setImmediate(() => this.drip());
    this.armIdleClose();
    return Promise.resolve();
  }

  private drip(): void {
    const piece = this.pieces.shift();
    if (!this.isOpen || !piece) return;
    this.data.fire(piece);
    if (this.pieces.length > 0) setImmediate(() => this.drip());
    else this.armIdleClose();
  }

  private armIdleClose(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.pieces.length > 0 || !this.isOpen) return;
      this.isOpen = false;
      this.closed.fire(new LinkError('DISCONNECTED', 'fuzz transcript ended'));
    }, IDLE_CLOSE_MS);
  }

  onData(listener: (chunk: Uint8Array) => void) {
    return this.data.event(listener);
  }

  onClose(listener: (error?: LinkError) => void) {
    return this.closed.event(listener);
  }

  setSignals(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    clearTimeout(this.idleTimer);
    this.isOpen = false;
    return Promise.resolve();
  }
}

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

/** Plain raw mode sends the command in a few paced writes, not dozens, so the link's idle close never lands between them. */
const FUZZ_TIMING = { ...FAST_TIMING, RAW_CHUNK_BYTES: 128 };

/** A command long enough to need several raw-paste windows. */
const CODE = 'for i in range(3):\n    print("line", i, "é")\n' + '# padding\n'.repeat(30);

/** Control bytes and fragments the decoders look for, spliced in by mutation. */
const TOKENS = ['\x04', '\x01', '\x02', '\x03', '\x05', '>', '>>> ', 'OK', 'R\x00', 'R\x01', 'raw REPL; CTRL-B to exit\r\n>', '\r\n', 'Traceback (most recent call last):\r\n', '\xff\xfe', '\xe2\x82'];

type Transcript = Array<[after: string, reply: string]>;

/** The host's writes a board answers: Ctrl-C, entering the raw REPL (or asking for raw-paste), the command's end, Ctrl-B. */
const ENTER: Transcript = [
  ['\x03', '\r\n>>> '],
  ['\x01', `\r\n${RAW_BANNER}`],
];
const LEAVE: [string, string] = ['\x02', FRIENDLY_BANNER];

/** What boards say for one command in plain raw mode, when all goes well. */
const RAW_TRANSCRIPTS: Transcript[] = [
  [...ENTER, ['\x04', 'OK\x04line 0 é\r\nline 1 é\r\n\x04\x04>'], LEAVE],
  [...ENTER, ['\x04', 'OK\x04\x04Traceback (most recent call last):\r\n  File "<stdin>", line 1\r\nSyntaxError: invalid syntax\r\n\x04>'], LEAVE],
  [['\x03', '\x00\r\nsoft reboot\r\n'], ['\x01', `${RAW_BANNER}raw REPL; CTRL-B to exit\r\n>`], ['\x04', 'OK\x04\x04>'], ['\x02', 'MicroPython v1.9.3 on 2017-11-01; ESP32 module with ESP32\r\nType "help()" for more information.\r\n>>> ']],
  [...ENTER, ['\x04', `${'x'.repeat(300)}\r\nOK${'y'.repeat(500)}\x04\x04>`], LEAVE],
];

/** ...and with raw-paste: the request's answer and window, grants, the compile ack. */
const PASTE_TRANSCRIPTS: Transcript[] = [
  [...ENTER, ['\x01', 'R\x01\x80\x00\x01\x01\x01\x01'], ['\x04', '\x04line 0 é\r\n\x04\x04>'], LEAVE],
  [...ENTER, ['\x01', 'R\x01\x10\x00\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01'], ['\x04', '\x01\x04\x04Traceback (most recent call last):\r\n\x04>'], LEAVE],
  [...ENTER, ['\x01', 'R\x01\x00\x01\x01'], ['\x04', '\x04out\x04\x04>'], LEAVE],
  [...ENTER, ['\x01', 'R\x01\x20\x00\x04'], ['\x04', '\x04\x04SyntaxError\r\n\x04>'], LEAVE],
  [...ENTER, ['\x01', 'R\x00'], ['\x04', 'OK\x04\x04>'], LEAVE],
];

const TOKEN_BYTES = TOKENS.map(latin1);

/** One answer changed 1 to 6 times: bytes replaced, cut, inserted, repeated, control tokens spliced in, the end dropped. */
function mutateReply(r: SeededRandom, reply: string): Uint8Array {
  return mutateBytes(r, latin1(reply), { maxEdits: 6, maxRun: 16, tokens: TOKEN_BYTES, repeats: true });
}

function randomReply(r: SeededRandom): Uint8Array {
  const parts: number[] = [];
  for (let n = r.int(0, 8); n > 0; n--) {
    if (r.int(0, 2) === 0) parts.push(...latin1(r.pick(TOKENS)));
    else for (let k = r.int(1, 40); k > 0; k--) parts.push(r.int(0, 255));
  }
  return Uint8Array.from(parts);
}

/** A transcript with some answers mutated (or, one time in four, every answer random bytes and tokens). */
function fuzzedAnswers(r: SeededRandom, transcripts: Transcript[], random: boolean): Answer[] {
  const transcript = r.pick(transcripts);
  const mutated = new Set(Array.from({ length: r.int(1, 2) }, () => r.int(0, transcript.length - 1)));
  return transcript.map(([after, reply], i) => ({
    after,
    bytes: random ? randomReply(r) : mutated.has(i) ? mutateReply(r, reply) : latin1(reply),
  }));
}

const describeAnswers = (answers: Answer[]): string => JSON.stringify(answers.map((a) => Buffer.from(a.bytes).toString('latin1')));

interface Tally {
  resolved: number;
  /** The command ran and the board reported an exception: also a well-decoded end. */
  tracebacks: number;
  boardErrors: Map<string, number>;
}

/** Runs one command against `bytes`; returns how it ended, or throws what escaped. */
async function runOne(r: SeededRandom, answers: Answer[], rawPaste: 'auto' | 'never', tally: Tally): Promise<void> {
  const input = describeAnswers(answers);
  const link = new FuzzLink(r, answers);
  const session = new BoardSession(link, { timing: FUZZ_TIMING, rawPaste });
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hung on the answers ${input}`)), HANG_MS);
  });
  try {
    await Promise.race([session.exec(CODE), hang]);
    tally.resolved++;
  } catch (err) {
    if (err instanceof BoardExecError) {
      tally.tracebacks++;
      return;
    }
    if (!isBoardError(err)) throw new Error(`${String(err)} escaped for the answers ${input}`, { cause: err });
    tally.boardErrors.set(err.code, (tally.boardErrors.get(err.code) ?? 0) + 1);
  } finally {
    clearTimeout(timer);
    session.dispose();
  }
}

/** Runs INPUTS commands, `parallel` at a time (each one mostly waits on macrotasks). */
async function fuzz(seed: number, transcripts: Transcript[], rawPaste: 'auto' | 'never'): Promise<Tally> {
  const tally: Tally = { resolved: 0, tracebacks: 0, boardErrors: new Map() };
  const parallel = 64;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < INPUTS) {
      const i = next++;
      // One stream per input, so any input can be replayed alone whatever ran beside it.
      const r = new SeededRandom((seed + Math.imul(i, 0x9e3779b1)) >>> 0);
      await runOne(r, fuzzedAnswers(r, transcripts, i % 4 === 3), rawPaste, tally);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return tally;
}

function report(name: string, tally: Tally, ms: number, growth: number): void {
  const errors = [...tally.boardErrors].map(([code, n]) => `${code} ${n}`).join(', ');
  console.log(`${name}: ${INPUTS} inputs in ${(ms / 1000).toFixed(1)} s; ${tally.resolved} commands completed, ${tally.tracebacks} with a traceback; board errors: ${errors}; heap growth ${(growth / 1e6).toFixed(1)} MB`);
}

describe('engine decoders under fuzzed board bytes', () => {
  for (const [name, seed, transcripts, rawPaste] of [
    ['raw REPL framing and the friendly banner', 0x5eed01, RAW_TRANSCRIPTS, 'never'],
    ['raw-paste flow control', 0x5eed02, PASTE_TRANSCRIPTS, 'auto'],
  ] as const) {
    it(`${name}: ${INPUTS} inputs, no crash, no hang, bounded memory`, { timeout: 600_000 }, async () => {
      const heapBefore = process.memoryUsage().heapUsed;
      const started = Date.now();
      const tally = await fuzz(seed, transcripts, rawPaste);
      const growth = process.memoryUsage().heapUsed - heapBefore;
      report(name, tally, Date.now() - started, growth);
      expect(tally.resolved + tally.tracebacks + [...tally.boardErrors.values()].reduce((a, b) => a + b, 0)).toBe(INPUTS);
      // The fuzz reaches both outcomes: it is not just feeding garbage that fails at the first byte.
      expect(tally.resolved).toBeGreaterThan(INPUTS / 100);
      expect(tally.boardErrors.size).toBeGreaterThan(1);
      expect(growth).toBeLessThan(MEMORY_GROWTH_LIMIT_BYTES);
    });
  }
});
