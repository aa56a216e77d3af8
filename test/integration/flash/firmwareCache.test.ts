// The firmware download cache against a local HTTP server: downloads are
// stored with their sha256 and reused while the file still matches, and every
// way a download goes wrong ends in a FlashError that says what happened,
// with no partial file left behind.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UF2_FAMILY } from '../../../electron/common/flash/chips.js';
import { isFlashError, type FlashError } from '../../../electron/common/flash/FlashError.js';
import { FirmwareCache, type DownloadProgress } from '../../../electron/node/flash/FirmwareCache.js';
import { buildEspImage, buildUf2 } from '../../support/firmwareImages.js';
import { startFirmwareServer, type FirmwareServer } from './firmwareServer.js';

const BIN = 'ESP32_GENERIC-20260824-v1.29.0.bin';
const UF2 = 'RPI_PICO-20260824-v1.29.0.uf2';
const IMAGE = buildEspImage({ chip: 'esp32', sizeBytes: 300_000 });
const UF2_FILE = buildUf2({ familyId: UF2_FAMILY.RP2040, payloadBytes: 256 * 40 });
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let server: FirmwareServer;
let dir: string;
let cache: FirmwareCache;

async function failure(p: Promise<unknown>): Promise<FlashError> {
  try {
    await p;
  } catch (err) {
    expect(isFlashError(err), String(err)).toBe(true);
    return err as FlashError;
  }
  throw new Error('expected a FlashError');
}

function leftovers(): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.part'));
}

