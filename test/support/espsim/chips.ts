/**
 * What the simulator needs to know about each chip: the registers esptool-js
 * reads to identify it (magic word, eFuses with the MAC and features, the UART
 * clock divider it derives the crystal from), where the SPI controller sits
 * (for the flash JEDEC id), and how its ROM loader differs (status length,
 * supported commands, boot text and its baud).
 */
import { Op } from './protocol.js';

export type ChipName = 'esp32' | 'esp8266' | 'esp32s3' | 'esp32c3';

/** Read by every ROM loader client to tell chips apart. */
export const CHIP_MAGIC_REG_ADDR = 0x40001000;
/** The SPI controller's "start user command" bit in its CMD register. */
export const SPI_CMD_USR_BIT = 1 << 18;
/** SPI flash command: read JEDEC id (manufacturer, memory type, capacity). */
export const SPIFLASH_RDID_CMD = 0x9f;

export interface ChipModel {
  name: ChipName;
  displayName: string;
  magic: number;
  /** Bytes of status the ROM appends to every response (the stub always sends 2). */
  romStatusBytes: number;
  /** Baud of the ROM's boot messages (the ESP8266's 26 MHz crystal gives 74880). */
  bootLogBaud: number;
  crystalHz: number;
  /** UART_CLKDIV = crystalHz * uartClockMultiplier / baud (esptool-js divides by XTAL_CLK_DIVIDER). */
  uartClockMultiplier: number;
  uartClkdivReg: number;
  spi: { base: number; usrOffset: number; usr2Offset: number; w0Offset: number };
  /** Where a bootloader image starts in flash (the ROM checks its magic byte there). */
  appImageOffset: number;
  /** Commands this ROM does not have (besides the stub-only ones). */
  romUnsupported: ReadonlySet<number>;
  /** The chip id GET_SECURITY_INFO reports (how clients identify chips newer than the ESP32); absent: no such command. */
  securityInfoChipId?: number;
  /** Registers with fixed values: magic, eFuses. */
  fixedRegisters(mac: Uint8Array): Map<number, number>;
  downloadBootText: string;
  appBootText: string;
  appBanner: string;
}

const ESP32_EFUSE_BASE = 0x3ff5a000;
const ESP32_APB_CTL_DATE_REG = 0x3ff66000 + 0x7c;
/** eFuse word 3: package ESP32-D0WD (1) in bits 9-11, revision bit 0 (bit 15), 240 MHz rated (bit 13). */
const ESP32_EFUSE_WORD3 = (1 << 9) | (1 << 15) | (1 << 13);
/** eFuse word 5 bit 20 and APB_CTL_DATE bit 31: with word 3 bit 15 they make chip revision 3. */
const ESP32_EFUSE_WORD5 = 1 << 20;
const ESP32_APB_CTL_DATE = 0x80000000;

const ESP8266_EFUSE_BASE = 0x3ff00050;

const STUB_ONLY: readonly number[] = [Op.ERASE_FLASH, Op.ERASE_REGION, Op.READ_FLASH, Op.RUN_USER_CODE];
export const STUB_ONLY_COMMANDS: ReadonlySet<number> = new Set(STUB_ONLY);

const CLASSIC_CHIPS: Record<'esp32' | 'esp8266', ChipModel> = {
  esp32: {
    name: 'esp32',
    displayName: 'ESP32',
    magic: 0x00f01d83,
    romStatusBytes: 4,
    bootLogBaud: 115200,
    crystalHz: 40_000_000,
    uartClockMultiplier: 1,
    uartClkdivReg: 0x3ff40014,
    spi: { base: 0x3ff42000, usrOffset: 0x1c, usr2Offset: 0x24, w0Offset: 0x80 },
    appImageOffset: 0x1000,
    romUnsupported: new Set([Op.GET_SECURITY_INFO]),
    fixedRegisters(mac) {
      return new Map([
        [CHIP_MAGIC_REG_ADDR, 0x00f01d83],
        // MAC: word 1 holds its last four bytes, word 2 the first two.
        [ESP32_EFUSE_BASE + 4 * 1, ((mac[2]! << 24) | (mac[3]! << 16) | (mac[4]! << 8) | mac[5]!) >>> 0],
        [ESP32_EFUSE_BASE + 4 * 2, (mac[0]! << 8) | mac[1]!],
        [ESP32_EFUSE_BASE + 4 * 3, ESP32_EFUSE_WORD3],
        [ESP32_EFUSE_BASE + 4 * 5, ESP32_EFUSE_WORD5],
        [ESP32_APB_CTL_DATE_REG, ESP32_APB_CTL_DATE],
      ]);
    },
    downloadBootText:
      'ets Jun  8 2016 00:22:57\r\n\r\nrst:0x1 (POWERON_RESET),boot:0x3 (DOWNLOAD_BOOT(UART0/UART1/SDIO_REI_REO_V2))\r\nwaiting for download\r\n',
    appBootText: 'ets Jun  8 2016 00:22:57\r\n\r\nrst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n',
    appBanner: 'MicroPython v1.24.1 on 2024-11-29; Generic ESP32 module with ESP32\r\nType "help()" for more information.\r\n>>> ',
  },
  esp8266: {
    name: 'esp8266',
    displayName: 'ESP8266',
    magic: 0xfff0c101,
    romStatusBytes: 2,
    bootLogBaud: 74880,
    crystalHz: 26_000_000,
    uartClockMultiplier: 2,
    uartClkdivReg: 0x60000014,
    spi: { base: 0x60000200, usrOffset: 0x1c, usr2Offset: 0x24, w0Offset: 0x40 },
    appImageOffset: 0x0,
    // The ESP8266 ROM has no compressed writes, MD5, baud change or security info: only the stub does.
    romUnsupported: new Set([Op.GET_SECURITY_INFO, Op.FLASH_DEFL_BEGIN, Op.FLASH_DEFL_DATA, Op.FLASH_DEFL_END, Op.SPI_FLASH_MD5, Op.CHANGE_BAUDRATE]),
    fixedRegisters(mac) {
      return new Map([
        [CHIP_MAGIC_REG_ADDR, 0xfff0c101],
        // Word 0 bits 24-31: the MAC's last byte. Word 1: bytes 3-4, and 0 in bits 16-23 selects OUI 18:FE:34.
        [ESP8266_EFUSE_BASE + 4 * 0, (mac[5]! << 24) >>> 0],
        [ESP8266_EFUSE_BASE + 4 * 1, (mac[3]! << 8) | mac[4]!],
        [ESP8266_EFUSE_BASE + 4 * 2, 0],
        [ESP8266_EFUSE_BASE + 4 * 3, 0],
      ]);
    },
    downloadBootText: '\r\n ets Jan  8 2013,rst cause:2, boot mode:(1,7)\r\n\r\n',
    appBootText: '\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\n',
    appBanner: 'MicroPython v1.24.1 on 2024-11-29; ESP module with ESP8266\r\nType "help()" for more information.\r\n>>> ',
  },
};

