/** Board errnos turned into errors that say which path and what to do. */
import { BOARD_ERRNO, BoardError, BoardExecError, errnoName } from '../BoardError.js';

export function explainFileError(err: unknown, path: string): unknown {
  if (!(err instanceof BoardExecError)) return err;
  switch (err.errno) {
    case BOARD_ERRNO.ENOENT:
      return new BoardError('NOT_FOUND', `No such file or folder on the board: ${path}`, { cause: err });
    case BOARD_ERRNO.EEXIST:
      return new BoardExecError(err.traceback, err.stdout, `Something named ${path} already exists on the board.`);
    case BOARD_ERRNO.ENOTDIR:
      return new BoardExecError(err.traceback, err.stdout, `${path} (or a folder above it) is a file, not a folder.`);
    case BOARD_ERRNO.EISDIR:
      return new BoardExecError(err.traceback, err.stdout, `${path} is a folder, not a file.`);
    case BOARD_ERRNO.ENOTEMPTY:
      return new BoardExecError(err.traceback, err.stdout, `The folder ${path} is not empty.`);
    case BOARD_ERRNO.ENOSPC:
      return new BoardExecError(err.traceback, err.stdout, `The board's storage is full while writing ${path}. Delete some files and try again.`);
    case BOARD_ERRNO.EROFS:
      return new BoardExecError(err.traceback, err.stdout, `The board's filesystem is read-only (${path}).`);
    default:
      if (err.errno !== undefined) {
        const name = errnoName(err.errno);
        return new BoardExecError(err.traceback, err.stdout, `${err.message} (${name ?? 'errno ' + err.errno}, ${path})`);
      }
      return err;
  }
}
