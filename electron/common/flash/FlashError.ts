/**
 * The flashing layer's one error class: firmware files that are not what they
 * claim, downloads that fail, UF2 drives that refuse a copy. Messages are
 * written for the person at the board (what is wrong, what to do instead);
 * `code` lets callers branch without reading messages.
 */

import { CodedError } from '../util/CodedError.js';

export type FlashErrorCode =
  | 'INVALID_IMAGE' // a firmware file that is not a usable image for the target
  | 'INVALID_CATALOG' // a firmware catalog that does not fit its schema
  | 'DOWNLOAD_FAILED' // HTTP error, network error or a body that is not firmware
  | 'TOO_LARGE' // a download or file above the size cap
  | 'TIMEOUT' // no progress within the allowed time
  | 'CANCELLED' // the caller's AbortSignal fired
  | 'NOT_FOUND' // a catalog entry, a file or a drive that does not exist
  | 'IO'; // the local file system refused (cache folder, UF2 drive)

export class FlashError extends CodedError<FlashErrorCode> {
  override readonly name = 'FlashError';
}

/** Whether `err` is a FlashError, with one of `codes` when any are given. */
export function isFlashError(err: unknown, ...codes: FlashErrorCode[]): err is FlashError {
  return err instanceof FlashError && (codes.length === 0 || codes.includes(err.code));
}
