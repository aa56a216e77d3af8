/**
 * The raw REPL over a Link, and nothing else (mpremote's Transport): getting
 * into the raw REPL through the interrupt ladder, sending a command by
 * raw-paste (window flow control) or paced plain raw writes, running it and
 * following its output (execProgram.ts), and getting back in step after a
 * timeout or cancel. It does not decide who may use the line; LineArbiter does.
 */
import type { Link, LinkSignals } from '../../link/Link.js';
import { LinkError } from '../../link/Link.js';
import { errorMessage } from '../../util/format.js';
import { BoardError, isBoardError } from '../BoardError.js';
import type { BoardTiming } from './BoardTiming.js';
import { execProgram, type ExecOptions, type ExecResult, type ProgramIO } from './execProgram.js';
import { ByteReader, cancelledError, pauseOrCancel } from './ByteReader.js';
import { bytesOf, describeBytes } from '../../util/bytes.js';
import {
  CTRL_A,
  CTRL_D,
  ENTER_RAW_SEQUENCE,
  FRIENDLY_BANNER_END,
  LEAVE_RAW_SEQUENCE,
  RAW_COMMAND_ACK,
  RAW_PASTE_REFUSED,
  RAW_PASTE_REQUEST,
  RAW_PASTE_SUPPORTED,
  RAW_REPL_BANNER,
  RAW_REPL_PROMPT,
  interruptSequence,
  utf8Boundary,
} from './replProtocol.js';

/** Old firmware answers a raw-paste request with the raw banner again; more than this is not that. */
const RAW_BANNER_REPEAT_MAX_BYTES = 256;
/** Plain raw mode: a late duplicate banner may come before `OK`, but not more than this. */
const BEFORE_ACK_MAX_BYTES = 512;
/** A board that never reached the raw REPL: the end of what it printed goes into the error, this much of it. */
const LAST_OUTPUT_SHOWN_BYTES = 60;

export type ReplState = 'unknown' | 'friendly' | 'raw';

export class RawReplTransport {
  /** Bytes from the board while an operation holds the line (LineArbiter routes them here). */
  readonly reader = new ByteReader();
  /** Where the board is, as far as we know; 'unknown' makes the next command re-enter through the ladder. */
  state: ReplState = 'unknown';
  private rawPaste: boolean | undefined;
  private lostError: BoardError | undefined;
  /** A `\r\x01` went out and its banner was not read (a cancelled or timed-out entry): the banner may still come. */
  private enterUnanswered = false;

  constructor(
    readonly link: Link,
    readonly timing: BoardTiming,
    rawPaste: 'auto' | 'never',
    private readonly debug: (message: string) => void,
  ) {
    if (rawPaste === 'never') this.rawPaste = false;
  }

  /** Whether raw-paste works on this board; undefined until the first command tried it. */
  get rawPasteSupported(): boolean | undefined {
    return this.rawPaste;
  }

  /** Set once the link closed: every later write and wait fails with it. */
  get lost(): BoardError | undefined {
    return this.lostError;
  }

  markLost(error: LinkError | undefined): BoardError {
    // The link's own message already says what happened and what to do.
    this.lostError = new BoardError('LINK_LOST', error ? error.message : 'The connection to the board was closed.', { cause: error });
    this.reader.fail(this.lostError);
    return this.lostError;
  }

  async write(data: Uint8Array): Promise<void> {
    if (this.lostError) throw this.lostError;
    try {
      await this.link.write(data);
    } catch (err) {
      if (err instanceof LinkError) {
        throw new BoardError('LINK_LOST', `Could not send to the board: ${err.message}`, { cause: err });
      }
      throw err;
    }
  }

  async setSignals(signals: LinkSignals): Promise<void> {
    try {
      await this.link.setSignals(signals);
    } catch (err) {
      throw new BoardError('LINK_LOST', `Could not set the serial lines: ${errorMessage(err)}`, { cause: err });
    }
  }

