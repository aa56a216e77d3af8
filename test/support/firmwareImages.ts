// Hand-built firmware files for the flashing tests: ESP app image headers laid
// out as Espressif's image format describes, and UF2 blocks as the UF2
// specification describes. Only the headers matter; the rest is filler.
import { CHIPS, type ChipId } from '../../electron/common/flash/chips.js';
import { UF2_BLOCK_BYTES, UF2_FLAG, UF2_MAGIC_END, UF2_MAGIC_START0, UF2_MAGIC_START1, UF2_MAX_PAYLOAD_BYTES } from '../../electron/common/flash/uf2.js';

export interface EspImageSpec {
  chip: ChipId;
  sizeBytes?: number;
  /** 0 QIO, 1 QOUT, 2 DIO, 3 DOUT. */
  flashModeByte?: number;
  /** The high nibble of byte 3. */
  flashSizeCode?: number;
  /** The low nibble of byte 3. */
  flashFreqCode?: number;
  /** Overrides the chip table's image chip id (for unknown ids). */
  imageChipId?: number;
}

const ESP32_DRAM_LOAD_ADDRESS = 0x3ffb0000;
const ESP8266_IRAM_LOAD_ADDRESS = 0x40100000;
const ENTRY_POINT = 0x40080000;
const FILLER_BYTE = 0xa5;

export function buildEspImage(spec: EspImageSpec): Uint8Array {
  const size = spec.sizeBytes ?? 4096;
  const image = new Uint8Array(size).fill(FILLER_BYTE);
  const view = new DataView(image.buffer);
  image[0] = 0xe9;
  image[1] = 3;
  image[2] = spec.flashModeByte ?? 2;
  image[3] = ((spec.flashSizeCode ?? 2) << 4) | (spec.flashFreqCode ?? 0);
  view.setUint32(4, ENTRY_POINT, true);
  if (spec.chip === 'esp8266') {
    view.setUint32(8, ESP8266_IRAM_LOAD_ADDRESS, true);
    view.setUint32(12, 0x100, true);
    return image;
  }
  image[8] = 0xee; // WP pin: not used
  image.fill(0, 9, 24);
  view.setUint16(12, spec.imageChipId ?? CHIPS[spec.chip].imageChipId!, true);
  view.setUint16(15, 0, true);
  view.setUint16(17, 0xffff, true);
  image[23] = 1; // SHA-256 appended
  view.setUint32(24, ESP32_DRAM_LOAD_ADDRESS, true);
  view.setUint32(28, 0x100, true);
  return image;
}

export interface Uf2Spec {
  familyId?: number;
  payloadBytes?: number;
  baseAddress?: number;
  /** Write this numBlocks into every block instead of the real count. */
  claimedBlocks?: number;
}

export function buildUf2(spec: Uf2Spec = {}): Uint8Array {
  const payload = spec.payloadBytes ?? 256 * 4;
  const perBlock = 256;
  const count = Math.ceil(payload / perBlock);
  const out = new Uint8Array(count * UF2_BLOCK_BYTES);
  const view = new DataView(out.buffer);
  for (let i = 0; i < count; i++) {
    const at = i * UF2_BLOCK_BYTES;
    view.setUint32(at, UF2_MAGIC_START0, true);
    view.setUint32(at + 4, UF2_MAGIC_START1, true);
    view.setUint32(at + 8, spec.familyId === undefined ? 0 : UF2_FLAG.FAMILY_ID_PRESENT, true);
    view.setUint32(at + 12, (spec.baseAddress ?? 0x10000000) + i * perBlock, true);
    view.setUint32(at + 16, perBlock, true);
    view.setUint32(at + 20, i, true);
    view.setUint32(at + 24, spec.claimedBlocks ?? count, true);
    view.setUint32(at + 28, spec.familyId ?? 0, true);
    out.fill(i & 0xff, at + 32, at + 32 + perBlock);
    view.setUint32(at + 508, UF2_MAGIC_END, true);
  }
  if (perBlock > UF2_MAX_PAYLOAD_BYTES) throw new Error('unreachable: payload per block above the UF2 maximum');
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
