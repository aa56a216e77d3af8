/**
 * Editor completion from the board itself: `dir(expr)` on the connected
 * board, cached per connection. It never queues behind a transfer or a
 * running program, and never interrupts a main.py: it answers `[]` at once
 * unless the REPL sits idle at its prompt.
 */
import type { boardCalls } from '../../../common/api/contract.js';
import type { HandlersFor } from '../../../common/api/dispatcher.js';
import { completionPy } from '../../../common/board/python/completionPy.js';
import type { BoardConnectionService } from './BoardConnectionService.js';
import type { ProgramRunner } from './ProgramRunner.js';

/** Completion must feel instant; a slow board gets no completions rather than a stalled editor. */
export const COMPLETIONS_TIMEOUT_MS = 1500;
/** Completion answers kept per connection (cleared by run and reset, which change what exists). */
const COMPLETIONS_CACHE_MAX = 200;

export class CompletionService {
  constructor(
    private readonly connections: BoardConnectionService,
    private readonly runner: ProgramRunner,
  ) {}

  handlers(): Pick<HandlersFor<typeof boardCalls>, 'board.completions'> {
    return { 'board.completions': (p, ctx) => this.completions(p.expr, ctx.signal) };
  }

  async completions(expr: string, signal?: AbortSignal): Promise<{ names: string[] }> {
    const conn = this.connections.current;
    if (!conn || conn.session.busy || this.runner.running) return { names: [] };
    // A main.py started by a reset runs in the friendly REPL, unseen by `running`: asking the board
    // would Ctrl-C it. Only a REPL sitting at its prompt is free to answer.
    const code = completionPy(expr);
    if (!conn.atPrompt || !code) return { names: [] };
    const cached = conn.completions.get(expr);
    if (cached) return { names: cached };
    const timeout = AbortSignal.timeout(COMPLETIONS_TIMEOUT_MS);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const execution = conn.session.exec(code, { signal: combined, timeoutMs: COMPLETIONS_TIMEOUT_MS });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const gaveUp = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), COMPLETIONS_TIMEOUT_MS)));
    try {
      const result = await Promise.race([execution.catch(() => undefined), gaveUp]);
      if (!result) return { names: [] };
      const names = [...new Set(result.stdout.trim().split(/\s+/).filter((n) => /^[A-Za-z_]\w*$/.test(n)))].sort();
      if (conn.completions.size >= COMPLETIONS_CACHE_MAX) conn.completions.clear();
      conn.completions.set(expr, names);
      return { names };
    } finally {
      clearTimeout(timer);
    }
  }
}
