/**
 * After a write: checks size (and sha256 where the board has hashlib) of what
 * arrived, and only then renames the temp file over the target, so a damaged
 * upload never replaces a good file. Prints `ok`, or `bad SIZE HASH`.
 */
import type { BoardFeatures } from '../BoardProbe.js';
import { importPy, sha256HexHelperPy, sizeOfPy } from './helpers.js';
import { py, type PyCode } from './py.js';

export interface WrittenFile {
  path: string;
  /** Where the data went; undefined when it was written in place. */
  tempPath: string | undefined;
  length: number;
  /** The host's sha256 in hex; undefined where the board cannot hash (size only). */
  sha256Hex: string | undefined;
  has: BoardFeatures;
}

export function verifyAndRenamePy({ path, tempPath, length, sha256Hex, has }: WrittenFile): PyCode {
  const moveIntoPlace = tempPath
    ? py`
        try:os.rename(tmp,path)
        # FAT refuses to rename over an existing file on some ports: remove, then rename.
        except OSError:
            os.remove(path);os.rename(tmp,path)
      `
    : py.empty;
  return py`
    def _pw_verify(tmp,path):
        ${importPy('os')}
        ${sha256Hex ? sha256HexHelperPy() : py.empty}
        ${sizeOfPy(py`tmp`, has)}
        h=${sha256Hex ? py`sha256hex(tmp)` : ''}
        if s==${length} and h==${sha256Hex ?? ''}:
            ${moveIntoPlace}
            print("ok")
        else:
            ${tempPath ? py`os.remove(tmp)` : py.empty}
            print("bad",s,h)
    try:_pw_verify(${tempPath ?? path},${path})
    finally:del _pw_verify
  `;
}