  // ---- entering and leaving the raw REPL -------------------------------------

  async ensureRaw(signal: AbortSignal): Promise<void> {
    if (this.state !== 'raw') await this.enterRaw(signal);
  }

  /**
   * The interrupt ladder: `\r` + 1, 2, 3, 5 Ctrl-C, each followed by `\r\x01`,
   * until the raw banner appears. Several Ctrl-Cs get through a main.py that
   * catches KeyboardInterrupt once. The first rung sends `\r\x01` right after
   * its Ctrl-C, as mpremote does: a board at its prompt, or running a program
   * that stops on Ctrl-C, answers with the banner at once. The later rungs
   * first wait for the output to pause, so a program that keeps printing is
   * drained; so does the first, when an earlier entry's banner may still be
   * on its way (that entry was cancelled), which would otherwise be taken for
   * this one's and leave the second banner to answer the next command.
   * Everything before the banner (a `\x00` after reset, soft-reboot text, any
   * custom prompt) is discarded, so no particular prompt is assumed.
   */
  async enterRaw(signal: AbortSignal): Promise<void> {
    const t = this.timing;
    const started = Date.now();
    const banner = bytesOf(RAW_REPL_BANNER + RAW_REPL_PROMPT);
    let lastSeen: Uint8Array = new Uint8Array(0);
    for (const [rung, ctrlCs] of t.INTERRUPT_LADDER.entries()) {
      if (rung === 0 && !this.enterUnanswered) {
        this.enterUnanswered = true;
        await this.write(bytesOf(interruptSequence(ctrlCs) + ENTER_RAW_SEQUENCE));
      } else {
        await this.write(bytesOf(interruptSequence(ctrlCs)));
        const drained = await this.reader.settle(t.INTERRUPT_QUIET_MS, t.INTERRUPT_SETTLE_MAX_MS, signal);
        if (drained.length) lastSeen = drained;
        this.enterUnanswered = true;
        await this.write(bytesOf(ENTER_RAW_SEQUENCE));
      }
      try {
        await this.reader.readUntil(banner, { timeoutMs: t.RAW_ENTER_TIMEOUT_MS, signal, timeoutMessage: 'no banner' });
        this.enterUnanswered = false;
        this.state = 'raw';
        this.debug(`raw REPL entered after ${ctrlCs} Ctrl-C`);
        return;
      } catch (err) {
        if (!isBoardError(err, 'TIMEOUT')) throw err;
        const pending = this.reader.peek();
        if (pending.length) lastSeen = pending.slice();
      }
    }
    this.state = 'unknown';
    const secs = Math.max(1, Math.round((Date.now() - started) / 1000));
    const heard = lastSeen.length ? ` Last output: "${describeBytes(lastSeen.subarray(Math.max(0, lastSeen.length - LAST_OUTPUT_SHOWN_BYTES)))}".` : ' It sent nothing at all.';
    throw new BoardError(
      'NO_PROMPT',
      `The board did not answer Ctrl-C within ${secs} s. Is another program using it, or is it in the bootloader? Press the board's reset button and try again.${heard}`,
    );
  }

  /**
   * Ctrl-B, for the terminal's sake. The friendly REPL answers with its whole
   * banner ("MicroPython v1.x on ...", "Type "help()" ...") before the prompt;
   * printed after every file operation it buried the user's REPL in banners,
   * so it is swallowed and only what follows it (the prompt) is returned. A
   * board that answers differently loses nothing: everything read is returned.
   * Undefined when the board did not take it (the state is then unknown).
   */
  async leaveRaw(): Promise<Uint8Array | undefined> {
    try {
      await this.write(bytesOf(LEAVE_RAW_SEQUENCE));
      this.state = 'friendly';
      try {
        await this.reader.readUntil(bytesOf(FRIENDLY_BANNER_END), { timeoutMs: this.timing.FRIENDLY_BANNER_TIMEOUT_MS, timeoutMessage: 'no banner' });
      } catch (err) {
        if (!isBoardError(err, 'TIMEOUT', 'PROTOCOL')) throw err;
      }
      return await this.reader.settle(this.timing.FRIENDLY_PROMPT_QUIET_MS, this.timing.INTERRUPT_SETTLE_MAX_MS);
    } catch {
      this.state = 'unknown';
      return undefined;
    }
  }

