/**
 * `_pw_builtins`: functions the board puts into `os` and `builtins`, in
 * sections chosen by the profile (uname and input always; statvfs with
 * folders; the flat filesystem's os functions and open; the import guard).
 * They live in a prelude file, not in the setup code (which compiles as
 * <stdin>), so their frames stay out of tracebacks, as a board's C functions
 * do (see worker/PreludeFrameFilter.ts). The module is removed from
 * sys.modules after setup; `os` and `builtins` keep what they need.
 */
import type { BoardProfile } from '../BoardProfile.js';
import { NOT_SIMULATED_MODULES, notSimulatedMessage } from './notSimulated.js';

/** stat()[0] bit of a folder. */
const S_IFDIR = 0x4000;
/** errno of a missing file, as every MicroPython port numbers it. */
const ENOENT = 2;

const CORE_PY = `
import sys
import _pinwheel

_uname = [None]


def set_uname(u):
    _uname[0] = u


def uname():
    return _uname[0]


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

function statvfsPy({ flash }: BoardProfile): string {
  return `
real_statvfs = None


def statvfs(path):
    real_statvfs(path)
    free = max(0, ${flash.blocks} - _pinwheel.flash_used_blocks())
    return (${flash.blockBytes}, ${flash.blockBytes}, ${flash.blocks}, free, free, 0, 0, 0, 0, 255)
`;
}

/**
 * The micro:bit's os and open over a flat filesystem: files live at the top,
 * a name with a '/' names nothing. listdir() takes no argument, as on the
 * micro:bit, so listdir('/') raises TypeError (see BoardProfile.ts).
 */
const FLAT_FS_PY = `
import os as _os

_open = open


def _flat(name):
    if '/' in name:
        raise OSError(${ENOENT})


def listdir():
    return [n for n in _os.listdir() if not _os.stat(n)[0] & ${S_IFDIR}]


def remove(name):
    _flat(name)
    _os.remove(name)


def size(name):
    _flat(name)
    st = _os.stat(name)
    if st[0] & ${S_IFDIR}:
        raise OSError(${ENOENT})
    return st[6]


def open(name, mode='r'):
    _flat(name)
    return _open(name, mode)
`;

/**
 * Modules the firmware lacks fail to import, under their u-names too,
 * whichever way they are imported; modules it has but the virtual board does
 * not simulate raise NotImplementedError saying so.
 */
function importGuardPy(missing: readonly string[], notSimulated: readonly string[]): string {
  const tuple = (items: readonly string[]): string => `(${items.map((n) => `'${n}'`).join(', ')},)`;
  const missingNames = missing.flatMap((m) => [m, `u${m}`]);
  // Each check only when its list has names: on the 1.9 board every line costs its small heap.
  const checks = [
    ...(missingNames.length > 0 ? ['        if name in _missing:', `            raise ImportError("no module named '%s'" % name)`] : []),
    ...(notSimulated.length > 0 ? ['        if name in _not_simulated:', `            raise NotImplementedError(${JSON.stringify(notSimulatedMessage('%s'))} % name)`] : []),
  ];
  return `
_import = __import__
${missingNames.length > 0 ? `_missing = ${tuple(missingNames)}
` : ''}${notSimulated.length > 0 ? `_not_simulated = ${tuple(notSimulated)}
` : ''}

def __import__(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0:
${checks.join('\n')}
    return _import(name, globals, locals, fromlist, level)
`;
}

export function builtinsPy(profile: BoardProfile): string {
  return [
    CORE_PY,
    profile.filesystem === 'tree' ? statvfsPy(profile) : FLAT_FS_PY,
    profile.missingModules.length > 0 || profile.machineModule === 'esp32'
      ? importGuardPy(profile.missingModules, profile.machineModule === 'esp32' ? NOT_SIMULATED_MODULES : [])
      : '',
  ].join('');
}
