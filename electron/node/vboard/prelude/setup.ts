/**
 * The Python that installs the prelude modules (see preludeFiles.ts) at
 * start-up, and the one that runs a start-up script of the flash.
 */
import { BOARD_NAME } from './boardSpec.js';
import { PRELUDE_DIR } from './preludeFiles.js';

/**
 * Installs the modules. Runs in __main__ but leaves no names behind (a fresh
 * board's dir() shows only __name__).
 */
export const PRELUDE_SETUP_PY = `
def _pw_setup():
    import sys, os, builtins
    from collections import namedtuple
    sys.path.insert(0, '${PRELUDE_DIR}')
    try:
        import _pw_time
        sys.modules['time'] = _pw_time
        import machine, _pw_sys, _pw_gc, _pw_builtins
        sys.modules.pop('_pw_builtins')
    finally:
        sys.path.remove('${PRELUDE_DIR}')
    for name, mod in (('time', _pw_time), ('machine', machine), ('sys', _pw_sys), ('gc', _pw_gc)):
        mod.__name__ = name
        del mod.__file__
        sys.modules.pop('_pw_' + name, None)
        sys.modules[name] = mod
        # A board also answers 'import utime' (the u-prefix fallback), with the same module.
        sys.modules['u' + name] = mod
    ver = sys.version.split('MicroPython ')[-1]
    impl = sys.implementation
    Impl = namedtuple('implementation', ('name', 'version', '_machine', '_mpy'))
    _pw_sys.implementation = Impl(impl.name, impl.version, '${BOARD_NAME}', impl._mpy)
    Uname = namedtuple('uname_result', ('sysname', 'nodename', 'release', 'version', 'machine'))
    _pw_builtins.set_uname(Uname('esp32', 'esp32', ver.split(' ')[0][1:], ver, '${BOARD_NAME}'))
    _pw_builtins.real_statvfs = os.statvfs
    os.uname = _pw_builtins.uname
    os.statvfs = _pw_builtins.statvfs
    builtins.input = _pw_builtins.input

_pw_setup()
del _pw_setup
`;

/** Python that runs one start-up script (boot.py, main.py) of the flash. */
export function runScriptPy(path: 'boot.py' | 'main.py'): string {
  return `
def _pw_run():
    import sys
    sys.path.insert(0, '${PRELUDE_DIR}')
    try:
        import _pw_boot
    finally:
        sys.path.remove('${PRELUDE_DIR}')
        sys.modules.pop('_pw_boot', None)
    _pw_boot.run(${JSON.stringify(path)})

_pw_run()
del _pw_run
`;
}
