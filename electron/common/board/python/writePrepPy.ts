/**
 * Before a write: removes a temp file an interrupted write left behind,
 * refuses to write over a folder, and prints the size of what is there (and
 * its sha256 when the caller may skip an unchanged file).
 */
import { BOARD_ERRNO } from '../BoardError.js';
import type { BoardFeatures } from '../BoardProbe.js';
import { S_IFDIR, importPy, sha256HexHelperPy, sizeOfPy } from './helpers.js';
import { py, type PyCode } from './py.js';

export interface WritePrep {
  path: string;
  /** Where the data will go first. */
  tempPath: string;
  /** The new file's length: the hash is printed only when the sizes match. */
  length: number;
  /** Print the sha256 of the current file for the skip-if-unchanged check. */
  compareHash: boolean;
  has: BoardFeatures;
}

export function writePrepPy({ path, tempPath, length, compareHash, has }: WritePrep): PyCode {
  const removeStaleTemp = py`
    try:os.remove(tmp)
    except OSError:pass
  `;
  // With os.stat, one stat gives both the size and whether a folder is in the way (that must fail as EISDIR).
  const printSize = has.stat
    ? py`
        try:st=os.stat(path)
        except OSError:st=None
        if st and st[0]&${S_IFDIR}:raise OSError(${BOARD_ERRNO.EISDIR})
        s=st[6] if st else -1
      `
    : sizeOfPy(py`path`, has);
  return py`
    def _pw_prepare(path,tmp):
        ${importPy('os')}
        ${compareHash ? sha256HexHelperPy() : py.empty}
        ${removeStaleTemp}
        ${printSize}
        print(s)
        ${compareHash ? py`if s==${length}:print(sha256hex(path))` : py.empty}
    try:_pw_prepare(${path},${tempPath})
    finally:del _pw_prepare
  `;
}
