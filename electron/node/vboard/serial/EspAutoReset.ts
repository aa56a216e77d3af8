/**
 * The auto-reset circuit of an ESP32 dev board, as its USB-UART bridge's
 * modem lines drive it: RTS asserted with DTR released pulls EN low and holds
 * the chip in reset; leaving that state lets it boot. (DTR asserted while EN
 * rises would select the ROM bootloader; the virtual board has none and boots
 * its firmware either way.)
 */
import type { LinkSignals } from '../../../common/link/Link.js';

/** What a line change did to the chip. */
export type ResetEdge = 'enter-reset' | 'leave-reset' | undefined;

export class EspAutoReset {
  private dtr = false;
  private rts = false;
  private held = false;

  /** EN is low: the chip runs nothing and takes no input. */
  get heldInReset(): boolean {
    return this.held;
  }

  /** Applies the lines that are given (the others keep their state) and says whether EN just fell or rose. */
  setLines(signals: LinkSignals): ResetEdge {
    this.dtr = signals.dtr ?? this.dtr;
    this.rts = signals.rts ?? this.rts;
    const enLow = this.rts && !this.dtr;
    if (enLow === this.held) return undefined;
    this.held = enLow;
    return enLow ? 'enter-reset' : 'leave-reset';
  }
}
