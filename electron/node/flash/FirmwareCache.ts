/**
 * Firmware downloads, kept in the app's data folder with their sha256 so a
 * board flashed again (or a retry after a pulled cable) does not download
 * again, and a file damaged on disk is noticed and fetched anew. Local
 * .bin/.uf2 files the person picks are checked the same way.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FlashError, isFlashError } from '../../common/flash/FlashError.js';
import { isEspImage } from '../../common/flash/espImage.js';
import { parseUf2 } from '../../common/flash/uf2.js';
import { MICROPYTHON_BASE_URL } from '../../common/flash/catalog.js';
import { errorMessage, formatBytes } from '../../common/util/format.js';
import { userDataDir } from '../appPaths.js';

/** MicroPython images are 0.5-2 MB; the largest ESP32-S3/P4 builds stay well under this. */
export const DEFAULT_MAX_FIRMWARE_BYTES = 16 * 1024 * 1024;
/** Without a byte for this long, the download is declared stalled. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const FIRMWARE_PATH = '/resources/firmware/';
const SIDECAR_SUFFIX = '.json';
/** Only names like MicroPython's reach the disk: no separators, no dot-files. */
const SAFE_FILE_NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*\.(bin|uf2)$/;

export type FirmwareKind = 'esp-image' | 'uf2';

export interface FirmwareFile {
  path: string;
  fileName: string;
  sha256: string;
  size: number;
  kind: FirmwareKind;
}

export interface CachedFirmware extends FirmwareFile {
  url: string;
  /** True when the file was already in the cache and still matched its sha256. */
  fromCache: boolean;
}

export interface DownloadProgress {
  receivedBytes: number;
  /** From Content-Length; undefined when the server does not say. */
  totalBytes: number | undefined;
}

export interface DownloadOptions {
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** When given, the download must hash to this (lower-case hex). */
  expectedSha256?: string;
}

export interface FirmwareCacheOptions {
  /** Default: <user data>/firmware. */
  dir?: string;
  /** Where bare file names are fetched from; tests point it at a local server. */
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  maxBytes?: number;
  idleTimeoutMs?: number;
}

interface Sidecar {
  url: string;
  sha256: string;
  size: number;
  downloadedAt: string;
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * What the bytes are, or a FlashError saying why they are not firmware: the
 * extension must agree with the content, which also catches an HTML error
 * page served with status 200.
 */
export function checkFirmwareBytes(bytes: Uint8Array, fileName: string): FirmwareKind {
  const ext = path.extname(fileName).toLowerCase();
  if (bytes.length === 0) throw new FlashError('INVALID_IMAGE', `${fileName} is empty.`);
  if (ext === '.uf2') {
    parseUf2(bytes);
    return 'uf2';
  }
  if (ext === '.bin') {
    if (!isEspImage(bytes)) throw new FlashError('INVALID_IMAGE', `${fileName} is not an ESP firmware image (it does not start with 0xE9).`);
    return 'esp-image';
  }
  throw new FlashError('INVALID_IMAGE', `${fileName} is neither a .bin nor a .uf2 firmware file.`);
}

function fileNameOf(url: string): string {
  let name: string;
  try {
    name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  } catch {
    throw new FlashError('DOWNLOAD_FAILED', `${url} is not a valid download address.`);
  }
  if (!SAFE_FILE_NAME_RE.test(name)) throw new FlashError('DOWNLOAD_FAILED', `${url} does not name a .bin or .uf2 firmware file.`);
  return name;
}

export class FirmwareCache {
  readonly dir: string;
  readonly baseUrl: string;
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly maxBytes: number;
  private readonly idleTimeoutMs: number;

  constructor(options: FirmwareCacheOptions = {}) {
    this.dir = options.dir ?? path.join(userDataDir(), 'firmware');
    this.baseUrl = (options.baseUrl ?? MICROPYTHON_BASE_URL).replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_FIRMWARE_BYTES;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  }

