/**
 * The package installer's errors, written for the person installing (what
 * was asked, what went wrong, what to do). `code` lets callers branch.
 */
import { CodedError } from '../util/CodedError.js';

export type PackageErrorCode =
  | 'BAD_SPEC' // not a name, github:/gitlab: address or URL
  | 'NOT_FOUND' // the index has no such package (or version), or a URL answered 404
  | 'BAD_PACKAGE' // a package.json that does not fit mip's format, or a file outside the package's folder
  | 'DOWNLOAD_FAILED' // network error, HTTP error other than 404
  | 'TIMEOUT'
  | 'NO_SPACE' // the board's filesystem cannot hold the files
  | 'CANCELLED';

export class PackageError extends CodedError<PackageErrorCode> {
  override readonly name = 'PackageError';
}

export function isPackageError(err: unknown, ...codes: PackageErrorCode[]): err is PackageError {
  return err instanceof PackageError && (codes.length === 0 || codes.includes(err.code));
}
