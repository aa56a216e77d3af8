/**
 * The chips Pinwheel can put MicroPython on, and the facts a flasher needs
 * about each: where MicroPython's image goes, how an image names its chip,
 * how the chip resets into its loader, and which UF2 family it accepts.
 * Offsets come from each board's board.json in the MicroPython repository;
 * a fixed "0x1000 or 0x0" rule flashes ESP32-C5/P4 boards at the wrong address.
 */

export const CHIP_IDS = [
  'esp32',
  'esp32s2',
  'esp32s3',
  'esp32c2',
  'esp32c3',
  'esp32c5',
  'esp32c6',
  'esp32h2',
  'esp32p4',
  'esp8266',
  'rp2040',
  'rp2350',
] as const;

export type ChipId = (typeof CHIP_IDS)[number];

/** How firmware reaches the chip: the ESP serial ROM loader, or a UF2 bootloader drive. */
export type FlashMethod = 'esp-serial' | 'uf2-drive';

export interface ChipInfo {
  id: ChipId;
  /** As people and Espressif's tools write it, e.g. "ESP32-S3". */
  name: string;
  method: FlashMethod;
  /**
   * The chip id in an ESP image's extended header (bytes 12-13). Undefined for
   * ESP8266 (its images have no extended header) and for non-ESP chips.
   */
  imageChipId?: number;
  /** Where MicroPython's .bin goes in flash (ESP chips only). */
  flashOffset?: number;
  /**
   * The chip has the built-in USB-JTAG-Serial peripheral: esptool resets it
   * into the loader through USB (303A:1001), not through DTR/RTS.
   */
  usbJtagSerial: boolean;
  /** UF2 family ids the chip's bootloader accepts (UF2 chips only). */
  uf2FamilyIds?: readonly number[];
  /** MicroPython's generic board for the chip: what to suggest when an image is for another chip. */
  genericBoard?: string;
}

/** UF2 family ids (from the UF2 specification's family list and the RP2350 datasheet). */
export const UF2_FAMILY = {
  RP2040: 0xe48bff56,
  /** RP2350 "absolute" blocks: written whatever the image type; the SDK adds one for erratum RP2350-E10. */
  RP2350_ABSOLUTE: 0xe48bff57,
  RP2350_ARM_S: 0xe48bff59,
  RP2350_RISCV: 0xe48bff5a,
  RP2350_ARM_NS: 0xe48bff5b,
} as const;

export const CHIPS: Readonly<Record<ChipId, ChipInfo>> = {
  esp32: { id: 'esp32', name: 'ESP32', method: 'esp-serial', imageChipId: 0, flashOffset: 0x1000, usbJtagSerial: false, genericBoard: 'ESP32_GENERIC' },
  esp32s2: { id: 'esp32s2', name: 'ESP32-S2', method: 'esp-serial', imageChipId: 2, flashOffset: 0x1000, usbJtagSerial: false, genericBoard: 'ESP32_GENERIC_S2' },
  esp32s3: { id: 'esp32s3', name: 'ESP32-S3', method: 'esp-serial', imageChipId: 9, flashOffset: 0x0, usbJtagSerial: true, genericBoard: 'ESP32_GENERIC_S3' },
  esp32c2: { id: 'esp32c2', name: 'ESP32-C2', method: 'esp-serial', imageChipId: 12, flashOffset: 0x0, usbJtagSerial: false, genericBoard: 'ESP32_GENERIC_C2' },
  esp32c3: { id: 'esp32c3', name: 'ESP32-C3', method: 'esp-serial', imageChipId: 5, flashOffset: 0x0, usbJtagSerial: true, genericBoard: 'ESP32_GENERIC_C3' },
  esp32c5: { id: 'esp32c5', name: 'ESP32-C5', method: 'esp-serial', imageChipId: 23, flashOffset: 0x2000, usbJtagSerial: true, genericBoard: 'ESP32_GENERIC_C5' },
  esp32c6: { id: 'esp32c6', name: 'ESP32-C6', method: 'esp-serial', imageChipId: 13, flashOffset: 0x0, usbJtagSerial: true, genericBoard: 'ESP32_GENERIC_C6' },
  esp32h2: { id: 'esp32h2', name: 'ESP32-H2', method: 'esp-serial', imageChipId: 16, flashOffset: 0x0, usbJtagSerial: true },
  esp32p4: { id: 'esp32p4', name: 'ESP32-P4', method: 'esp-serial', imageChipId: 18, flashOffset: 0x2000, usbJtagSerial: true, genericBoard: 'ESP32_GENERIC_P4' },
  esp8266: { id: 'esp8266', name: 'ESP8266', method: 'esp-serial', flashOffset: 0x0, usbJtagSerial: false, genericBoard: 'ESP8266_GENERIC' },
  rp2040: { id: 'rp2040', name: 'RP2040', method: 'uf2-drive', usbJtagSerial: false, uf2FamilyIds: [UF2_FAMILY.RP2040], genericBoard: 'RPI_PICO' },
  rp2350: {
    id: 'rp2350',
    name: 'RP2350',
    method: 'uf2-drive',
    usbJtagSerial: false,
    uf2FamilyIds: [UF2_FAMILY.RP2350_ARM_S, UF2_FAMILY.RP2350_RISCV, UF2_FAMILY.RP2350_ARM_NS, UF2_FAMILY.RP2350_ABSOLUTE],
    genericBoard: 'RPI_PICO2',
  },
};

export function isChipId(value: string): value is ChipId {
  return (CHIP_IDS as readonly string[]).includes(value);
}

export function chipInfo(id: ChipId): ChipInfo {
  return CHIPS[id];
}

/** The chip an ESP image's extended header names, or undefined for an id no table entry has. */
export function chipByImageChipId(imageChipId: number): ChipInfo | undefined {
  return Object.values(CHIPS).find((c) => c.imageChipId === imageChipId);
}

/** The chip whose bootloader takes UF2 blocks of this family, if any. */
export function chipByUf2Family(familyId: number): ChipInfo | undefined {
  return Object.values(CHIPS).find((c) => c.uf2FamilyIds?.includes(familyId));
}

/** "0x1000": offsets as esptool and MicroPython's download pages write them. */
export function formatOffset(offset: number): string {
  return '0x' + offset.toString(16);
}
