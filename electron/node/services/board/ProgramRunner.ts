/**
 * Programs and the REPL on the connected board: run code without saving it
 * (output and traceback stream to the terminal), stop it, soft and hard
 * resets, and the keystrokes and pastes of the terminal.
 */
import type { RunResult, boardCalls, terminalCalls } from '../../../common/api/contract.js';
import type { HandlersFor } from '../../../common/api/dispatcher.js';
import { ApiError } from '../../../common/api/errors.js';
import { BoardError, BoardExecError, tracebackSummary } from '../../../common/board/BoardError.js';
import { BOARD_RESTARTED_MESSAGE } from '../../../common/board/repl/execProgram.js';
import type { TerminalBatcher } from '../TerminalBatcher.js';
import type { BoardConnectionService } from './BoardConnectionService.js';
import type { BoardStatusStore } from './BoardStatusStore.js';
import type { Connection } from './Connection.js';

/** Before a reset, a running program is stopped; this bounds the wait for it to end. */
export const STOP_BEFORE_RESET_TIMEOUT_MS = 5000;
/** setTimeout's ceiling (~24.8 days): a program started with Run may run until stopped. */
const RUN_FOREVER_MS = 2 ** 31 - 1;

export interface ProgramRunnerOptions {
  connections: BoardConnectionService;
  status: BoardStatusStore;
  terminal: TerminalBatcher;
}

export class ProgramRunner {
  private runInFlight: Promise<unknown> | undefined;

  constructor(private readonly options: ProgramRunnerOptions) {
    // A program cannot outlive its connection.
    options.connections.onDidChangeConnection(() => {
      this.runInFlight = undefined;
    });
  }

  /** A program started with run() is running. */
  get running(): boolean {
    return this.options.status.get().running;
  }

  handlers(): Pick<HandlersFor<typeof boardCalls>, 'board.run' | 'board.stop' | 'board.softReset' | 'board.hardReset' | 'board.bootloader'> & HandlersFor<typeof terminalCalls> {
    return {
      'board.run': (p, ctx) => this.run(p.code, p.name, ctx.signal),
      'board.stop': async () => {
        await this.stop();
        return {};
      },
      'board.softReset': async (_p, ctx) => {
        await this.softReset(ctx.signal);
        return {};
      },
      'board.hardReset': (_p, ctx) => this.hardReset(ctx.signal),
      'board.bootloader': async (_p, ctx) => {
        await this.enterBootloader(ctx.signal);
        return {};
      },
      'terminal.write': async (p) => {
        const conn = this.options.connections.requireConnected();
        conn.replActivity.input(p.data);
        await conn.session.writeTerminal(p.data);
        return {};
      },
      'terminal.paste': async (p) => {
        const conn = this.options.connections.requireConnected();
        // A paste ends as if Enter was pressed: what it ran may still be running.
        conn.replActivity.input('\r');
        await conn.session.paste(p.text);
        return {};
      },
    };
  }

  /**
   * Runs code without saving it. Output and traceback stream to the terminal
   * (the engine keeps only their tail, so a program may print for hours); the
   * traceback names the file `name` (the buffer's, e.g. main.py). There is no
   * time limit (board.stop or the call's cancel interrupts it).
   */
  async run(code: string, name?: string, signal?: AbortSignal): Promise<RunResult> {
    const { connections, status, terminal } = this.options;
    const conn = connections.requireConnected();
    if (this.running) throw new ApiError('BUSY', 'A program is already running on the board. Stop it first.');
    // Running takes the raw REPL, which interrupts what a reset or the terminal started: say so first.
    if (conn.replActivity.isRunning) terminal.pushNote(`Stopping the program running on the board: Pinwheel runs ${name ?? 'the new program'} instead.`);
    status.patch({ running: true });
    const push = (text: string) => terminal.pushText(text);
    const execution = conn.session.runProgram(code, { ...(name !== undefined ? { name } : {}), onStdout: push, onStderr: push, timeoutMs: RUN_FOREVER_MS, signal });
    this.runInFlight = execution.catch(() => undefined);
    try {
      await execution;
      return { ok: true, interrupted: false };
    } catch (err) {
      if (err instanceof BoardExecError) {
        const error = tracebackSummary(err.traceback);
        return { ok: false, interrupted: err.exceptionType === 'KeyboardInterrupt', ...(error ? { error } : {}) };
      }
      if (err instanceof BoardError && err.code === 'CANCELLED') return { ok: false, interrupted: true };
      // The board restarted under the program (a watchdog, a crash): the run is over, and says why.
      if (err instanceof BoardError && err.message === BOARD_RESTARTED_MESSAGE) return { ok: false, interrupted: false, error: err.message };
      throw err;
    } finally {
      conn.completions.clear();
      if (connections.current === conn) {
        this.runInFlight = undefined;
        terminal.flush();
        status.patch({ running: false });
      }
    }
  }

  /** Interrupts the running program, or cancels the engine operation in progress (Ctrl-C in the REPL otherwise). */
  async stop(): Promise<void> {
    await this.options.connections.current?.session.interrupt();
  }

  /** Soft reset: boot.py and main.py run; what they print goes to the terminal. */
  async softReset(signal?: AbortSignal): Promise<void> {
    const conn = this.options.connections.requireConnected();
    await this.stopRunning(conn);
    conn.completions.clear();
    await conn.session.softReset({ runMain: true, signal });
    conn.replActivity.startedByReset();
  }

  async hardReset(signal?: AbortSignal): Promise<{ method: 'signals' | 'machine' }> {
    const conn = this.options.connections.requireConnected();
    await this.stopRunning(conn);
    conn.completions.clear();
    const method = await conn.session.hardReset({ signal });
    conn.replActivity.startedByReset();
    return { method };
  }

  /** machine.bootloader(); the board's USB port goes away and the connection's reconnect watch waits for it. */
  async enterBootloader(signal?: AbortSignal): Promise<void> {
    const conn = this.options.connections.requireConnected();
    await this.stopRunning(conn);
    conn.completions.clear();
    await conn.session.enterBootloader({ signal });
  }

  /** Stops a program started with run() and waits (bounded) until the line is free. */
  private async stopRunning(conn: Connection): Promise<void> {
    const running = this.runInFlight;
    if (!running) return;
    await conn.session.interrupt();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([running, new Promise((resolve) => (timer = setTimeout(resolve, STOP_BEFORE_RESET_TIMEOUT_MS)))]);
    clearTimeout(timer);
  }
}
