/**
 * SLIP framing as the ESP serial protocol uses it: every packet is wrapped in
 * END bytes, and END/ESC inside a packet are sent as two-byte escapes.
 */
export const SLIP_END = 0xc0;
export const SLIP_ESC = 0xdb;
export const SLIP_ESC_END = 0xdc;
export const SLIP_ESC_ESC = 0xdd;

export function slipEncode(packet: Uint8Array): Uint8Array {
  let escapes = 0;
  for (const b of packet) if (b === SLIP_END || b === SLIP_ESC) escapes++;
  const out = new Uint8Array(packet.length + escapes + 2);
  let o = 0;
  out[o++] = SLIP_END;
  for (const b of packet) {
    if (b === SLIP_END) {
      out[o++] = SLIP_ESC;
      out[o++] = SLIP_ESC_END;
    } else if (b === SLIP_ESC) {
      out[o++] = SLIP_ESC;
      out[o++] = SLIP_ESC_ESC;
    } else {
      out[o++] = b;
    }
  }
  out[o++] = SLIP_END;
  return out;
}

/**
 * Incremental decoder: bytes arrive in any chunking; each complete packet is
 * handed to `onPacket`. Bytes outside a frame are line noise (or text meant
 * for a terminal) and are ignored, as the ROM does. A bad escape drops the
 * packet being assembled.
 */
export class SlipDecoder {
  private buffer: number[] = [];
  private inFrame = false;
  private escaping = false;
  /** Packets dropped for a bad escape, for tests. */
  droppedPackets = 0;

  constructor(private readonly onPacket: (packet: Uint8Array) => void) {}

  push(chunk: Uint8Array): void {
    for (const b of chunk) this.pushByte(b);
  }

  reset(): void {
    this.buffer = [];
    this.inFrame = false;
    this.escaping = false;
  }

  private pushByte(b: number): void {
    if (b === SLIP_END) {
      // END both opens and closes a frame; an empty frame is only a delimiter.
      if (this.inFrame && this.buffer.length > 0 && !this.escaping) this.onPacket(Uint8Array.from(this.buffer));
      this.buffer = [];
      this.inFrame = true;
      this.escaping = false;
      return;
    }
    if (!this.inFrame) return;
    if (this.escaping) {
      this.escaping = false;
      if (b === SLIP_ESC_END) this.buffer.push(SLIP_END);
      else if (b === SLIP_ESC_ESC) this.buffer.push(SLIP_ESC);
      else {
        this.droppedPackets++;
        this.buffer = [];
        this.inFrame = false;
      }
      return;
    }
    if (b === SLIP_ESC) this.escaping = true;
    else this.buffer.push(b);
  }
}
