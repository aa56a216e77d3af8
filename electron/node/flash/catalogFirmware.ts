/** A catalog board's firmware file, downloaded once into the cache: what the CLI and the flasher service both fetch. */
import { findBoard, firmwareUrl, latestFirmwareUrl, latestRelease, type CatalogBoard, type FirmwareCatalog, type ReleaseRef } from '../../common/flash/catalog.js';
import { FlashError } from '../../common/flash/FlashError.js';
import type { CachedFirmware, DownloadProgress, FirmwareCache } from './FirmwareCache.js';

export interface CatalogFirmwareRequest {
  board: string;
  variant?: string | undefined;
  /** A release newer than the catalog's (from its download page); default the catalog's newest known. */
  release?: Pick<ReleaseRef, 'version' | 'date'> | undefined;
  signal?: AbortSignal;
  /** Called once the board is known, before the download starts (e.g. to label progress). */
  onStart?: (board: CatalogBoard, version: string) => void;
  onProgress?: (progress: DownloadProgress) => void;
}

/** Throws FlashError NOT_FOUND for a board or build the catalog does not have. */
export async function fetchCatalogFirmware(cache: FirmwareCache, catalog: FirmwareCatalog, request: CatalogFirmwareRequest): Promise<CachedFirmware> {
  const board = findBoard(catalog, request.board);
  if (!board) throw new FlashError('NOT_FOUND', `${request.board} is not a board of the firmware catalog.`);
  const { variant, release } = request;
  // latestFirmwareUrl checks the variant itself; a chosen release is checked here.
  if (release && variant !== undefined && !board.variants.some((v) => v.id === variant)) {
    throw new FlashError('NOT_FOUND', `${board.name} has no ${variant} build.`);
  }
  const url = release
    ? firmwareUrl({ board: board.id, ...(variant ? { variant } : {}), version: release.version, date: release.date, ext: board.ext }, cache.baseUrl)
    : latestFirmwareUrl(catalog, board, variant, cache.baseUrl);
  request.onStart?.(board, (release ?? latestRelease(catalog, board)).version);
  return cache.download(url, { ...(request.signal ? { signal: request.signal } : {}), ...(request.onProgress ? { onProgress: request.onProgress } : {}) });
}
