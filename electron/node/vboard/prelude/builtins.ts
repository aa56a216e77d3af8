/**
 * Functions the board puts into `os` and `builtins` (uname, statvfs, input).
 * They live in a prelude file, not in the setup code (which compiles as
 * <stdin>), so their frames stay out of tracebacks, as a board's C functions
 * do (see worker/PreludeFrameFilter.ts).
 */
import { FLASH_BLOCK_BYTES, FLASH_BLOCKS } from './boardSpec.js';

export const BUILTINS_PY = `
import sys
import _pinwheel

_uname = [None]
real_statvfs = None


def set_uname(u):
    _uname[0] = u


def uname():
    return _uname[0]


def statvfs(path):
    real_statvfs(path)
    free = max(0, ${FLASH_BLOCKS} - _pinwheel.flash_used_blocks())
    return (${FLASH_BLOCK_BYTES}, ${FLASH_BLOCK_BYTES}, ${FLASH_BLOCKS}, free, free, 0, 0, 0, 0, 255)


def input(prompt=''):
    out = sys.stdout
    if prompt:
        out.write(prompt)
    buf = []
    while True:
        c = sys.stdin.read(1)
        if not c:
            continue
        if c == '\\r' or c == '\\n':
            out.write('\\r\\n')
            return ''.join(buf)
        if c == '\\x08' or c == '\\x7f':
            if buf:
                buf.pop()
                out.write('\\x08 \\x08')
            continue
        if c == '\\x03':
            raise KeyboardInterrupt
        if c == '\\x04':
            raise EOFError
        buf.append(c)
        out.write(c)
`;
