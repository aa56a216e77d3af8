/**
 * A full ApiHandlers table from the few handlers a test needs: every other
 * call throws "not used in this test", so a test that reaches one by mistake
 * fails loudly instead of getting a made-up answer.
 */
import { apiCalls, type CallName } from '../../electron/common/api/contract.js';
import type { ApiHandlers } from '../../electron/common/api/dispatcher.js';

export function handlersWith(used: Partial<ApiHandlers>): ApiHandlers {
  const table: Record<string, unknown> = {};
  for (const name of Object.keys(apiCalls) as CallName[]) {
    table[name] =
      used[name] ??
      (async () => {
        throw new Error(`${name} is not used in this test`);
      });
  }
  return table as ApiHandlers;
}
