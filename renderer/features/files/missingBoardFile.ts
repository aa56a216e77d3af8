import { ApiError } from '../../../electron/common/api/errors.js';
import type { AttemptOptions, Workbench } from '../../app/Workbench.js';

function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'NOT_FOUND';
}

/**
 * For actions on a board file the tree shows: when the file is gone (deleted
 * from the REPL or another tool), the board is listed again so the tree stops
 * offering a file that is not there, and the notification says so.
 */
export function missingBoardFile(workbench: Workbench): AttemptOptions {
  return {
    hint: (err) => (isNotFound(err) ? 'It is no longer on the board (changed from the REPL or another tool?). The file list now shows what is there.' : undefined),
    onError: (err) => {
      if (isNotFound(err)) workbench.boardFilesVersion.update((v) => v + 1);
    },
  };
}
