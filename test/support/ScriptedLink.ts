/**
 * A fake Link that replays a scripted byte transcript, for tests of anything
 * that speaks to a board. The script alternates what the host must write
 * (`expect`, `expectUntil`) with what the board answers (`send`, optionally
 * delayed and split into chunks), silence (`wait`, or simply no more steps) and
 * link loss (`close`). Host writes are matched as one byte stream, however the
 * host splits them; any write the script does not expect is a failure: the
 * write rejects, and `assertDone()` throws it.
 */
import { describeBytes, indexOfBytes } from '../../electron/common/util/bytes.js';
import type { Disposable } from '../../electron/common/util/disposable.js';
import { Emitter } from '../../electron/common/util/disposable.js';
import { LinkError, type Link, type LinkSignals } from '../../electron/common/link/Link.js';

export type ScriptBytes = string | Uint8Array;

export type ScriptStep =
  /** The host must write exactly these bytes next. */
  | { expect: ScriptBytes; note?: string }
  /** The host writes anything, ending with `terminator`; `check` may inspect it (throw to fail). */
  | { expectUntil: ScriptBytes; check?: (written: Uint8Array) => void; note?: string }
  /** The board sends bytes after `delayMs`, optionally split in `chunkBytes` pieces `chunkDelayMs` apart. */
  | { send: ScriptBytes; delayMs?: number; chunkBytes?: number; chunkDelayMs?: number }
  /** The board stays silent for this long before the next step. */
  | { wait: number }
  /** The host must set these modem lines next (checked in setSignals). */
  | { expectSignals: LinkSignals; note?: string }
  /** The link is lost (with an error) or closed. */
  | { close: LinkError | undefined }
  /** From here on every host write is accepted and ignored. */
  | { ignoreRest: true };

export interface TranscriptEntry {
  from: 'host' | 'board' | 'signals';
  data: Uint8Array | LinkSignals;
  atMs: number;
}

function toBytes(b: ScriptBytes): Uint8Array {
  return typeof b === 'string' ? latin1(b) : b;
}

/** Strings in scripts are byte strings: each char code is one byte (so '\x04' is 0x04). Use Uint8Array for UTF-8. */
function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}



