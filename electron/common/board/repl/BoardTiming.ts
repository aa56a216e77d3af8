/**
 * Every time limit and pacing value of the REPL engine, in one record so tests
 * can shrink them and the app can stretch them for slow links.
 */

export interface BoardTiming {
  /** After Ctrl-C, output must pause this long before we ask for the raw REPL. */
  INTERRUPT_QUIET_MS: number;
  /** ...but a program printing without pause is not waited for longer than this. */
  INTERRUPT_SETTLE_MAX_MS: number;
  /** How many Ctrl-C bytes each rung of the interrupt ladder sends. */
  INTERRUPT_LADDER: readonly number[];
  /** Per rung: how long the raw REPL banner may take after `\r\x01`. */
  RAW_ENTER_TIMEOUT_MS: number;
  /** The answer to a raw-paste request. */
  RAW_PASTE_REPLY_TIMEOUT_MS: number;
  /** A flow-control `\x01` while raw-paste waits for window. */
  RAW_PASTE_FLOW_TIMEOUT_MS: number;
  /** `OK` after a plain raw command, or the compile ack after raw-paste. */
  COMMAND_ACK_TIMEOUT_MS: number;
  /**
   * Plain raw mode (boards without raw-paste): at most this many bytes per
   * RAW_CHUNK_INTERVAL_MS. 128 bytes per 10 ms is just above 115200 baud's
   * line rate: a UART runs at its own pace, while a faster link is held to
   * what a 1.9-era board's REPL loop reads without overrunning its 64-byte
   * buffer (mpremote writes 256 bytes per 10 ms, Thonny 127).
   */
  RAW_CHUNK_BYTES: number;
  RAW_CHUNK_INTERVAL_MS: number;
  /** How long a program may run in `exec` unless the caller says otherwise. */
  EXEC_TIMEOUT_MS: number;
  /** Traceback and prompt after the program's stdout ended. */
  EXEC_TAIL_TIMEOUT_MS: number;
  /** After a cancel, a program that was told to stop may end by itself within this, before we Ctrl-C it. */
  RECOVER_GRACE_MS: number;
  /** After we Ctrl-C a program that ran too long, its framing must finish within this. */
  RECOVER_TIMEOUT_MS: number;
  /** boot.py and the banner after a soft reset. */
  SOFT_RESET_TIMEOUT_MS: number;
  /** Soft reset with main.py: how long output is gathered once it pauses this long. */
  SOFT_RESET_MAIN_QUIET_MS: number;
  SOFT_RESET_MAIN_MAX_MS: number;
  /** After Ctrl-B, the friendly REPL's banner must end within this (else what came is handed on as is). */
  FRIENDLY_BANNER_TIMEOUT_MS: number;
  /** ...and the prompt that follows it is complete once output pauses this long. */
  FRIENDLY_PROMPT_QUIET_MS: number;
  /** RTS held asserted this long to reset an ESP-style board (esptool uses 100 ms). */
  HARD_RESET_PULSE_MS: number;
  /** A reset board prints something within this; silence means the link has no modem lines. */
  HARD_RESET_EVIDENCE_MS: number;
}

export const DEFAULT_BOARD_TIMING: BoardTiming = {
  INTERRUPT_QUIET_MS: 60,
  INTERRUPT_SETTLE_MAX_MS: 400,
  INTERRUPT_LADDER: [1, 2, 3, 5],
  RAW_ENTER_TIMEOUT_MS: 700,
  RAW_PASTE_REPLY_TIMEOUT_MS: 1000,
  RAW_PASTE_FLOW_TIMEOUT_MS: 3000,
  COMMAND_ACK_TIMEOUT_MS: 3000,
  RAW_CHUNK_BYTES: 128,
  RAW_CHUNK_INTERVAL_MS: 10,
  EXEC_TIMEOUT_MS: 10_000,
  EXEC_TAIL_TIMEOUT_MS: 2000,
  RECOVER_GRACE_MS: 300,
  RECOVER_TIMEOUT_MS: 2000,
  SOFT_RESET_TIMEOUT_MS: 10_000,
  SOFT_RESET_MAIN_QUIET_MS: 300,
  SOFT_RESET_MAIN_MAX_MS: 3000,
  FRIENDLY_BANNER_TIMEOUT_MS: 1000,
  FRIENDLY_PROMPT_QUIET_MS: 20,
  HARD_RESET_PULSE_MS: 100,
  HARD_RESET_EVIDENCE_MS: 1500,
};
