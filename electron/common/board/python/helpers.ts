/**
 * Fragments the board-side snippets share. They are placed inside each
 * snippet's `_pw_...` function, so what they define (`s`, `sha256hex`,
 * `join`, the imported modules) is local to it: nothing lands in the user's
 * REPL globals, and nothing is left to delete.
 */
import type { BoardFeatures } from '../BoardProbe.js';
import { ADLER_MOD } from '../../util/adler32.js';
import { py, type PyCode } from './py.js';

/** stat()[0] bit for directories (S_IFDIR). */
export const S_IFDIR = 0x4000;

/** `import <name>`, falling back to the `u`-prefixed module of older firmware (uos, uhashlib, ubinascii). */
export function importPy(name: 'os' | 'hashlib' | 'binascii'): PyCode {
  const mod = py.raw(name);
  return py`
    try:import ${mod}
    except ImportError:import u${mod} as ${mod}
  `;
}

/** Sets `s` to the size in bytes of the file `path` names (a local variable), -1 when it does not exist (needs `os`). */
export function sizeOfPy(path: PyCode, has: BoardFeatures): PyCode {
  const size = has.stat ? py`os.stat(${path})[6]` : has.size ? py`os.size(${path})` : py`len(open(${path},"rb").read())`;
  return py`
    try:s=${size}
    except OSError:s=-1
  `;
}

/** `sha256hex(p)`: a file's sha256 in hex, read in 512-byte pieces so a big file fits a small heap. */
export function sha256HexHelperPy(): PyCode {
  return py`
    ${importPy('hashlib')}
    def sha256hex(p):
        # b: a 512-byte buffer, m: a view of it (no copy per piece)
        h=hashlib.sha256();b=bytearray(512);m=memoryview(b);f=open(p,"rb")
        while 1:
            n=f.readinto(b)
            if not n:break
            h.update(m[:n])
        f.close()
        return "".join(["%02x"%x for x in h.digest()])
  `;
}

/** `join(d, n)`: the path of `n` inside folder `d`. */
export function joinHelperPy(): PyCode {
  return py`
    def join(d,n):
        return d+n if d in ("","/") else d+"/"+n
  `;
}

/**
 * `adler32(p)`: a file's Adler-32 as "A B" (its two halves, so no big ints),
 * read back from the filesystem into one 256-byte buffer: the content check
 * on boards without hashlib, whose ~10 KB heap has no room for a new piece
 * per read. The modulo once per piece keeps every sum a small int (b stays
 * under 2^26).
 */
export function adler32HelperPy(): PyCode {
  return py`
    def adler32(p):
        a=1;b=0;c=bytearray(256);f=open(p,"rb")
        while 1:
            n=f.readinto(c)
            if not n:break
            for i in range(n):
                a+=c[i];b+=a
            a%=${ADLER_MOD};b%=${ADLER_MOD}
        f.close()
        return "%d %d"%(a,b)
  `;
}
