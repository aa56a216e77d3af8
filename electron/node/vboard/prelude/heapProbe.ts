/**
 * Python the board runs once at boot when its heap is fixed, for the worker's
 * HeapCollector: LOCATE_PY lets it find the words it needs in the
 * interpreter's memory; the calibration module and the REPL input after it
 * walk every safe path from the host into a collection point, so the
 * collector learns which call sites it may collect under.
 */
import { PRELUDE_DIR } from './preludeFiles.js';

/** GC block size of this 32-bit build (MICROPY_BYTES_PER_GC_BLOCK). */
export const GC_BLOCK_BYTES = 16;
/** Blocks allocated between the probe's snapshots; their differences identify the counter. */
export const PROBE_BLOCKS = [10, 100, 50] as const;

/** Snapshots at call depths 1, 2, 3 (keys 'd1'...), then around allocations of n blocks (keys n and -n). */
export const LOCATE_PY = `
def _pw_locate():
    import _pinwheel as p
    p.heap_snap('d1')
    p.heap_nest(lambda: p.heap_snap('d2'))
    p.heap_nest(lambda: p.heap_nest(lambda: p.heap_snap('d3')))
    for n in (${PROBE_BLOCKS.join(', ')}):
        p.heap_snap(n)
        b = bytearray(${GC_BLOCK_BYTES} * n)
        p.heap_snap(-n)
        b = None

_pw_locate()
del _pw_locate
`;

/** Hands the collector the dictionary its collecting call reads, makes garbage, and lets it collect once. */
export const CHECK_PY = `
def _pw_check():
    import _pinwheel as p
    p.heap_hold({})
    b = bytearray(${GC_BLOCK_BYTES * PROBE_BLOCKS[0]})
    b = None
    p.heap_check()

_pw_check()
del _pw_check
`;

/** File name of the calibration module in PRELUDE_DIR; it is removed again after calibration. */
export const CALIBRATION_FILE = '_pw_cal.py';

/**
 * Reaches the collection points (bridge calls with 0, 1 and 2 arguments, and
 * print, which writes to stdout) through the ways Python calls Python that
 * keep every object on the Python stack: module code, functions, methods,
 * keyword and default arguments, try, with, loops, recursion, an import, and
 * exec of a compiled script. Nothing here constructs an object or calls
 * through a closure, a generator or *args: those hold objects where a
 * collection cannot see them, so their call sites must never be learned.
 */
export const CALIBRATION_PY = `
import _pinwheel as _p


def points():
    _p.heap_point()
    _p.heap_point(0)
    _p.heap_point(0, 0)
    print('.')
    print(0)
    print(0.5)


class _C:
    def m(self, a, b=0):
        points()

    def __enter__(self):
        return self

    def __exit__(self, t, v, tb):
        pass


_c = _C()


def run(n=2):
    points()
    _c.m(0)
    _c.m(0, b=1)
    try:
        points()
    finally:
        pass
    try:
        points()
    except OSError:
        pass
    with _c:
        points()
    for _ in range(1):
        points()
    if n:
        run(n - 1)


def run_exec():
    exec(compile('run()', 'main.py', 'exec'), {'run': run})


run()
`;

/** Host Python that imports the calibration module (which calibrates as it loads) and runs it again. */
export const CALIBRATION_RUN_PY = `
def _pw_c():
    import sys
    sys.path.insert(0, '${PRELUDE_DIR}')
    try:
        import _pw_cal
    finally:
        sys.path.remove('${PRELUDE_DIR}')
    _pw_cal.run()
    _pw_cal.run_exec()

_pw_c()
del _pw_c
import _pw_cal
_pw_cal.run()
del _pw_cal
`;

/** The same through the REPL, as the host's programs arrive: paste mode, then the raw REPL, then back. */
export const CALIBRATION_REPL_INPUT = '\x05import _pw_cal\n_pw_cal.run()\ndel _pw_cal\x04\x01import _pw_cal\n_pw_cal.run()\ndel _pw_cal\x04\x02';

/** Forgets the calibration module. */
export const CALIBRATION_CLEANUP_PY = `
import sys
sys.modules.pop('_pw_cal', None)
del sys
`;
