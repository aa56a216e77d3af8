/** Transcript pieces shared by the engine's scripted-byte tests. */
import type { ScriptStep } from '../../support/ScriptedLink.js';
import type { BoardTiming } from '../../../electron/common/board/BoardSession.js';

/** Short waits so a silent board fails in milliseconds, not seconds. */
export const FAST_TIMING: Partial<BoardTiming> = {
  INTERRUPT_QUIET_MS: 5,
  INTERRUPT_SETTLE_MAX_MS: 40,
  INTERRUPT_LADDER: [1, 2, 3],
  RAW_ENTER_TIMEOUT_MS: 60,
  RAW_PASTE_REPLY_TIMEOUT_MS: 80,
  RAW_PASTE_FLOW_TIMEOUT_MS: 100,
  COMMAND_ACK_TIMEOUT_MS: 100,
  RAW_CHUNK_BYTES: 16,
  RAW_CHUNK_INTERVAL_MS: 1,
  EXEC_TIMEOUT_MS: 300,
  EXEC_TAIL_TIMEOUT_MS: 100,
  RECOVER_GRACE_MS: 20,
  RECOVER_TIMEOUT_MS: 100,
  SOFT_RESET_TIMEOUT_MS: 200,
  SOFT_RESET_MAIN_QUIET_MS: 20,
  SOFT_RESET_MAIN_MAX_MS: 100,
  HARD_RESET_PULSE_MS: 5,
  HARD_RESET_EVIDENCE_MS: 60,
};

export const RAW_BANNER = 'raw REPL; CTRL-B to exit\r\n>';
export const FRIENDLY_BANNER = 'MicroPython v1.22.0 on 2023-12-27; ESP32 module with ESP32\r\nType "help()" for more information.\r\n>>> ';

/** From the friendly REPL (any prompt) into the raw REPL on the first rung of the ladder. */
export function enterRaw(prompt = '>>> '): ScriptStep[] {
  return [
    { expect: '\r\x03', note: 'first rung: one Ctrl-C' },
    { send: `\r\n${prompt}` },
    { expect: '\r\x01', note: 'enter raw REPL' },
    { send: `\r\n${RAW_BANNER}` },
  ];
}

/** One command through raw-paste (support already known or first asked). */
export function rawPasteExec(opts: { stdout?: string; stderr?: string; ask?: boolean; window?: number; check?: (code: string) => void }): ScriptStep[] {
  const window = opts.window ?? 128;
  const steps: ScriptStep[] = [{ expect: '\x05A\x01', note: 'raw-paste request' }];
  steps.push({ send: `R\x01${String.fromCharCode(window & 0xff, window >> 8)}\x01` });
  steps.push({
    expectUntil: '\x04',
    note: 'the command',
    check: (w) => opts.check?.(new TextDecoder().decode(w.subarray(0, -1))),
  });
  steps.push({ send: `\x04${opts.stdout ?? ''}\x04${opts.stderr ?? ''}\x04>` });
  return steps;
}

/** Leaving for the friendly REPL when the queue empties. */
export function exitRaw(prompt = '>>> '): ScriptStep[] {
  return [{ expect: '\r\x02', note: 'back to the friendly REPL' }, { send: FRIENDLY_BANNER.replace('>>> ', prompt) }];
}
