/** Dallas/Maxim CRC-8 (1-Wire ROMs and scratchpads), computed here independently of the board's. */
export function crc8(bytes: number[]): number {
  let crc = 0;
  for (let byte of bytes) {
    for (let i = 0; i < 8; i++) {
      const mix = (crc ^ byte) & 1;
      crc >>= 1;
      if (mix) crc ^= 0x8c;
      byte >>= 1;
    }
  }
  return crc;
}
