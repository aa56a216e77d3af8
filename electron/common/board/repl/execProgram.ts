/**
 * One command in the raw REPL, from sending it to the prompt after it: its
 * stdout (streamed, or read in turns by a host that talks to the program),
 * its traceback, and getting back in step when it runs too long or is
 * cancelled. The raw REPL frames a command's output as
 * `OK` or compile ack, stdout, `\x04`, traceback, `\x04`, `>`. Output that
 * streams to the caller is kept only as a bounded tail (KeptOutput.ts), so a
 * program may print for as long as it runs.
 */
import { BoardError, BoardExecError, isBoardError } from '../BoardError.js';
import { KeptOutput, STREAMED_OUTPUT_TAIL_CHARS } from './KeptOutput.js';
import { RebootWatch } from './RebootWatch.js';
import type { RawReplTransport } from './RawReplTransport.js';
import { CTRL_C, CTRL_D } from './replProtocol.js';

export interface ExecOptions {
  /** Receives stdout as it comes; the result then keeps only its tail (see ExecResult). */
  onStdout?: (text: string) => void;
  /** Receives the traceback as it comes; the result then keeps only its tail. */
  onStderr?: (text: string) => void;
  signal?: AbortSignal;
  /** How long the program may run (default EXEC_TIMEOUT_MS); it is interrupted with Ctrl-C after that. */
  timeoutMs?: number;
  /**
   * False for clean-up commands that must run even after the operation was
   * cancelled (removing a half-written temp file); only `signal` and the
   * timeouts can stop them then.
   */
  cancellable?: boolean;
}

export interface ExecResult {
  /**
   * Everything the command printed; when it was streamed to onStdout, only the
   * last STREAMED_OUTPUT_TAIL_CHARS of it, and `stdoutTruncated` says whether
   * that is less than all.
   */
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
}

/** The running program's stdin and stdout, for protocols where the host and the board take turns. */
export interface ProgramIO {
  write(data: Uint8Array): Promise<void>;
  /**
   * Reads exactly `n` bytes of the program's stdout. If the program ends first
   * the exec fails with its traceback (BoardExecError) or a PROTOCOL error.
   */
  read(n: number, opts: { timeoutMs: number; signal?: AbortSignal | undefined; what: string }): Promise<Uint8Array>;
}

/** A program that ended too early: the end of what it printed goes into the error, this much of it. */
const ENDED_EARLY_SHOWN_CHARS = 200;

/** Thrown inside ProgramIO.read when the program's stdout ends; turned into the real error by execProgram. */
class ProgramEnded extends Error {}

/**
 * Runs `code` (entering the raw REPL first when needed): its stdout streams to
 * `opts.onStdout`, a traceback becomes BoardExecError. With `interact`, the
 * host talks to the running program through ProgramIO before the output
 * framing is read; its result is returned as `value`.
 */
/** Why a run ended when the board restarted under it. */
export const BOARD_RESTARTED_MESSAGE = 'The board restarted while the program ran (a watchdog, a crash, machine.reset() or its reset button); what it printed on the way up is in the terminal.';

