/**
 * USB vendor/product ids of the serial bridges and native-USB boards people
 * plug in to run MicroPython. Pure data plus one lookup, so the port list,
 * the serial link and the renderer can all name a port the same way.
 */

/**
 * How the port's modem lines are wired, which decides the line state on open:
 * - 'esp-auto-reset': a USB-UART bridge whose DTR/RTS drive the chip's EN and
 *   IO0 (the classic ESP auto-reset circuit). RTS asserted with DTR released
 *   holds EN low (reset); DTR asserted when the board resets selects the ROM
 *   bootloader. Keep both released.
 * - 'usb-cdc': the board itself speaks USB CDC; its firmware treats DTR as
 *   "host is listening" and sends nothing without it. Assert DTR, keep RTS
 *   released (some firmwares reboot to their bootloader on RTS sequences).
 */
export type SerialLineMode = 'esp-auto-reset' | 'usb-cdc';

export interface UsbIdentity {
  /** The USB chip or interface, e.g. "CP210x USB-UART". */
  chip: string;
  /** The board this usually sits on, when the ids say so. */
  board?: string;
  /** True when this bridge or board commonly runs MicroPython. */
  likelyMicroPython: boolean;
  lineMode: SerialLineMode;
  /**
   * The microcontroller itself speaks USB (MicroPython's native CDC): USB's own
   * flow control holds the host back when the board's receive buffer is full,
   * so nothing is lost however fast the host sends. Bridges to a UART (CH340,
   * CP210x, FTDI, DAPLink) and the ESP USB-Serial-JTAG are not counted here.
   */
  nativeUsb: boolean;
}

interface UsbIdEntry extends Omit<UsbIdentity, 'nativeUsb'> {
  nativeUsb?: true;
  vendorId: string;
  /** Undefined: every product of the vendor not matched by a more specific entry. */
  productId?: string;
}

// Ids are four upper-case hex digits (normalizeUsbId's form).
const USB_ID_TABLE: readonly UsbIdEntry[] = [
  // WinChipHead bridges: the cheap ESP8266/ESP32 dev boards.
  { vendorId: '1A86', productId: '7523', chip: 'CH340 USB-UART', board: 'ESP32/ESP8266 dev board', likelyMicroPython: true, lineMode: 'esp-auto-reset' },
  { vendorId: '1A86', productId: '5523', chip: 'CH341 USB-UART', likelyMicroPython: true, lineMode: 'esp-auto-reset' },
  { vendorId: '1A86', productId: '55D4', chip: 'CH9102 USB-UART', board: 'ESP32 dev board', likelyMicroPython: true, lineMode: 'esp-auto-reset' },
  { vendorId: '1A86', productId: '55D3', chip: 'CH343 USB-UART', board: 'ESP32 dev board', likelyMicroPython: true, lineMode: 'esp-auto-reset' },
  { vendorId: '1A86', chip: 'WCH USB-UART', likelyMicroPython: false, lineMode: 'esp-auto-reset' },
  // Silicon Labs.
  { vendorId: '10C4', productId: 'EA60', chip: 'CP210x USB-UART', board: 'ESP32/ESP8266 dev board', likelyMicroPython: true, lineMode: 'esp-auto-reset' },
  { vendorId: '10C4', chip: 'Silicon Labs USB-UART', likelyMicroPython: false, lineMode: 'esp-auto-reset' },
  // FTDI: generic cables as often as dev boards (ESP-WROVER-KIT uses the FT2232H).
  { vendorId: '0403', productId: '6001', chip: 'FT232R USB-UART', likelyMicroPython: false, lineMode: 'esp-auto-reset' },
  { vendorId: '0403', productId: '6010', chip: 'FT2232 USB-UART', board: 'ESP-WROVER-KIT or similar', likelyMicroPython: false, lineMode: 'esp-auto-reset' },
  { vendorId: '0403', productId: '6014', chip: 'FT232H USB-UART', likelyMicroPython: false, lineMode: 'esp-auto-reset' },
  { vendorId: '0403', productId: '6015', chip: 'FT-X USB-UART', likelyMicroPython: false, lineMode: 'esp-auto-reset' },
  { vendorId: '0403', chip: 'FTDI USB-UART', likelyMicroPython: false, lineMode: 'esp-auto-reset' },
  // Prolific: old cables.
  { vendorId: '067B', productId: '2303', chip: 'PL2303 USB-UART', likelyMicroPython: false, lineMode: 'esp-auto-reset' },
  // Espressif. The USB-Serial-JTAG peripheral maps DTR/RTS onto reset and boot
  // strapping exactly like the external circuit (esptool resets through it), and
  // sends without DTR, so it is treated as an auto-reset bridge.
  { vendorId: '303A', productId: '1001', chip: 'Espressif USB-JTAG-serial', board: 'ESP32-C3/C6/S3 (native USB)', likelyMicroPython: true, lineMode: 'esp-auto-reset' },
  // Other 303A ids: TinyUSB CDC in MicroPython's ESP32-S2/S3 builds and board-specific ids.
  { vendorId: '303A', chip: 'Espressif native USB', board: 'ESP32-S2/S3 board', likelyMicroPython: true, lineMode: 'usb-cdc', nativeUsb: true },
  // Raspberry Pi.
  { vendorId: '2E8A', productId: '0005', chip: 'RP2040/RP2350 USB (MicroPython)', board: 'Raspberry Pi Pico', likelyMicroPython: true, lineMode: 'usb-cdc', nativeUsb: true },
  { vendorId: '2E8A', chip: 'Raspberry Pi RP2 USB', likelyMicroPython: false, lineMode: 'usb-cdc', nativeUsb: true },
  // MicroPython's own id (pid.codes), used by native-USB ports such as SAMD, nRF, mimxrt.
  { vendorId: '1209', productId: 'ADDA', chip: 'MicroPython USB', board: 'MicroPython board (native USB)', likelyMicroPython: true, lineMode: 'usb-cdc', nativeUsb: true },
  // BBC micro:bit: the DAPLink interface chip bridges USB to the nRF UART.
  { vendorId: '0D28', productId: '0204', chip: 'DAPLink USB-UART', board: 'BBC micro:bit', likelyMicroPython: true, lineMode: 'usb-cdc' },
  // Adafruit boards usually run CircuitPython, whose REPL speaks the same protocol.
  { vendorId: '239A', chip: 'Adafruit native USB', board: 'Adafruit board (CircuitPython or MicroPython)', likelyMicroPython: true, lineMode: 'usb-cdc', nativeUsb: true },
  // The pyboard's STM32 USB ids.
  { vendorId: 'F055', productId: '9800', chip: 'Pyboard USB', board: 'Pyboard', likelyMicroPython: true, lineMode: 'usb-cdc', nativeUsb: true },
  { vendorId: 'F055', chip: 'Pyboard USB', board: 'Pyboard', likelyMicroPython: true, lineMode: 'usb-cdc', nativeUsb: true },
];

