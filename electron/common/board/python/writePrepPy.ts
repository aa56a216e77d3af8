/**
 * Before a write: removes a temp file an interrupted write left behind,
 * refuses to write over a folder, and prints the size of what is there (and
 * its sha256 when the caller may skip an unchanged file).
 */
import { BOARD_ERRNO } from '../BoardError.js';
import type { BoardFeatures } from '../BoardProbe.js';
import { S_IFDIR, importPy, sha256HexHelperPy, sizeHelperPy } from './helpers.js';
import { py, type PyCode } from './py.js';

export interface WritePrep {
  path: string;
  /** Where the data will go first; undefined when the firmware cannot rename (written in place). */
  tempPath: string | undefined;
  /** The new file's length: the hash is printed only when the sizes match. */
  length: number;
  /** Print the sha256 of the current file for the skip-if-unchanged check. */
  compareHash: boolean;
  has: BoardFeatures;
}

export function writePrepPy({ path, tempPath, length, compareHash, has }: WritePrep): PyCode {
  const removeStaleTemp = tempPath
    ? py`
        try:os.remove(${tempPath})
        except OSError:pass
      `
    : py.empty;
  const refuseFolder = has.stat
    ? py`
        try:
            if os.stat(${path})[0]&${S_IFDIR}:raise OSError(${BOARD_ERRNO.EISDIR})
        except OSError as e:
            if e.args[0]==${BOARD_ERRNO.EISDIR}:raise
      `
    : py.empty;
  return py`
    def _pw_write_prep():
        ${importPy('os')}
        ${sizeHelperPy(has)}
        ${compareHash ? sha256HexHelperPy() : py.empty}
        ${removeStaleTemp}
        ${refuseFolder}
        s=size(${path})
        print(s)
        ${compareHash ? py`if s==${length}:print(sha256hex(${path}))` : py.empty}
    try:_pw_write_prep()
    finally:del _pw_write_prep
  `;
}