  /** Reads the `>` that ends every raw command; anything else means we lost step. */
  async readPrompt(signal?: AbortSignal): Promise<void> {
    const b = await this.reader.readExactly(1, {
      timeoutMs: this.timing.EXEC_TAIL_TIMEOUT_MS,
      signal,
      timeoutMessage: 'The board did not return to the raw REPL prompt after running code. Press its reset button and try again.',
    });
    if (b[0] !== RAW_REPL_PROMPT.charCodeAt(0)) {
      this.state = 'unknown';
      throw new BoardError('PROTOCOL', `Expected the raw REPL prompt ">" after the command, got "${describeBytes(b)}".`);
    }
  }

  // ---- sending a command ------------------------------------------------------

  /**
   * Sends a command and waits until the board has accepted it (raw-paste's
   * compile ack, or plain raw's `OK`). Uploads are not cancellable half-way:
   * a truncated command could run as partial code. Returns once the program runs.
   */
  async sendCommand(code: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw cancelledError(signal);
    const data = bytesOf(code);
    // Stale bytes (a late duplicate banner, echo) must not be read as the answer.
    this.reader.clear();
    if (this.rawPaste !== false) {
      const sent = await this.tryRawPaste(data, signal);
      if (sent) return;
    }
    await this.sendPlainRaw(data);
  }

  /** Returns false when the board has no raw-paste (remembered for this session). */
  private async tryRawPaste(data: Uint8Array, signal: AbortSignal): Promise<boolean> {
    const t = this.timing;
    await this.write(bytesOf(RAW_PASTE_REQUEST));
    let reply: Uint8Array;
    try {
      reply = await this.reader.readExactly(2, {
        timeoutMs: t.RAW_PASTE_REPLY_TIMEOUT_MS,
        timeoutMessage: 'The board did not answer the raw-paste request.',
      });
    } catch (err) {
      if (!isBoardError(err, 'TIMEOUT')) throw err;
      // Some USB-Serial-JTAG boards stall here: fall back to plain raw mode for good.
      this.debug('raw-paste: no answer, using plain raw mode from now on');
      this.rawPaste = false;
      this.state = 'unknown';
      await this.enterRaw(signal);
      return false;
    }
    const r = String.fromCharCode(...reply);
    if (r === RAW_PASTE_SUPPORTED) {
      const w = await this.reader.readExactly(2, { timeoutMs: t.RAW_PASTE_REPLY_TIMEOUT_MS, timeoutMessage: 'The board did not send its raw-paste window size.' });
      const windowBytes = w[0]! | (w[1]! << 8);
      if (windowBytes === 0) throw new BoardError('PROTOCOL', 'The board offered a raw-paste window of 0 bytes.');
      this.rawPaste = true;
      await this.rawPasteWrite(data, windowBytes);
      return true;
    }
    this.rawPaste = false;
    if (r === RAW_PASTE_REFUSED) {
      this.debug('raw-paste refused by the board (R\\x00)');
      return false;
    }
    // Old firmware ignores \x05A and re-enters raw mode on \x01: the banner again ("ra" + "w REPL...").
    this.debug(`raw-paste unknown to the board (answered "${describeBytes(reply)}")`);
    await this.reader.readUntil(bytesOf(RAW_REPL_BANNER.slice(2) + RAW_REPL_PROMPT), {
      timeoutMs: t.RAW_PASTE_REPLY_TIMEOUT_MS,
      maxBytes: RAW_BANNER_REPEAT_MAX_BYTES,
      timeoutMessage: 'The board answered the raw-paste request with neither raw-paste nor the raw REPL banner.',
    });
    return false;
  }