  /** A full URL as is; a bare file name (ESP32_GENERIC-20241129-v1.24.1.bin) under the base URL's firmware folder. */
  resolveUrl(source: string): string {
    if (/^https?:\/\//i.test(source)) return source;
    if (!SAFE_FILE_NAME_RE.test(source)) throw new FlashError('NOT_FOUND', `${source} is not a firmware file name or URL.`);
    return `${this.baseUrl}${FIRMWARE_PATH}${source}`;
  }

  /** The cached copy of a file, when present and still matching its recorded sha256. */
  async lookup(source: string): Promise<CachedFirmware | undefined> {
    const url = this.resolveUrl(source);
    const fileName = fileNameOf(url);
    const file = path.join(this.dir, fileName);
    let sidecar: Sidecar;
    let bytes: Buffer;
    try {
      sidecar = JSON.parse(await readFile(file + SIDECAR_SUFFIX, 'utf8')) as Sidecar;
      bytes = await readFile(file);
    } catch {
      // No sidecar, an unreadable one or no file: not cached.
      return undefined;
    }
    if (bytes.length !== sidecar.size || sha256Hex(bytes) !== sidecar.sha256) return undefined;
    return { path: file, fileName, url: sidecar.url, sha256: sidecar.sha256, size: sidecar.size, kind: checkFirmwareBytes(bytes, fileName), fromCache: true };
  }

  /**
   * The firmware at `source` (a URL or a bare MicroPython file name), from
   * the cache when it still matches its sha256, else downloaded: streamed to
   * a temporary file, capped at maxBytes, abandoned when no byte arrives for
   * idleTimeoutMs or `signal` aborts, checked to be firmware, then moved into
   * place with its sidecar.
   */
  async download(source: string, options: DownloadOptions = {}): Promise<CachedFirmware> {
    const url = this.resolveUrl(source);
    const fileName = fileNameOf(url);
    const cached = await this.lookup(url);
    if (cached && (options.expectedSha256 === undefined || cached.sha256 === options.expectedSha256)) return cached;
    if (options.signal?.aborted) throw new FlashError('CANCELLED', 'The download was cancelled.');

    await mkdir(this.dir, { recursive: true });
    const final = path.join(this.dir, fileName);
    const partial = path.join(this.dir, `.${fileName}.${randomUUID()}.part`);
    const controller = new AbortController();
    let stalled = false;
    let idleTimer: NodeJS.Timeout | undefined;
    const armIdle = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        stalled = true;
        controller.abort();
      }, this.idleTimeoutMs);
    };
    const onAbort = () => controller.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const handle = await open(partial, 'w');
    try {
      armIdle();
      const response = await this.fetchImpl(url, { signal: controller.signal, redirect: 'follow' });
      if (!response.ok) {
        throw new FlashError(response.status === 404 ? 'NOT_FOUND' : 'DOWNLOAD_FAILED', `Downloading ${fileName} failed: the server answered ${response.status} ${response.statusText}.`.replace(/ \.$/, '.'));
      }
      const declared = Number(response.headers.get('content-length') ?? NaN);
      const totalBytes = Number.isFinite(declared) ? declared : undefined;
      if (totalBytes !== undefined && totalBytes > this.maxBytes) {
        throw new FlashError('TOO_LARGE', `${fileName} is ${formatBytes(totalBytes)}, more than the ${formatBytes(this.maxBytes)} a firmware may be.`);
      }
      if (!response.body) throw new FlashError('DOWNLOAD_FAILED', `Downloading ${fileName} failed: the server sent no data.`);
      const hash = createHash('sha256');
      let receivedBytes = 0;
      const reader = response.body.getReader();
      // Read by hand rather than with for-await: the DOM and Node typings of ReadableStream disagree on async iteration.
      for (;;) {
        const { done, value: chunk } = await reader.read();
        if (done) break;
        armIdle();
        receivedBytes += chunk.length;
        if (receivedBytes > this.maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new FlashError('TOO_LARGE', `${fileName} is more than the ${formatBytes(this.maxBytes)} a firmware may be; the download was stopped.`);
        }
        hash.update(chunk);
        await handle.write(chunk);
        options.onProgress?.({ receivedBytes, totalBytes });
      }
      if (totalBytes !== undefined && receivedBytes !== totalBytes) {
        throw new FlashError('DOWNLOAD_FAILED', `Downloading ${fileName} failed: the connection ended after ${formatBytes(receivedBytes)} of ${formatBytes(totalBytes)}.`);
      }
      const sha256 = hash.digest('hex');
      if (options.expectedSha256 !== undefined && sha256 !== options.expectedSha256.toLowerCase()) {
        throw new FlashError('DOWNLOAD_FAILED', `Downloading ${fileName} failed: its sha256 is ${sha256}, not the expected ${options.expectedSha256}.`);
      }
      await handle.sync();
      await handle.close();
      const kind = checkFirmwareBytes(await readFile(partial), fileName);
      await rename(partial, final);
      const sidecar: Sidecar = { url, sha256, size: receivedBytes, downloadedAt: new Date().toISOString() };
      await writeFile(final + SIDECAR_SUFFIX, JSON.stringify(sidecar, null, 2) + '\n');
      return { path: final, fileName, url, sha256, size: receivedBytes, kind, fromCache: false };
    } catch (err) {
      throw this.downloadError(err, fileName, stalled, options.signal);
    } finally {
      // Drops the connection on every way out that left the body unread.
      controller.abort();
      clearTimeout(idleTimer);
      options.signal?.removeEventListener('abort', onAbort);
      await handle.close().catch(() => undefined);
      await rm(partial, { force: true });
    }
  }

  private downloadError(err: unknown, fileName: string, stalled: boolean, signal: AbortSignal | undefined): FlashError {
    if (stalled) return new FlashError('TIMEOUT', `Downloading ${fileName} stalled: nothing arrived for ${Math.round(this.idleTimeoutMs / 1000)} s. Check the network and try again.`, { cause: err });
    if (signal?.aborted) return new FlashError('CANCELLED', 'The download was cancelled.', { cause: err });
    if (isFlashError(err)) return err;
    return new FlashError('DOWNLOAD_FAILED', `Downloading ${fileName} failed: ${errorMessage(err)}. Check the network and try again.`, { cause: err });
  }

  /** A local .bin/.uf2 the person picked: read, checked by type and hashed (not copied into the cache). */
  async importLocal(filePath: string): Promise<FirmwareFile> {
    let st;
    try {
      st = await stat(filePath);
    } catch (err) {
      throw new FlashError('NOT_FOUND', `${filePath} does not exist.`, { cause: err });
    }
    if (!st.isFile()) throw new FlashError('INVALID_IMAGE', `${filePath} is not a file.`);
    if (st.size > this.maxBytes) throw new FlashError('TOO_LARGE', `${path.basename(filePath)} is ${formatBytes(st.size)}, more than the ${formatBytes(this.maxBytes)} a firmware may be.`);
    const bytes = await readFile(filePath);
    const fileName = path.basename(filePath);
    const kind = checkFirmwareBytes(bytes, fileName);
    return { path: filePath, fileName, sha256: sha256Hex(bytes), size: bytes.length, kind };
  }
}
