// The catalog that ships in firmware/: valid against the schema, every ESP
// board at its chip's MicroPython offset, every file name well formed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHIPS } from '../../../electron/common/flash/chips.js';
import { FirmwareCatalogSchema, defaultBoardForChip, latestFirmwareUrl, parseCatalog, parseFirmwareFileName } from '../../../electron/common/flash/catalog.js';

const CATALOG_FILE = path.resolve(import.meta.dirname, '..', '..', '..', 'firmware', 'catalog.json');
const json: unknown = JSON.parse(readFileSync(CATALOG_FILE, 'utf8'));
const catalog = parseCatalog(json);
const MB = 1024 * 1024;

describe('firmware/catalog.json', () => {
  it('validates against the schema', () => {
    expect(FirmwareCatalogSchema.safeParse(json).success).toBe(true);
  });

  it('puts every ESP board at its chip offset and leaves UF2 boards without one', () => {
    for (const board of catalog.boards) {
      const chip = CHIPS[board.chip];
      if (chip.method === 'esp-serial') {
        expect(board.offset, board.id).toBe(chip.flashOffset);
        expect(board.ext, board.id).toBe('bin');
      } else {
        expect(board.offset, board.id).toBeUndefined();
        expect(board.ext, board.id).toBe('uf2');
      }
    }
    expect(catalog.boards.find((b) => b.id === 'ESP32_GENERIC')?.offset).toBe(0x1000);
    expect(catalog.boards.find((b) => b.id === 'ESP32_GENERIC_C5')?.offset).toBe(0x2000);
  });

  it('holds the boards the Flash view offers, with their variants', () => {
    const variants = Object.fromEntries(catalog.boards.map((b) => [b.id, b.variants.map((v) => v.id)]));
    expect(variants).toMatchObject({
      ESP32_GENERIC: ['SPIRAM', 'OTA', 'D2WD', 'UNICORE'],
      ESP32_GENERIC_S2: [],
      ESP32_GENERIC_S3: expect.arrayContaining(['SPIRAM_OCT']),
      ESP32_GENERIC_C3: [],
      ESP32_GENERIC_C6: [],
      ESP8266_GENERIC: ['FLASH_1M', 'FLASH_512K'],
      RPI_PICO: [],
      RPI_PICO_W: [],
      RPI_PICO2: expect.any(Array),
      RPI_PICO2_W: [],
    });
    const esp8266 = catalog.boards.find((b) => b.id === 'ESP8266_GENERIC')!;
    expect(esp8266.flashSizes[0]).toBe(2 * MB);
    expect(esp8266.variants.find((v) => v.id === 'FLASH_512K')?.flashSizes).toEqual([512 * 1024]);
  });

  it('has a default board for every chip it lists', () => {
    for (const chip of new Set(catalog.boards.map((b) => b.chip))) expect(defaultBoardForChip(catalog, chip)?.default, chip).toBe(true);
  });

  it('builds a well-formed latest URL for every board and variant', () => {
    for (const board of catalog.boards) {
      for (const variant of [undefined, ...board.variants.map((v) => v.id)]) {
        const url = latestFirmwareUrl(catalog, board, variant);
        expect(url.startsWith('https://micropython.org/resources/firmware/')).toBe(true);
        const ref = parseFirmwareFileName(url.split('/').pop()!);
        expect(ref, url).toMatchObject({ board: board.id, version: catalog.latest.version, date: catalog.latest.date, ext: board.ext });
        expect(ref?.variant).toBe(variant);
      }
    }
  });

  it('says where its latest version came from', () => {
    expect(catalog.latest.version).toMatch(/^1\.\d+\.\d+$/);
    expect(catalog.latest.note).toBeTruthy();
  });
});
