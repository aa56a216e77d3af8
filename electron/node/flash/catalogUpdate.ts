/**
 * "Check for newer": reads a board's download page on micropython.org (which
 * has no JSON index) and returns the releases newer than the catalog knows.
 */
import { FlashError, isFlashError } from '../../common/flash/FlashError.js';
import {
  MICROPYTHON_BASE_URL,
  downloadPageUrl,
  latestRelease,
  newerReleases,
  parseDownloadPage,
  type CatalogBoard,
  type FirmwareCatalog,
  type FirmwareRelease,
} from '../../common/flash/catalog.js';
import { errorMessage } from '../../common/util/format.js';

/** A download page is some 100 KB; anything far larger is not the page we mean. */
const MAX_PAGE_BYTES = 4 * 1024 * 1024;
export const DEFAULT_PAGE_TIMEOUT_MS = 20_000;

export interface CatalogUpdateOptions {
  /** Default micropython.org; tests serve their own page. */
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  signal?: AbortSignal;
  timeoutMs?: number;
  includePreviews?: boolean;
}

/** Every release the board's download page lists, newest first, with file URLs on `baseUrl`. */
export async function fetchBoardReleases(boardId: string, options: CatalogUpdateOptions = {}): Promise<FirmwareRelease[]> {
  const base = options.baseUrl ?? MICROPYTHON_BASE_URL;
  const url = downloadPageUrl(boardId, base);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PAGE_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  try {
    const response = await fetchImpl(url, { signal, headers: { accept: 'text/html' } });
    if (response.status === 404) throw new FlashError('NOT_FOUND', `micropython.org has no download page for ${boardId}.`);
    if (!response.ok) throw new FlashError('DOWNLOAD_FAILED', `Checking for newer firmware failed: the server answered ${response.status}.`);
    const body = await response.arrayBuffer();
    if (body.byteLength > MAX_PAGE_BYTES) throw new FlashError('TOO_LARGE', `The download page for ${boardId} is unexpectedly large; not read.`);
    return parseDownloadPage(new TextDecoder().decode(body), boardId, base);
  } catch (err) {
    if (isFlashError(err)) throw err;
    if (options.signal?.aborted) throw new FlashError('CANCELLED', 'Checking for newer firmware was cancelled.', { cause: err });
    if (timeout.aborted) throw new FlashError('TIMEOUT', `Checking for newer firmware timed out after ${Math.round(timeoutMs / 1000)} s. Check the network and try again.`, { cause: err });
    throw new FlashError('DOWNLOAD_FAILED', `Checking for newer firmware failed: ${errorMessage(err)}.`, { cause: err });
  }
}

/** The board's releases newer than the catalog's latest known one (empty when it is current). */
export async function checkForNewer(catalog: FirmwareCatalog, board: CatalogBoard, options: CatalogUpdateOptions = {}): Promise<FirmwareRelease[]> {
  const releases = await fetchBoardReleases(board.id, options);
  return newerReleases(releases, latestRelease(catalog, board).version, { includePreviews: options.includePreviews ?? false });
}
