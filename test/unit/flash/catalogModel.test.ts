// The catalog model: what the schema refuses, URLs and file names, the board
// preselected for a chip or USB id, and a download page read into releases.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  downloadPageUrl,
  firmwareUrl,
  newerReleases,
  parseCatalog,
  parseDownloadPage,
  parseFirmwareFileName,
  suggestBoard,
  suggestForPort,
  buildFromMachine,
  boardsForUsbId,
  latestFirmwareUrl,
  type FirmwareCatalog,
} from '../../../electron/common/flash/catalog.js';
import { isFlashError } from '../../../electron/common/flash/FlashError.js';

const PAGE = readFileSync(path.join(import.meta.dirname, 'fixtures', 'catalogDownloadPage.html'), 'utf8');
const realCatalog = () => parseCatalog(JSON.parse(readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'firmware', 'catalog.json'), 'utf8')));

function board(overrides: Record<string, unknown>): Record<string, unknown> {
  return { id: 'ESP32_GENERIC', name: 'ESP32', chip: 'esp32', offset: '0x1000', flashMode: 'dio', flashSizes: ['4MB'], ext: 'bin', ...overrides };
}

function catalogOf(...boards: Record<string, unknown>[]): unknown {
  return { schemaVersion: 1, latest: { version: '1.24.1', date: '20241129' }, boards };
}