/**
 * The eFuse layout of the ESP32-S3 and ESP32-C3 as esptool-js reads it: the
 * MAC in BLOCK1 words 0-1, package and minor revision in word 3 (bits 21-23,
 * 18-20), flash/PSRAM capabilities in words 3-4, major revision in word 5.
 */
function newerChipEfuses(efuseBase: number, magic: number, minorRevision: number) {
  const block1 = efuseBase + 0x44;
  return (mac: Uint8Array): Map<number, number> =>
    new Map([
      [CHIP_MAGIC_REG_ADDR, magic],
      [block1, ((mac[2]! << 24) | (mac[3]! << 16) | (mac[4]! << 8) | mac[5]!) >>> 0],
      [block1 + 4, (mac[0]! << 8) | mac[1]!],
      [block1 + 4 * 3, minorRevision << 18],
      [block1 + 4 * 4, 0],
      [block1 + 4 * 5, 0],
    ]);
}

/** The ESP32-S3 and C3 ROM loaders: 4 status bytes, every command including GET_SECURITY_INFO. */
const NEWER_ROM = {
  romStatusBytes: 4,
  bootLogBaud: 115200,
  crystalHz: 40_000_000,
  uartClockMultiplier: 1,
  spi: { base: 0x60002000, usrOffset: 0x18, usr2Offset: 0x20, w0Offset: 0x58 },
  appImageOffset: 0x0,
  romUnsupported: new Set<number>(),
};

const ESP32S3: ChipModel = {
  ...NEWER_ROM,
  name: 'esp32s3',
  displayName: 'ESP32-S3',
  magic: 0x9,
  uartClkdivReg: 0x60000014,
  securityInfoChipId: 9,
  fixedRegisters: newerChipEfuses(0x60007000, 0x9, 2),
  downloadBootText: 'ESP-ROM:esp32s3-20210327\r\nBuild:Mar 27 2021\r\nrst:0x1 (POWERON),boot:0x0 (DOWNLOAD(USB/UART0))\r\nwaiting for download\r\n',
  appBootText: 'ESP-ROM:esp32s3-20210327\r\nBuild:Mar 27 2021\r\nrst:0x1 (POWERON),boot:0x8 (SPI_FAST_FLASH_BOOT)\r\n',
  appBanner: 'MicroPython v1.24.1 on 2024-11-29; Generic ESP32S3 module with ESP32S3\r\nType "help()" for more information.\r\n>>> ',
};

const ESP32C3: ChipModel = {
  ...NEWER_ROM,
  name: 'esp32c3',
  displayName: 'ESP32-C3',
  magic: 0x6921506f,
  uartClkdivReg: 0x3ff40014,
  securityInfoChipId: 5,
  fixedRegisters: newerChipEfuses(0x60008800, 0x6921506f, 4),
  downloadBootText: 'ESP-ROM:esp32c3-api1-20210207\r\nBuild:Feb  7 2021\r\nrst:0x1 (POWERON),boot:0x5 (DOWNLOAD(USB/UART0/1))\r\nwaiting for download\r\n',
  appBootText: 'ESP-ROM:esp32c3-api1-20210207\r\nBuild:Feb  7 2021\r\nrst:0x1 (POWERON),boot:0xc (SPI_FAST_FLASH_BOOT)\r\n',
  appBanner: 'MicroPython v1.24.1 on 2024-11-29; ESP32C3 module with ESP32C3\r\nType "help()" for more information.\r\n>>> ',
};

export const CHIPS: Record<ChipName, ChipModel> = { ...CLASSIC_CHIPS, esp32s3: ESP32S3, esp32c3: ESP32C3 };

/** The OUI a chip's MAC starts with (ESP8266: fixed by the eFuse layout above). */
export function defaultOui(chip: ChipName): [number, number, number] {
  if (chip === 'esp8266') return [0x18, 0xfe, 0x34];
  return chip === 'esp32' ? [0x24, 0x0a, 0xc4] : [0x34, 0x85, 0x18];
}
