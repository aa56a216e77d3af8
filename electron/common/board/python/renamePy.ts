/** Renames (or moves) a file or folder. */
import { importPy } from './helpers.js';
import { py, type PyCode } from './py.js';

export function renamePy(from: string, to: string): PyCode {
  return py`
    def _pw_rename():
        ${importPy('os')}
        os.rename(${from},${to})
    try:_pw_rename()
    finally:del _pw_rename
  `;
}
