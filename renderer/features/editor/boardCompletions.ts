/**
 * Completion names from the connected board itself (`dir()` through
 * board.completions), added to the bundled MicroPython list while a board is
 * connected and idle.
 */
import type { Disposable } from '../../app/commands/CommandRegistry.js';
import type { Workbench } from '../../app/Workbench.js';
import { registerMicroPythonCompletion } from './completionProvider.js';

/** Completion must feel instant: a board slower than this gets the bundled list only. */
export const COMPLETION_TIMEOUT_MS = 2000;

export function registerBoardCompletions(workbench: Workbench): Disposable {
  return registerMicroPythonCompletion(async (expr, signal) => {
    const status = workbench.board.status.get();
    if (status.state !== 'connected' || status.busy || status.running) return [];
    const { names } = await workbench.api.call('board.completions', { expr }, { signal, timeoutMs: COMPLETION_TIMEOUT_MS });
    return names;
  });
}
