/** Prints the first five fields of os.statvfs: block size, fragment size, blocks, free blocks, blocks available. */
import { importPy } from './helpers.js';
import { py, type PyCode } from './py.js';

export function statvfsPy(path: string): PyCode {
  return py`
    def _pw_statvfs():
        ${importPy('os')}
        s=os.statvfs(${path})
        print(s[0],s[1],s[2],s[3],s[4])
    try:_pw_statvfs()
    finally:del _pw_statvfs
  `;
}
