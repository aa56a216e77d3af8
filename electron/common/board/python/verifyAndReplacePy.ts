/**
 * After a write: checks the size and content of what arrived in the temp
 * file (sha256 where the board has hashlib, else Adler-32 of the file read
 * back), and only then puts it in place of the target, so a damaged upload
 * never replaces a good file. Prints `ok`, or `bad SIZE DIGEST`.
 *
 * Firmware with os.rename replaces atomically. Firmware without it (1.9-era
 * flat filesystems) gets the next best: the checked temp file is copied over
 * the target on the board (milliseconds, nothing crosses the line), the copy's
 * size is checked, and only then is the temp file removed; should the copy be
 * cut short, the checked data is still in the temp file.
 */
import type { BoardFeatures } from '../BoardProbe.js';
import { adler32HelperPy, importPy, sha256HexHelperPy, sizeOfPy } from './helpers.js';
import { py, type PyCode } from './py.js';

/** What the content must match: the host's sha256 in hex, or its Adler-32 as "A B" (python/helpers.ts). */
export type ContentCheck = { sha256Hex: string } | { adler32: string };

export interface WrittenFile {
  path: string;
  /** Where the data went. */
  tempPath: string;
  length: number;
  check: ContentCheck;
  /** 'rename' where the firmware has os.rename, else 'copy'. */
  replace: 'rename' | 'copy';
  has: BoardFeatures;
}

export function verifyAndReplacePy({ path, tempPath, length, check, replace, has }: WrittenFile): PyCode {
  const bySha = 'sha256Hex' in check;
  const moveIntoPlace =
    replace === 'rename'
      ? py`
          try:os.rename(tmp,path)
          # FAT refuses to rename over an existing file on some ports: remove, then rename.
          except OSError:
              os.remove(path);os.rename(tmp,path)
          print("ok")
        `
      : py`
          try:os.remove(path)
          except OSError:pass
          c=bytearray(256);f=open(tmp,"rb");g=open(path,"wb")
          while 1:
              n=f.readinto(c)
              if not n:break
              g.write(c if n==256 else c[:n])
          f.close();g.close()
          ${sizeOfPy(py`path`, has)}
          if s==${length}:
              os.remove(tmp)
              print("ok")
          else:print("bad copy",s)
        `;
  return py`
    def _pw_verify(tmp,path):
        ${importPy('os')}
        import gc;gc.collect()
        ${bySha ? sha256HexHelperPy() : adler32HelperPy()}
        ${sizeOfPy(py`tmp`, has)}
        h=${bySha ? py`sha256hex(tmp)` : py`adler32(tmp)`} if s==${length} else ""
        if s==${length} and h==${bySha ? check.sha256Hex : check.adler32}:
            ${moveIntoPlace}
        else:
            os.remove(tmp)
            print("bad",s,h)
    try:_pw_verify(${tempPath},${path})
    finally:del _pw_verify
  `;
}