beforeAll(async () => {
  server = await startFirmwareServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-fwcache-'));
  cache = new FirmwareCache({ dir, baseUrl: server.baseUrl, idleTimeoutMs: 2000 });
  server.routes.clear();
  server.hits.clear();
  server.routes.set(`/resources/firmware/${BIN}`, { body: IMAGE });
  server.routes.set(`/resources/firmware/${UF2}`, { body: UF2_FILE, chunked: true });
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('downloads', () => {
  it('downloads a bare file name from the base URL, records its sha256 and reports progress', async () => {
    const progress: DownloadProgress[] = [];
    const got = await cache.download(BIN, { onProgress: (p) => progress.push(p) });
    expect(got).toMatchObject({ fileName: BIN, size: IMAGE.length, sha256: sha256(IMAGE), kind: 'esp-image', fromCache: false, url: `${server.baseUrl}/resources/firmware/${BIN}` });
    expect(readFileSync(got.path)).toEqual(Buffer.from(IMAGE));
    expect(JSON.parse(readFileSync(got.path + '.json', 'utf8'))).toMatchObject({ sha256: sha256(IMAGE), size: IMAGE.length, url: got.url });
    expect(progress.at(-1)).toEqual({ receivedBytes: IMAGE.length, totalBytes: IMAGE.length });
    expect(progress.length).toBeGreaterThan(1);
    expect(leftovers()).toEqual([]);
  });

  it('reuses the cached file while its sha256 matches, and downloads again when it does not', async () => {
    const first = await cache.download(BIN);
    const again = await cache.download(`${server.baseUrl}/resources/firmware/${BIN}`);
    expect(again).toMatchObject({ fromCache: true, sha256: first.sha256, path: first.path });
    expect(server.hits.get(`/resources/firmware/${BIN}`)).toBe(1);

    const damaged = Buffer.from(IMAGE);
    damaged[1000] = damaged[1000]! ^ 0xff;
    writeFileSync(first.path, damaged);
    expect(await cache.lookup(BIN)).toBeUndefined();
    const fresh = await cache.download(BIN);
    expect(fresh.fromCache).toBe(false);
    expect(readFileSync(fresh.path)).toEqual(Buffer.from(IMAGE));
    expect(server.hits.get(`/resources/firmware/${BIN}`)).toBe(2);
  });

  it('downloads a UF2 sent without Content-Length', async () => {
    const progress: DownloadProgress[] = [];
    const got = await cache.download(UF2, { onProgress: (p) => progress.push(p) });
    expect(got).toMatchObject({ kind: 'uf2', size: UF2_FILE.length, sha256: sha256(UF2_FILE) });
    expect(progress.at(-1)?.totalBytes).toBeUndefined();
  });

  it('checks an expected sha256', async () => {
    const err = await failure(cache.download(BIN, { expectedSha256: '0'.repeat(64) }));
    expect(err.message).toContain(`its sha256 is ${sha256(IMAGE)}`);
    expect((await cache.download(BIN, { expectedSha256: sha256(IMAGE) })).fromCache).toBe(false);
  });
});

describe('download failures', () => {
  it('a missing file is NOT_FOUND, a server error DOWNLOAD_FAILED', async () => {
    const missing = await failure(cache.download('ESP32_GENERIC-20990101-v9.9.9.bin'));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain('the server answered 404');
    server.routes.set('/resources/firmware/BROKEN-20260824-v1.29.0.bin', { status: 503, body: 'down' });
    expect((await failure(cache.download('BROKEN-20260824-v1.29.0.bin'))).code).toBe('DOWNLOAD_FAILED');
    expect(leftovers()).toEqual([]);
  });

  it('refuses a file above the size cap, declared or streamed', async () => {
    const small = new FirmwareCache({ dir, baseUrl: server.baseUrl, maxBytes: 100 * 1024 });
    const declared = await failure(small.download(BIN));
    expect(declared.code).toBe('TOO_LARGE');
    expect(declared.message).toContain('is 293 KB, more than the 100 KB a firmware may be.');
    server.routes.set(`/resources/firmware/${BIN}`, { body: IMAGE, chunked: true });
    expect((await failure(small.download(BIN))).code).toBe('TOO_LARGE');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('gives up on a stalled download after the idle timeout', async () => {
    server.routes.set(`/resources/firmware/${BIN}`, { body: IMAGE, stallAfterBytes: 1000 });
    const quick = new FirmwareCache({ dir, baseUrl: server.baseUrl, idleTimeoutMs: 300 });
    const started = Date.now();
    const err = await failure(quick.download(BIN));
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toContain('stalled');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(leftovers()).toEqual([]);
  });

  it('stops when cancelled mid-download, leaving nothing behind', async () => {
    server.routes.set(`/resources/firmware/${BIN}`, { body: IMAGE, trickle: { chunkBytes: 10_000, everyMs: 20 } });
    const controller = new AbortController();
    const err = await failure(
      cache.download(BIN, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.receivedBytes >= 30_000) controller.abort();
        },
      }),
    );
    expect(err.code).toBe('CANCELLED');
    expect(readdirSync(dir)).toEqual([]);
    expect((await failure(cache.download(BIN, { signal: AbortSignal.abort() }))).code).toBe('CANCELLED');
  });

  it('refuses an HTML page served as a .bin, and names that are not firmware', async () => {
    server.routes.set(`/resources/firmware/${BIN}`, { body: '<!doctype html><h1>Maintenance</h1>' });
    const err = await failure(cache.download(BIN));
    expect(err.code).toBe('INVALID_IMAGE');
    expect(err.message).toContain('not an ESP firmware image');
    expect(readdirSync(dir)).toEqual([]);
    expect((await failure(cache.download(`${server.baseUrl}/download/ESP32_GENERIC/`))).message).toContain('does not name a .bin or .uf2');
    expect((await failure(cache.download('../../etc/passwd.bin'))).code).toBe('NOT_FOUND');
  });
});

describe('local files', () => {
  it('accepts a local .bin and .uf2 by content, with their sha256', async () => {
    const bin = path.join(dir, 'my-build.bin');
    const uf2 = path.join(dir, 'my-build.uf2');
    writeFileSync(bin, IMAGE);
    writeFileSync(uf2, UF2_FILE);
    expect(await cache.importLocal(bin)).toEqual({ path: bin, fileName: 'my-build.bin', sha256: sha256(IMAGE), size: IMAGE.length, kind: 'esp-image' });
    expect((await cache.importLocal(uf2)).kind).toBe('uf2');
  });

  it('refuses a .bin that is not an image, a .uf2 that is not UF2, other types and missing files', async () => {
    const badBin = path.join(dir, 'notes.bin');
    const badUf2 = path.join(dir, 'image.uf2');
    const txt = path.join(dir, 'readme.txt');
    writeFileSync(badBin, 'hello');
    writeFileSync(badUf2, IMAGE);
    writeFileSync(txt, 'hello');
    expect((await failure(cache.importLocal(badBin))).message).toContain('notes.bin is not an ESP firmware image');
    expect((await failure(cache.importLocal(badUf2))).message).toContain('not a UF2 firmware file');
    expect((await failure(cache.importLocal(txt))).message).toContain('neither a .bin nor a .uf2');
    expect((await failure(cache.importLocal(path.join(dir, 'nope.bin')))).code).toBe('NOT_FOUND');
  });
});
