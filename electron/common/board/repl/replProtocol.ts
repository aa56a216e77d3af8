/**
 * The MicroPython REPL protocol as data (docs/reference/repl.rst): control
 * bytes, what the board prints at each step, and pure helpers over those
 * bytes. No I/O here; RawReplTransport speaks it.
 */

/** Ctrl-A: enter the raw REPL (at a raw prompt: re-print the raw banner). */
export const CTRL_A = 0x01;
/** Ctrl-B: leave the raw REPL for the friendly one, which prints its banner and prompt. */
export const CTRL_B = 0x02;
/** Ctrl-C: KeyboardInterrupt in a running program (unless kbd_intr(-1) turned it off). */
export const CTRL_C = 0x03;
/** Ctrl-D: end of a raw command; on an empty command (or friendly prompt) a soft reset. */
export const CTRL_D = 0x04;
/** Ctrl-E: with `A\x01` after it at the raw prompt, asks for raw-paste mode. */
export const CTRL_E = 0x05;

/** What the board prints on entering (or re-entering) the raw REPL. */
export const RAW_REPL_BANNER = 'raw REPL; CTRL-B to exit\r\n';
export const RAW_REPL_PROMPT = '>';
/** The raw REPL's answer to a command in plain raw mode: received, now running. */
export const RAW_COMMAND_ACK = 'OK';
/** Raw-paste request and its answers. */
export const RAW_PASTE_REQUEST = '\x05A\x01';
export const RAW_PASTE_SUPPORTED = 'R\x01';
export const RAW_PASTE_REFUSED = 'R\x00';
/** The soft-reset banners of several firmware generations, newest first. */
export const SOFT_REBOOT_BANNERS = ['MPY: soft reboot', 'soft reboot'] as const;
/** What every soft-reboot banner above contains. */
export const SOFT_REBOOT_MARK = 'soft reboot';
/** The last line of the banner the friendly REPL prints on Ctrl-B, before its prompt. */
export const FRIENDLY_BANNER_END = 'for more information.\r\n';

/** `\r` first, so whatever half-typed line the board holds is ended before the control byte. */
export const ENTER_RAW_SEQUENCE = '\r\x01';
export const LEAVE_RAW_SEQUENCE = '\r\x02';

/** One rung of the interrupt ladder: `\r` and `count` Ctrl-Cs. */
export function interruptSequence(count: number): string {
  return '\r' + String.fromCharCode(CTRL_C).repeat(count);
}

/** Largest end <= `end` that does not cut a UTF-8 sequence (Thonny's rule for paced raw writes). */
export function utf8Boundary(data: Uint8Array, start: number, end: number): number {
  if (end >= data.length) return data.length;
  let e = end;
  while (e > start + 1 && (data[e]! & 0xc0) === 0x80) e--;
  return e;
}

/**
 * Removes the soft-reboot banner (any generation) and `\x00` noise from what
 * the board printed during a soft reset, leaving boot.py's output.
 */
export function stripSoftRebootBanner(text: string): string {
  let s = text.replace(/\x00/g, '');
  for (const banner of SOFT_REBOOT_BANNERS) {
    const i = s.indexOf(banner);
    if (i >= 0) {
      const eol = s.indexOf('\n', i);
      s = eol >= 0 ? s.slice(eol + 1) : '';
      break;
    }
  }
  return s;
}
