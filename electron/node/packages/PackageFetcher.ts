/**
 * Downloads for the package installer, with a cache in the app's data
 * folder: the index's files are named by their content hash, so a cached one
 * is used without asking again; package descriptions (which change with each
 * release) and files by URL are fetched fresh, and the cached copy is used
 * only when the network fails (said in `notes`). Every request has a time
 * limit and follows the caller's AbortSignal.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PackageError } from '../../common/packages/PackageError.js';
import { errorMessage, formatBytes } from '../../common/util/format.js';
import { userDataDir } from '../appPaths.js';

/** micropython-lib's files are a few KB; this bounds what a wrong URL can pour into memory. */
const MAX_DOWNLOAD_BYTES = 4 * 1024 * 1024;
const REQUEST_TIMEOUT_MS = 30_000;
/** The index's content-addressed files: `{index}/file/ab/abcdef12`. */
/** Beside a cache entry's name: the server said 404 last time. */
const MISSING_SUFFIX = '.missing';
const HASHED_FILE_RE = /\/file\/[0-9A-Za-z]{2}\/[0-9A-Za-z]{4,128}$/;

export interface PackageFetcherOptions {
  cacheDir?: string;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export class PackageFetcher {
  /** What the person should know about where files came from (cached copies used offline). */
  readonly notes: string[] = [];
  private readonly cacheDir: string;
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: PackageFetcherOptions = {}) {
    this.cacheDir = options.cacheDir ?? path.join(userDataDir(), 'package-cache');
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  }

  /** A JSON document; undefined when the server says it does not exist. */
  async json(url: string): Promise<unknown> {
    const bytes = await this.get(url, false);
    if (bytes === undefined) return undefined;
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    } catch (err) {
      throw new PackageError('BAD_PACKAGE', `${url} is not JSON: ${errorMessage(err)}`);
    }
  }

  async bytes(url: string): Promise<Uint8Array> {
    const bytes = await this.get(url, HASHED_FILE_RE.test(url));
    if (bytes === undefined) throw new PackageError('NOT_FOUND', `${url} does not exist (HTTP 404).`);
    return bytes;
  }

  private cachePath(url: string): string {
    return path.join(this.cacheDir, createHash('sha256').update(url).digest('hex').slice(0, 32));
  }

  /** The kept copy; 'missing' when the server last said the URL does not exist (an index without compiled files, say). */
  private async cached(url: string): Promise<Uint8Array | 'missing' | undefined> {
    try {
      return new Uint8Array(await readFile(this.cachePath(url)));
    } catch {
      try {
        await readFile(this.cachePath(url) + MISSING_SUFFIX);
        return 'missing';
      } catch {
        return undefined;
      }
    }
  }

  private async get(url: string, immutable: boolean): Promise<Uint8Array | undefined> {
    if (immutable) {
      const hit = await this.cached(url);
      if (hit instanceof Uint8Array) return hit;
    }
    let bytes: Uint8Array | undefined;
    try {
      bytes = await this.download(url);
    } catch (err) {
      if (err instanceof PackageError && (err.code === 'CANCELLED' || err.code === 'NOT_FOUND')) throw err;
      const hit = await this.cached(url);
      if (!hit) throw err;
      if (hit === 'missing') return undefined;
      this.notes.push(`Used the copy kept from an earlier install for ${url}: ${errorMessage(err)}`);
      return hit;
    }
    await this.keep(url, bytes);
    return bytes;
  }

  /** Keeps a download, or that the URL does not exist (undefined), for when the network is gone. */
  private async keep(url: string, bytes: Uint8Array | undefined): Promise<void> {
    try {
      await mkdir(this.cacheDir, { recursive: true });
      const file = this.cachePath(url);
      if (bytes === undefined) {
        await writeFile(file + MISSING_SUFFIX, '');
        await rm(file, { force: true });
        return;
      }
      await rm(file + MISSING_SUFFIX, { force: true });
      // Written whole, then renamed: a reader never sees half a file.
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, bytes);
      await rename(temp, file);
    } catch {
      // A cache that cannot be written costs a download next time, nothing more.
    }
  }

  private async download(url: string): Promise<Uint8Array | undefined> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await this.fetchImpl(url, { signal, redirect: 'follow' });
    } catch (err) {
      throw this.failure(url, err, timeout);
    }
    if (response.status === 404) return undefined;
    if (!response.ok) throw new PackageError('DOWNLOAD_FAILED', `${url} answered HTTP ${response.status} ${response.statusText}.`);
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > MAX_DOWNLOAD_BYTES) throw new PackageError('DOWNLOAD_FAILED', `${url} is ${formatBytes(declared)}; a package file is at most ${formatBytes(MAX_DOWNLOAD_BYTES)}.`);
    try {
      const body = new Uint8Array(await response.arrayBuffer());
      if (body.length > MAX_DOWNLOAD_BYTES) throw new PackageError('DOWNLOAD_FAILED', `${url} is over ${formatBytes(MAX_DOWNLOAD_BYTES)}; a package file is smaller.`);
      return body;
    } catch (err) {
      if (err instanceof PackageError) throw err;
      throw this.failure(url, err, timeout);
    }
  }

  private failure(url: string, err: unknown, timeout: AbortSignal): PackageError {
    if (this.options.signal?.aborted) return new PackageError('CANCELLED', 'The install was cancelled; nothing was installed.');
    if (timeout.aborted) return new PackageError('TIMEOUT', `${url} did not answer within ${this.timeoutMs / 1000} s.`);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return new PackageError('DOWNLOAD_FAILED', `Could not download ${url}: ${cause?.code ?? cause?.message ?? errorMessage(err)}`, { cause: err });
  }
}
