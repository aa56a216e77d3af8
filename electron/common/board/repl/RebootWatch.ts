/**
 * Notices, in what a running program prints, that the board restarted under
 * it: a watchdog, a crash, `machine.reset()`, the reset button. The raw
 * REPL's framing never comes then, so a run would wait forever; these marks
 * end it instead. Each is printed by the board itself on its way up, not by
 * programs: the ESP32 ROM's reset reason, MicroPython's soft-reboot line, and
 * the friendly REPL's banner.
 */

const REBOOT_MARKS = [/\brst:0x[0-9a-f]+ \(/, /MPY: soft reboot/, /Type "help\(\)" for more information\./];
/** Enough of the previous text to find a mark split across two reads. */
const TAIL_CHARS = 64;

export class RebootWatch {
  private tail = '';

  /** Feeds printed text; true once a restart shows. */
  saw(text: string): boolean {
    const window = this.tail + text;
    this.tail = window.slice(-TAIL_CHARS);
    return REBOOT_MARKS.some((mark) => mark.test(window));
  }
}
