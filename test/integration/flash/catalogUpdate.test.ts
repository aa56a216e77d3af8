// "Check for newer" against a local stand-in for micropython.org: the board's
// download page (our own fixture) read into releases newer than the catalog's,
// and the newer file downloaded through the cache from the same server.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBoard, parseCatalog } from '../../../electron/common/flash/catalog.js';
import { isFlashError } from '../../../electron/common/flash/FlashError.js';
import { checkForNewer, fetchBoardReleases } from '../../../electron/node/flash/catalogUpdate.js';
import { FirmwareCache } from '../../../electron/node/flash/FirmwareCache.js';
import { loadCatalog } from '../../../electron/node/flash/shippedCatalog.js';
import { buildEspImage } from '../../support/firmwareImages.js';
import { startFirmwareServer, type FirmwareServer } from './firmwareServer.js';

const PAGE = readFileSync(path.resolve(import.meta.dirname, '..', '..', 'unit', 'flash', 'fixtures', 'catalogDownloadPage.html'), 'utf8');
const catalog = parseCatalog({
  schemaVersion: 1,
  latest: { version: '1.29.0', date: '20260824' },
  boards: [
    { id: 'ESP32_GENERIC', name: 'ESP32', chip: 'esp32', offset: '0x1000', flashMode: 'dio', flashSizes: ['4MB'], ext: 'bin' },
    { id: 'ESP32_GENERIC_C6', name: 'ESP32-C6', chip: 'esp32c6', offset: '0x0', flashMode: 'dio', flashSizes: ['4MB'], ext: 'bin' },
  ],
});
const esp32 = findBoard(catalog, 'ESP32_GENERIC')!;

let server: FirmwareServer;

beforeAll(async () => {
  server = await startFirmwareServer();
  server.routes.set('/download/ESP32_GENERIC/', { body: PAGE });
  server.routes.set('/resources/firmware/ESP32_GENERIC-20261201-v1.30.0.bin', { body: buildEspImage({ chip: 'esp32', sizeBytes: 50_000 }) });
  server.routes.set('/download/SLOW_BOARD/', { body: PAGE, stallAfterBytes: 10 });
});
afterAll(async () => {
  await server.close();
});

async function failure(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isFlashError(err), String(err)).toBe(true);
  return err as Error;
}

describe('check for newer', () => {
  it('finds the release newer than the catalog, with file URLs on the server it asked', async () => {
    const newer = await checkForNewer(catalog, esp32, { baseUrl: server.baseUrl });
    expect(newer.map((r) => [r.version, r.date])).toEqual([['1.30.0', '20261201']]);
    expect(newer[0]!.files.map((f) => f.url)).toContain(`${server.baseUrl}/resources/firmware/ESP32_GENERIC-20261201-v1.30.0.bin`);
    expect((await checkForNewer(catalog, esp32, { baseUrl: server.baseUrl, includePreviews: true })).map((r) => r.version)).toEqual(['1.31.0', '1.30.0']);
  });

  it('downloads the newer release through the cache', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-fwupdate-'));
    try {
      const [release] = await checkForNewer(catalog, esp32, { baseUrl: server.baseUrl });
      const file = release!.files.find((f) => f.variant === undefined)!;
      const got = await new FirmwareCache({ dir, baseUrl: server.baseUrl }).download(file.url);
      expect(got).toMatchObject({ kind: 'esp-image', size: 50_000, fromCache: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says when a board has no page, and gives up on a page that never arrives', async () => {
    const missing = await failure(checkForNewer(catalog, findBoard(catalog, 'ESP32_GENERIC_C6')!, { baseUrl: server.baseUrl }));
    expect(missing.message).toBe('micropython.org has no download page for ESP32_GENERIC_C6.');
    const stalled = await failure(fetchBoardReleases('SLOW_BOARD', { baseUrl: server.baseUrl, timeoutMs: 300 }));
    expect((stalled as { code?: string }).code).toBe('TIMEOUT');
    const cancelled = await failure(fetchBoardReleases('SLOW_BOARD', { baseUrl: server.baseUrl, signal: AbortSignal.timeout(100) }));
    expect((cancelled as { code?: string }).code).toBe('CANCELLED');
  });

  it('reads the shipped catalog', async () => {
    const shipped = await loadCatalog();
    expect(findBoard(shipped, 'ESP32_GENERIC')?.offset).toBe(0x1000);
  });
});