export async function execProgram(
  transport: RawReplTransport,
  code: string,
  opts: ExecOptions,
  runSignal: AbortSignal,
  interact?: (io: ProgramIO) => Promise<unknown>,
): Promise<{ result: ExecResult; value: unknown }> {
  const { reader, timing } = transport;
  const base = opts.cancellable === false ? new AbortController().signal : runSignal;
  const signal = opts.signal ? AbortSignal.any([base, opts.signal]) : base;
  await transport.ensureRaw(signal);
  await transport.sendCommand(code, signal);

  const timeoutMs = opts.timeoutMs ?? timing.EXEC_TIMEOUT_MS;
  const outDecoder = new TextDecoder();
  const errDecoder = new TextDecoder();
  const stdout = new KeptOutput(opts.onStdout ? STREAMED_OUTPUT_TAIL_CHARS : Infinity);
  const stderr = new KeptOutput(opts.onStderr ? STREAMED_OUTPUT_TAIL_CHARS : Infinity);
  let stdoutEnded = false;
  let endedEarly = false;
  const reboot = new RebootWatch();
  let value: unknown;

  const io: ProgramIO = {
    write: (data) => transport.write(data),
    read: (n, o) =>
      reader.wait(
        () => {
          const data = reader.peek();
          const end = data.subarray(0, n).indexOf(CTRL_D);
          if (end >= 0) {
            stdout.add(outDecoder.decode(reader.take(end), { stream: true }));
            reader.take(1);
            stdoutEnded = true;
            throw new ProgramEnded();
          }
          return data.length >= n ? reader.take(n) : undefined;
        },
        { timeoutMs: o.timeoutMs, signal: o.signal, timeoutMessage: `The board did not answer while ${o.what}.` },
      ),
  };

  try {
    if (interact) {
      try {
        value = await interact(io);
      } catch (err) {
        if (!(err instanceof ProgramEnded)) throw err;
        endedEarly = true;
      }
    }
    if (!stdoutEnded) {
      await reader.readUntil(Uint8Array.of(CTRL_D), {
        timeoutMs,
        signal,
        timeoutMessage: `The program on the board did not finish within ${Math.round(timeoutMs / 100) / 10} s; it was stopped with Ctrl-C.`,
        onData: (chunk) => {
          const text = outDecoder.decode(chunk, { stream: true });
          stdout.add(text);
          if (text) opts.onStdout?.(text);
          if (text && reboot.saw(text)) throw new BoardError('PROTOCOL', BOARD_RESTARTED_MESSAGE);
        },
      });
      stdoutEnded = true;
    }
  } catch (err) {
    if (isBoardError(err, 'PROTOCOL') && err.message === BOARD_RESTARTED_MESSAGE) {
      // It came back up on its own: into the friendly REPL, or running its main.py.
      transport.state = 'unknown';
      throw err;
    }
    await recoverRunning(transport, stdoutEnded);
    throw err;
  }
  const tail = outDecoder.decode();
  if (tail) {
    stdout.add(tail);
    opts.onStdout?.(tail);
  }

  try {
    await reader.readUntil(Uint8Array.of(CTRL_D), {
      timeoutMs: timing.EXEC_TAIL_TIMEOUT_MS,
      signal,
      timeoutMessage: 'The board did not finish printing its error output. Press its reset button and try again.',
      onData: (chunk) => {
        const text = errDecoder.decode(chunk, { stream: true });
        stderr.add(text);
        if (text) opts.onStderr?.(text);
      },
    });
    const errTail = errDecoder.decode();
    if (errTail) {
      stderr.add(errTail);
      opts.onStderr?.(errTail);
    }
    await transport.readPrompt(signal);
  } catch (err) {
    transport.state = 'unknown';
    throw err;
  }
  const out = stdout.text;
  const traceback = stderr.text;
  if (traceback.length > 0) throw new BoardExecError(traceback, out);
  if (endedEarly) {
    throw new BoardError('PROTOCOL', `The program on the board ended before the host was done with it. It printed: "${out.slice(-ENDED_EARLY_SHOWN_CHARS)}"`);
  }
  return { result: { stdout: out, stderr: traceback, stdoutTruncated: stdout.truncated, stderrTruncated: stderr.truncated }, value };
}

/**
 * After a timeout or cancel while a program runs: Ctrl-C it and read up to
 * the end of its framing (`\x04` + traceback + `\x04>`), so the next command
 * starts in step. If that fails too, the next operation re-enters the raw
 * REPL through the interrupt ladder.
 */
async function recoverRunning(transport: RawReplTransport, stdoutEnded: boolean): Promise<void> {
  if (transport.lost) return;
  const { reader, timing: t } = transport;
  const end = Uint8Array.of(CTRL_D);
  try {
    if (!stdoutEnded) {
      // A program that was already told to stop (e.g. a transfer's abort header) gets a moment to end by itself.
      try {
        await reader.readUntil(end, { timeoutMs: t.RECOVER_GRACE_MS, timeoutMessage: 'still running' });
      } catch (err) {
        if (!isBoardError(err, 'TIMEOUT')) throw err;
        await transport.write(Uint8Array.of(CTRL_C));
        await reader.readUntil(end, { timeoutMs: t.RECOVER_TIMEOUT_MS, timeoutMessage: 'no framing after Ctrl-C' });
      }
    }
    await reader.readUntil(end, { timeoutMs: t.RECOVER_TIMEOUT_MS, timeoutMessage: 'no traceback end' });
    await transport.readPrompt();
  } catch {
    transport.state = 'unknown';
  }
}