function refusal(json: unknown): string {
  try {
    parseCatalog(json);
  } catch (err) {
    expect(isFlashError(err, 'INVALID_CATALOG')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('the catalog was accepted');
}

describe('catalog schema', () => {
  it('reads offsets and sizes as people write them', () => {
    const c = parseCatalog(catalogOf(board({ variants: [{ id: 'FLASH_1M', name: '1 MB', flashSizes: ['1MB', 524288] }] })));
    expect(c.boards[0]).toMatchObject({ offset: 0x1000, flashSizes: [4 * 1024 * 1024], variants: [{ flashSizes: [1024 * 1024, 512 * 1024] }], usbIds: [] });
  });

  it('refuses an offset that is not the chip table one, naming the right one', () => {
    expect(refusal(catalogOf(board({ offset: '0x0' })))).toContain('boards.0.offset: ESP32_GENERIC: ESP32 firmware goes at 0x1000');
    expect(refusal(catalogOf(board({ id: 'P4', chip: 'esp32p4', offset: '0x1000' })))).toContain('ESP32-P4 firmware goes at 0x2000');
  });

  it('refuses a .uf2 for an ESP, an offset for a UF2 board, duplicates, two defaults and bad ids', () => {
    expect(refusal(catalogOf(board({ ext: 'uf2' })))).toContain('ESP32 firmware is a .bin');
    expect(refusal(catalogOf(board({ id: 'RPI_PICO', chip: 'rp2040', ext: 'uf2', offset: '0x0' })))).toContain('UF2 blocks carry their own addresses');
    expect(refusal(catalogOf(board({}), board({})))).toContain('listed twice');
    expect(refusal(catalogOf(board({ default: true }), board({ id: 'OTHER', default: true })))).toContain('already the default');
    expect(refusal(catalogOf(board({ id: 'esp32-generic' })))).toContain('boards.0.id');
    expect(refusal(catalogOf(board({ chip: 'esp99' })))).toContain('boards.0.chip');
    expect(refusal(catalogOf(board({ flashSizes: ['4 megs'] })))).toContain('boards.0.flashSizes');
    expect(refusal({ schemaVersion: 2, latest: { version: '1.24', date: '2024' }, boards: [] })).toMatch(/schemaVersion.*latest\.version.*latest\.date/);
  });
});

describe('file names and URLs', () => {
  it('builds download and page URLs, on micropython.org or a test server', () => {
    expect(firmwareUrl({ board: 'ESP32_GENERIC', variant: 'SPIRAM', version: '1.24.1', date: '20241129', ext: 'bin' })).toBe(
      'https://micropython.org/resources/firmware/ESP32_GENERIC-SPIRAM-20241129-v1.24.1.bin',
    );
    expect(firmwareUrl({ board: 'RPI_PICO', version: '1.24.1', date: '20241129', ext: 'uf2' }, 'http://127.0.0.1:5000/')).toBe(
      'http://127.0.0.1:5000/resources/firmware/RPI_PICO-20241129-v1.24.1.uf2',
    );
    expect(downloadPageUrl('ESP32_GENERIC')).toBe('https://micropython.org/download/ESP32_GENERIC/');
  });

  it('parses release and preview file names and nothing else', () => {
    expect(parseFirmwareFileName('ESP8266_GENERIC-FLASH_512K-20241129-v1.24.1.bin')).toEqual({ board: 'ESP8266_GENERIC', variant: 'FLASH_512K', date: '20241129', version: '1.24.1', ext: 'bin' });
    expect(parseFirmwareFileName('RPI_PICO2_W-20260824-v1.29.0.uf2')).toEqual({ board: 'RPI_PICO2_W', date: '20260824', version: '1.29.0', ext: 'uf2' });
    expect(parseFirmwareFileName('ESP32_GENERIC-20261128-v1.31.0-preview.42.g0123abcd.bin')).toMatchObject({ version: '1.31.0', preview: 'preview.42.g0123abcd' });
    expect(parseFirmwareFileName('ESP32_GENERIC-20241129-v1.24.1.app-bin')).toBeUndefined();
    expect(parseFirmwareFileName('../evil-20241129-v1.24.1.bin')).toBeUndefined();
  });

  it('refuses a variant the board does not have', () => {
    const c = parseCatalog(catalogOf(board({ variants: [{ id: 'SPIRAM', name: 'SPIRAM' }] })));
    expect(latestFirmwareUrl(c, c.boards[0]!, 'SPIRAM')).toContain('ESP32_GENERIC-SPIRAM-20241129-v1.24.1.bin');
    expect(() => latestFirmwareUrl(c, c.boards[0]!, 'OTA')).toThrow('ESP32 has no OTA build. Pick one of: default, SPIRAM.');
  });

  it('compares versions numerically', () => {
    expect(compareVersions('1.10.0', '1.9.4')).toBeGreaterThan(0);
    expect(compareVersions('1.24.1', '1.24.1')).toBe(0);
    expect(compareVersions('1.24.0', '1.24.1')).toBeLessThan(0);
  });
});

describe('parseDownloadPage', () => {
  const releases = parseDownloadPage(PAGE, 'ESP32_GENERIC', 'http://127.0.0.1:8123');

  it('lists the releases newest first, previews after releases of their version', () => {
    expect(releases.map((r) => r.version + (r.preview ? '-' + r.preview : ''))).toEqual(['1.31.0-preview.42.g0123abcd', '1.30.0', '1.29.0', '1.28.0', '1.24.1']);
    expect(releases.find((r) => r.version === '1.29.0')?.date).toBe('20260824');
  });

  it('keeps .bin files of this board only, each variant once, with URLs on the given base', () => {
    const v130 = releases.find((r) => r.version === '1.30.0')!;
    expect(v130.files).toEqual([
      { fileName: 'ESP32_GENERIC-20261201-v1.30.0.bin', url: 'http://127.0.0.1:8123/resources/firmware/ESP32_GENERIC-20261201-v1.30.0.bin', ext: 'bin' },
      { fileName: 'ESP32_GENERIC-SPIRAM-20261201-v1.30.0.bin', url: 'http://127.0.0.1:8123/resources/firmware/ESP32_GENERIC-SPIRAM-20261201-v1.30.0.bin', ext: 'bin', variant: 'SPIRAM' },
      { fileName: 'ESP32_GENERIC-D2WD-20261201-v1.30.0.bin', url: 'http://127.0.0.1:8123/resources/firmware/ESP32_GENERIC-D2WD-20261201-v1.30.0.bin', ext: 'bin', variant: 'D2WD' },
    ]);
    expect(releases.find((r) => r.version === '1.29.0')!.files.map((f) => f.variant ?? 'default')).toEqual(['default', 'SPIRAM']);
    expect(releases.find((r) => r.version === '1.28.0')!.files[0]?.fileName).toBe('ESP32_GENERIC-20260406-v1.28.0.bin');
  });

  it('finds the other board on the same page only when asked for it', () => {
    expect(parseDownloadPage(PAGE, 'ESP32_GENERIC_S3').map((r) => r.version)).toEqual(['1.29.0']);
    expect(parseDownloadPage('<html><body>No firmware</body></html>', 'ESP32_GENERIC')).toEqual([]);
  });

  it('filters the releases newer than the known one, previews only when asked', () => {
    expect(newerReleases(releases, '1.29.0').map((r) => r.version)).toEqual(['1.30.0']);
    expect(newerReleases(releases, '1.29.0', { includePreviews: true }).map((r) => r.version)).toEqual(['1.31.0', '1.30.0']);
    expect(newerReleases(releases, '1.31.0')).toEqual([]);
  });
});

describe('the board preselected for a port', () => {
  const c: FirmwareCatalog = parseCatalog(
    catalogOf(
      board({ default: true, usbIds: [{ vendorId: '10C4', productId: 'EA60' }] }),
      board({ id: 'ESP32_GENERIC_S3', chip: 'esp32s3', offset: '0x0', default: true, usbIds: [{ vendorId: '303A', productId: '1001' }] }),
      board({ id: 'ESP32_GENERIC_C3', chip: 'esp32c3', offset: '0x0', default: true, usbIds: [{ vendorId: '303A', productId: '1001' }] }),
      board({ id: 'ESP8266_GENERIC', chip: 'esp8266', offset: '0x0', default: true, usbIds: [{ vendorId: '10C4', productId: 'EA60' }] }),
      board({ id: 'RPI_PICO', chip: 'rp2040', offset: undefined, flashMode: undefined, ext: 'uf2', default: true, usbIds: [{ vendorId: '2E8A', productId: '0005' }] }),
      board({ id: 'RPI_PICO_W', chip: 'rp2040', offset: undefined, flashMode: undefined, ext: 'uf2', usbIds: [{ vendorId: '2E8A', productId: '0005' }] }),
    ),
  );

  it('lets the detected chip decide between boards sharing USB ids', () => {
    expect(suggestBoard(c, { chip: 'esp32c3', vendorId: '303a', productId: '0x1001' })?.id).toBe('ESP32_GENERIC_C3');
    expect(suggestBoard(c, { chip: 'esp8266', vendorId: 0x10c4, productId: 0xea60 })?.id).toBe('ESP8266_GENERIC');
    expect(suggestBoard(c, { chip: 'rp2040', vendorId: '2E8A', productId: '0005' })?.id).toBe('RPI_PICO');
  });

  it('falls back to the chip default, or to the USB ids alone', () => {
    expect(suggestBoard(c, { chip: 'esp32' })?.id).toBe('ESP32_GENERIC');
    expect(suggestBoard(c, { vendorId: '2E8A', productId: '0005' })?.id).toBe('RPI_PICO');
    expect(suggestBoard(c, { chip: 'esp32h2' })).toBeUndefined();
    expect(boardsForUsbId(c, 'zzzz', '0005')).toEqual([]);
  });

  it("reads the board and build from a running MicroPython's machine string", () => {
    const shipped = realCatalog();
    const build = (machine: string) => {
      const b = buildFromMachine(shipped, machine);
      return b && { board: b.board.id, variant: b.variant };
    };
    expect(build('Generic ESP32 module with ESP32')).toEqual({ board: 'ESP32_GENERIC', variant: undefined });
    expect(build('Generic ESP32 module with SPIRAM with ESP32')).toEqual({ board: 'ESP32_GENERIC', variant: 'SPIRAM' });
    expect(build('Generic ESP32S3 module with Octal-SPIRAM with ESP32S3')).toEqual({ board: 'ESP32_GENERIC_S3', variant: 'SPIRAM_OCT' });
    expect(build('ESP32C3 module with ESP32C3')).toEqual({ board: 'ESP32_GENERIC_C3', variant: undefined });
    expect(build('ESP module (1M) with ESP8266')).toEqual({ board: 'ESP8266_GENERIC', variant: 'FLASH_1M' });
    expect(build('Raspberry Pi Pico W with RP2040')).toEqual({ board: 'RPI_PICO_W', variant: undefined });
    expect(build('Raspberry Pi Pico2 with RP2350')).toEqual({ board: 'RPI_PICO2', variant: undefined });
    expect(build('Raspberry Pi Pico 2 W with RP2350')).toEqual({ board: 'RPI_PICO2_W', variant: undefined });
    expect(build('micro:bit v2 with nRF52833')).toBeUndefined();
    expect(build('JS with Emscripten')).toBeUndefined();
  });

  it('suggests for a port from its MicroPython first, then from USB ids, and says how sure it is', () => {
    const shipped = realCatalog();
    expect(suggestForPort(shipped, { machine: 'ESP32C3 module with ESP32C3', vendorId: '303A', productId: '1001' })).toEqual({
      board: 'ESP32_GENERIC_C3',
      reason: 'the board runs MicroPython on "ESP32C3 module with ESP32C3"',
      certain: true,
    });
    const usbOnly = suggestForPort(shipped, { vendorId: '303a', productId: '1001' });
    expect(usbOnly).toMatchObject({ certain: false });
    expect(usbOnly?.reason).toMatch(/^its USB ids \(303A:1001\) are shared by .*ESP32-C3.*: Detect chip to be sure$/);
    expect(suggestForPort(shipped, { vendorId: '10c4', productId: 'ea60' })?.board).toBe('ESP32_GENERIC');
    expect(suggestForPort(shipped, { machine: 'something else', vendorId: '1234', productId: '5678' })).toBeUndefined();
  });
});
