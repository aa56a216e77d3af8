/**
 * Removes a file or a folder (everything in it when `recursive`), printing
 * `x` per removed entry for progress. Folders are walked with a stack, not
 * recursion: a folder is removed on its second visit, once it is empty.
 */
import type { BoardFeatures } from '../BoardProbe.js';
import { S_IFDIR, importPy, joinHelperPy } from './helpers.js';
import { py, type PyCode } from './py.js';

export function removePy(path: string, recursive: boolean, has: BoardFeatures): PyCode {
  if (!has.stat || !has.ilistdir) return removeFilePy(path);
  const removeFolder = recursive
    ? py`
        else:
            stack=[(top,0)]
            while stack:
                d,emptied=stack.pop()
                if emptied:
                    os.rmdir(d)
                    print("x")
                    continue
                stack.append((d,1))
                for e in list(os.ilistdir(d)):
                    q=join(d,e[0])
                    if e[1]&${S_IFDIR}:stack.append((q,0))
                    else:
                        os.remove(q)
                        print("x")
      `
    : py`
        else:
            os.rmdir(top)
            print("x")
      `;
  return py`
    def _pw_remove(top):
        ${importPy('os')}
        ${joinHelperPy()}
        if not os.stat(top)[0]&${S_IFDIR}:
            os.remove(top)
            print("x")
        ${removeFolder}
    try:_pw_remove(${path})
    finally:del _pw_remove
  `;
}

/** Firmware without folders (or without os.stat to tell them apart): files only. */
function removeFilePy(path: string): PyCode {
  return py`
    def _pw_remove(path):
        ${importPy('os')}
        os.remove(path)
        print("x")
    try:_pw_remove(${path})
    finally:del _pw_remove
  `;
}