function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export class ScriptedLink implements Link {
  readonly description: string;
  private open = true;
  private readonly dataEmitter = new Emitter<Uint8Array>();
  private readonly closeEmitter = new Emitter<LinkError | undefined>();
  private index = 0;
  private pending = new Uint8Array(0);
  private running = false;
  private readonly started = Date.now();
  private doneWaiters: Array<() => void> = [];
  readonly failures: Error[] = [];
  readonly transcript: TranscriptEntry[] = [];
  readonly signalLog: LinkSignals[] = [];

  constructor(
    private readonly steps: ScriptStep[],
    description = 'Scripted link',
  ) {
    this.description = description;
    queueMicrotask(() => this.advance());
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** Steps not yet played. */
  get remainingSteps(): number {
    return this.steps.length - this.index;
  }

  onData(listener: (chunk: Uint8Array) => void): Disposable {
    return this.dataEmitter.event(listener);
  }

  onClose(listener: (error?: LinkError) => void): Disposable {
    return this.closeEmitter.event((e) => listener(e));
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.open) throw new LinkError('CLOSED', 'The scripted link is closed.');
    this.transcript.push({ from: 'host', data: data.slice(), atMs: Date.now() - this.started });
    const merged = new Uint8Array(this.pending.length + data.length);
    merged.set(this.pending);
    merged.set(data, this.pending.length);
    this.pending = merged;
    const failure = this.match();
    if (failure) throw failure;
  }

  async setSignals(signals: LinkSignals): Promise<void> {
    if (!this.open) throw new LinkError('CLOSED', 'The scripted link is closed.');
    this.signalLog.push({ ...signals });
    this.transcript.push({ from: 'signals', data: { ...signals }, atMs: Date.now() - this.started });
    const step = this.steps[this.index];
    if (step && 'expectSignals' in step) {
      const want = step.expectSignals;
      if (want.dtr !== signals.dtr || want.rts !== signals.rts) {
        throw this.fail(`expected signals ${JSON.stringify(want)}${step.note ? ` (${step.note})` : ''}, got ${JSON.stringify(signals)}`);
      }
      this.index++;
      this.advance();
    }
  }

  async close(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    this.closeEmitter.fire(undefined);
  }

  /** Sends bytes from the "board" now, outside the script. */
  emit(data: ScriptBytes): void {
    const bytes = toBytes(data);
    this.transcript.push({ from: 'board', data: bytes, atMs: Date.now() - this.started });
    this.dataEmitter.fire(bytes);
  }

  /** Throws the first failure, or if steps are left unplayed. */
  assertDone(): void {
    if (this.failures.length) throw this.failures[0];
    if (this.index < this.steps.length && !('ignoreRest' in this.steps[this.index]!)) {
      throw new Error(`ScriptedLink: ${this.steps.length - this.index} step(s) not played; next is ${JSON.stringify(this.describeStep(this.index))}`);
    }
  }

  /** Resolves when every step has been played (or the rest is ignoreRest). */
  whenDone(): Promise<void> {
    if (this.isDone()) return Promise.resolve();
    return new Promise((r) => this.doneWaiters.push(r));
  }

  private isDone(): boolean {
    return this.index >= this.steps.length || 'ignoreRest' in this.steps[this.index]!;
  }

  private describeStep(i: number): unknown {
    const s = this.steps[i];
    if (!s) return undefined;
    if ('expect' in s) return { expect: describeBytes(toBytes(s.expect)), note: s.note };
    if ('expectUntil' in s) return { expectUntil: describeBytes(toBytes(s.expectUntil)), note: s.note };
    if ('send' in s) return { send: describeBytes(toBytes(s.send)) };
    return s;
  }

  private fail(message: string): Error {
    const err = new Error(`ScriptedLink: ${message}`);
    this.failures.push(err);
    return err;
  }

  /** Consumes pending host bytes against expect steps; returns a failure for a bad write. */
  private match(): Error | undefined {
    while (this.pending.length > 0) {
      if (this.running) return undefined; // board still sending: match after it
      const step = this.steps[this.index];
      if (!step) {
        return this.fail(`unexpected write after the script ended: "${describeBytes(this.pending)}"`);
      }
      if ('ignoreRest' in step) {
        this.pending = new Uint8Array(0);
        return undefined;
      }
      if ('expect' in step) {
        const want = toBytes(step.expect);
        const n = Math.min(want.length, this.pending.length);
        for (let i = 0; i < n; i++) {
          if (want[i] !== this.pending[i]) {
            const err = this.fail(
              `step ${this.index}${step.note ? ` (${step.note})` : ''}: expected host to write "${describeBytes(want)}", got "${describeBytes(this.pending)}"`,
            );
            this.pending = new Uint8Array(0);
            return err;
          }
        }
        if (n < want.length) {
          // Partial match: shorten the expectation to what is left.
          this.steps[this.index] = { ...step, expect: want.subarray(n) };
          this.pending = new Uint8Array(0);
          return undefined;
        }
        this.pending = this.pending.subarray(n);
        this.index++;
        this.advance();
        continue;
      }
      if ('expectUntil' in step) {
        const term = toBytes(step.expectUntil);
        const acc = (step as { acc?: Uint8Array }).acc ?? new Uint8Array(0);
        const all = new Uint8Array(acc.length + this.pending.length);
        all.set(acc);
        all.set(this.pending, acc.length);
        const i = indexOfBytes(all, term);
        if (i < 0) {
          (this.steps[this.index] as { acc?: Uint8Array }).acc = all;
          this.pending = new Uint8Array(0);
          return undefined;
        }
        const written = all.subarray(0, i + term.length);
        try {
          step.check?.(written);
        } catch (e) {
          return this.fail(`step ${this.index}${step.note ? ` (${step.note})` : ''}: check failed: ${e instanceof Error ? e.message : String(e)}`);
        }
        this.pending = all.subarray(i + term.length);
        this.index++;
        this.advance();
        continue;
      }
      if ('expectSignals' in step) {
        return this.fail(`step ${this.index}: expected modem signals, got a write "${describeBytes(this.pending)}"`);
      }
      // A board step is next; the runner will come back to these bytes.
      return undefined;
    }
    return undefined;
  }

  /** Plays board-side steps until the next host expectation. */
  private advance(): void {
    if (this.running) return;
    const step = this.steps[this.index];
    if (!step || this.isDone()) {
      if (this.isDone()) {
        const w = this.doneWaiters;
        this.doneWaiters = [];
        for (const r of w) r();
      }
      return;
    }
    if (!('send' in step || 'wait' in step || 'close' in step)) return;
    this.running = true;
    void this.play().finally(() => {
      this.running = false;
      const failure = this.match();
      void failure; // recorded in failures; nothing to reject here
      this.advance();
    });
  }

  private async play(): Promise<void> {
    for (;;) {
      const step = this.steps[this.index];
      if (!step) return;
      if ('send' in step) {
        if (step.delayMs) await sleep(step.delayMs);
        const bytes = toBytes(step.send);
        const size = step.chunkBytes && step.chunkBytes > 0 ? step.chunkBytes : bytes.length;
        for (let off = 0; off < bytes.length; off += size) {
          if (!this.open) return;
          if (off > 0 && step.chunkDelayMs) await sleep(step.chunkDelayMs);
          this.emit(bytes.slice(off, off + size));
        }
      } else if ('wait' in step) {
        await sleep(step.wait);
      } else if ('close' in step) {
        this.open = false;
        this.closeEmitter.fire(step.close);
      } else {
        return;
      }
      this.index++;
    }
  }
}
