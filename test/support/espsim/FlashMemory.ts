/**
 * A NOR flash: erased bytes read 0xFF, and programming can only clear bits
 * (new = old AND data), so a write over unerased flash shows up as corruption
 * just as on a chip.
 */
export const FLASH_ERASED_BYTE = 0xff;
export const FLASH_SECTOR_BYTES = 4096;

export class FlashMemory {
  readonly bytes: Uint8Array;

  constructor(readonly size: number) {
    this.bytes = new Uint8Array(size).fill(FLASH_ERASED_BYTE);
  }

  contains(address: number, length: number): boolean {
    return address >= 0 && length >= 0 && address + length <= this.size;
  }

  /** Erases whole sectors covering [address, address + length). */
  erase(address: number, length: number): void {
    if (length <= 0) return;
    const start = Math.floor(address / FLASH_SECTOR_BYTES) * FLASH_SECTOR_BYTES;
    const end = Math.min(this.size, Math.ceil((address + length) / FLASH_SECTOR_BYTES) * FLASH_SECTOR_BYTES);
    this.bytes.fill(FLASH_ERASED_BYTE, start, end);
  }

  eraseAll(): void {
    this.bytes.fill(FLASH_ERASED_BYTE);
  }

  program(address: number, data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) this.bytes[address + i]! &= data[i]!;
  }

  read(address: number, length: number): Uint8Array {
    return this.bytes.slice(address, address + length);
  }
}