/**
 * Brings a USB id to four upper-case hex digits. Accepts what listings give:
 * "1a86", "0x1A86", "1A86" or a number. Undefined for anything else.
 */
export function normalizeUsbId(id: string | number | undefined | null): string | undefined {
  if (id === undefined || id === null) return undefined;
  if (typeof id === 'number') {
    if (!Number.isInteger(id) || id < 0 || id > 0xffff) return undefined;
    return id.toString(16).toUpperCase().padStart(4, '0');
  }
  const hex = id.trim().replace(/^0x/i, '');
  if (!/^[0-9a-fA-F]{1,4}$/.test(hex)) return undefined;
  return hex.toUpperCase().padStart(4, '0');
}

/**
 * What a USB vendor/product pair is, or undefined when the ids are unknown
 * (callers then fall back to the port's manufacturer string and 'usb-cdc').
 */
export function lookupUsbId(
  vendorId: string | number | undefined | null,
  productId: string | number | undefined | null,
): UsbIdentity | undefined {
  const vid = normalizeUsbId(vendorId);
  if (vid === undefined) return undefined;
  const pid = normalizeUsbId(productId);
  const exact = pid === undefined ? undefined : USB_ID_TABLE.find((e) => e.vendorId === vid && e.productId === pid);
  const entry = exact ?? USB_ID_TABLE.find((e) => e.vendorId === vid && e.productId === undefined);
  if (!entry) return undefined;
  const identity: UsbIdentity = { chip: entry.chip, likelyMicroPython: entry.likelyMicroPython, lineMode: entry.lineMode, nativeUsb: entry.nativeUsb === true };
  if (entry.board !== undefined) identity.board = entry.board;
  return identity;
}

/**
 * The line mode to open a port with when its ids are known or unknown.
 * Unknown ids get 'usb-cdc': every known auto-reset bridge is in the table,
 * while native-USB boards with their own vendor ids are many, and without DTR
 * they stay silent (the "board does not respond" complaint).
 */
export function lineModeForUsbId(
  vendorId: string | number | undefined | null,
  productId: string | number | undefined | null,
): SerialLineMode {
  return lookupUsbId(vendorId, productId)?.lineMode ?? 'usb-cdc';
}
