/** mkdir -p: creates every missing folder on the way; an existing folder is fine, an existing file is EEXIST. */
import { BOARD_ERRNO } from '../BoardError.js';
import { S_IFDIR, importPy } from './helpers.js';
import { py, type PyCode } from './py.js';

export function mkdirsPy(path: string): PyCode {
  return py`
    def _pw_mkdirs(path):
        ${importPy('os')}
        c="/" if path[:1]=="/" else ""
        for s in path.split("/"):
            if not s:continue
            c=c+s if c in ("","/") else c+"/"+s
            try:os.mkdir(c)
            except OSError as e:
                try:d=os.stat(c)[0]&${S_IFDIR}
                except OSError:raise e
                if not d:raise OSError(${BOARD_ERRNO.EEXIST})
    try:_pw_mkdirs(${path})
    finally:del _pw_mkdirs
  `;
}
