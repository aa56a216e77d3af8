/**
 * Lists a folder, one line per entry: `d 0 'path'` or `f SIZE 'path'` (the
 * path as Python's repr, so any name survives). Recursive walks use a stack,
 * not recursion, for boards with a small C stack.
 */
import type { BoardFeatures } from '../BoardProbe.js';
import { S_IFDIR, importPy, joinHelperPy } from './helpers.js';
import { py, type PyCode } from './py.js';

export function listPy(path: string, recursive: boolean, has: BoardFeatures): PyCode {
  if (!has.ilistdir) return flatListPy(path, has);
  const sizeOf = has.stat ? py`os.stat(q)[6]` : py`-1`;
  return py`
    def _pw_list():
        ${importPy('os')}
        ${joinHelperPy()}
        recursive=${recursive}
        stack=[${path}]
        while stack:
            d=stack.pop()
            for e in os.ilistdir(d):
                q=join(d,e[0])
                t=e[1]&${S_IFDIR}
                # 1.9-era ilistdir has 3-tuples without the size.
                print("d" if t else "f",0 if t else (e[3] if len(e)>3 else ${sizeOf}),repr(q))
                if t and recursive:stack.append(q)
    try:_pw_list()
    finally:del _pw_list
  `;
}

/** 1.9-era firmware: a flat filesystem, and os.listdir() without an argument on the micro:bit. */
function flatListPy(path: string, has: BoardFeatures): PyCode {
  const root = path === '/' || path === '';
  const names = root ? py`os.listdir()` : py`os.listdir(${path})`;
  const sizeOf = has.size ? py`os.size(q)` : has.stat ? py`os.stat(q)[6]` : py`-1`;
  return py`
    def _pw_list():
        ${importPy('os')}
        for n in ${names}:
            q=${root ? '' : path + '/'}+n
            print("f",${sizeOf},repr(q))
    try:_pw_list()
    finally:del _pw_list
  `;
}