  /**
   * Raw-paste upload: the window size already granted one window; each `\x01`
   * from the board grants another; a `\x04` from the board means it stopped
   * reading (e.g. a syntax error), which we acknowledge with `\x04`.
   */
  private async rawPasteWrite(data: Uint8Array, windowBytes: number): Promise<void> {
    const t = this.timing;
    let remain = windowBytes;
    let offset = 0;
    while (offset < data.length) {
      while (remain === 0 || this.reader.available > 0) {
        const b = await this.reader.readExactly(1, {
          timeoutMs: t.RAW_PASTE_FLOW_TIMEOUT_MS,
          timeoutMessage: `The board stopped granting raw-paste window after ${offset} of ${data.length} bytes.`,
        });
        if (b[0] === CTRL_A) remain += windowBytes;
        else if (b[0] === CTRL_D) {
          // The board aborted reception; its error follows in the normal framing.
          await this.write(Uint8Array.of(CTRL_D));
          return;
        } else {
          this.state = 'unknown';
          throw new BoardError('PROTOCOL', `Unexpected byte during raw-paste upload: "${describeBytes(b)}".`);
        }
      }
      const n = Math.min(remain, data.length - offset);
      await this.write(data.subarray(offset, offset + n));
      offset += n;
      remain -= n;
    }
    await this.write(Uint8Array.of(CTRL_D));
    // Until the compile ack the board may still send flow-control bytes; skip them.
    await this.reader.wait(
      () => {
        while (this.reader.available > 0) {
          const b = this.reader.take(1)[0];
          if (b === CTRL_D) return true;
          if (b !== CTRL_A) {
            this.state = 'unknown';
            throw new BoardError('PROTOCOL', `Unexpected byte after a raw-paste upload: "${describeBytes(Uint8Array.of(b ?? 0))}".`);
          }
        }
        return undefined;
      },
      { timeoutMs: t.COMMAND_ACK_TIMEOUT_MS, timeoutMessage: 'The board did not confirm the end of the raw-paste upload.' },
    );
  }

  /**
   * Plain raw mode: writes that never cut a UTF-8 character, at most one
   * chunk per interval, so a fast link (native USB) never bursts into a board
   * with a small receive buffer. The interval runs from each write's start, so
   * over a UART, whose writes take their wire time, the line stays busy. Then
   * `\x04` and `OK`.
   */
  private async sendPlainRaw(data: Uint8Array): Promise<void> {
    const t = this.timing;
    for (let off = 0; off < data.length; ) {
      const end = utf8Boundary(data, off, off + t.RAW_CHUNK_BYTES);
      const paced = end < data.length ? pauseOrCancel(t.RAW_CHUNK_INTERVAL_MS) : undefined;
      await this.write(data.subarray(off, end));
      off = end;
      await paced;
    }
    await this.write(Uint8Array.of(CTRL_D));
    // Tolerate a repeated raw banner before OK (a late answer to an earlier \x01).
    const before = await this.reader.readUntil(bytesOf(RAW_COMMAND_ACK), {
      timeoutMs: t.COMMAND_ACK_TIMEOUT_MS,
      maxBytes: BEFORE_ACK_MAX_BYTES,
      timeoutMessage: 'The board did not acknowledge the command (no "OK" from the raw REPL). Press its reset button and try again.',
    });
    if (before.length) this.debug(`skipped before OK: ${describeBytes(before)}`);
  }

  // ---- running a command ------------------------------------------------------

  /**
   * Runs `code` in the raw REPL (entering it first when needed) and follows
   * its output; see execProgram.ts.
   */
  exec(code: string, opts: ExecOptions, runSignal: AbortSignal, interact?: (io: ProgramIO) => Promise<unknown>): Promise<{ result: ExecResult; value: unknown }> {
    return execProgram(this, code, opts, runSignal, interact);
  }
}
