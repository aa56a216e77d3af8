/**
 * Python the virtual board installs before user code runs, so the WebAssembly
 * interpreter looks like an ESP32 to clients: a `machine` module, `os.uname()`,
 * `sys.platform == 'esp32'`, a realistic `gc.mem_free()`, a working `input()`,
 * and a runner for boot.py/main.py.
 *
 * The modules live as files in a folder the board hides from `os.listdir('/')`
 * and from flash sync: importing a real file is the only way to get genuine
 * module objects (`type(sys)(name)` is refused by this interpreter).
 */
import { BOARD_NAME } from './boardProtocol.js';

/** Hidden folder of the interpreter's file system holding the modules below. */
export const PRELUDE_DIR = '/tmp/pinwheel';

/** Realistic heap of a plain ESP32 (no PSRAM): what gc.mem_free() + gc.mem_alloc() add up to. */
export const BOARD_HEAP_BYTES = 111_168;

/** The flash partition the board reports through os.statvfs(): 2 MB of 4 KB blocks. */
export const FLASH_BLOCK_BYTES = 4096;
export const FLASH_BLOCKS = 512;

const MACHINE_PY = `
import _pinwheel
import time as _time

PWRON_RESET = 1
HARD_RESET = 2
WDT_RESET = 3
DEEPSLEEP_RESET = 4
SOFT_RESET = 5

_freq = [160000000]


class Pin:
    IN = 1
    OUT = 3
    OPEN_DRAIN = 7
    PULL_UP = 2
    PULL_DOWN = 1
    IRQ_RISING = 1
    IRQ_FALLING = 2
    WAKE_LOW = 4
    WAKE_HIGH = 5

    def __init__(self, id, mode=-1, pull=-1, *, value=None):
        if not isinstance(id, int) or id < 0 or id >= _pinwheel.pin_count():
            raise ValueError('invalid pin')
        self._id = id
        self._mode = Pin.IN
        self.init(mode, pull, value=value)

    def init(self, mode=-1, pull=-1, *, value=None):
        if mode != -1:
            self._mode = mode
        if value is not None:
            self.value(value)

    def value(self, v=None):
        if v is None:
            if self._mode == Pin.OUT or self._mode == Pin.OPEN_DRAIN:
                return _pinwheel.pin_out(self._id)
            return _pinwheel.pin_in(self._id)
        _pinwheel.pin_set(self._id, 1 if v else 0)

    def __call__(self, v=None):
        return self.value(v)

    def on(self):
        _pinwheel.pin_set(self._id, 1)

    def off(self):
        _pinwheel.pin_set(self._id, 0)

    def toggle(self):
        _pinwheel.pin_set(self._id, 0 if _pinwheel.pin_out(self._id) else 1)

    def irq(self, handler=None, trigger=3, *, wake=None):
        return None

    def __repr__(self):
        return 'Pin(%d)' % self._id


class Signal:
    def __init__(self, pin, *, invert=False):
        self._pin = pin
        self._invert = bool(invert)

    def value(self, v=None):
        if v is None:
            return self._pin.value() ^ self._invert
        self._pin.value(bool(v) ^ self._invert)

    def on(self):
        self.value(1)

    def off(self):
        self.value(0)


def unique_id():
    return bytes(_pinwheel.unique_id())


def freq(hz=None):
    if hz is None:
        return _freq[0]
    if hz not in (20000000, 40000000, 80000000, 160000000, 240000000):
        raise ValueError('frequency must be 20MHz, 40MHz, 80Mhz, 160MHz or 240MHz')
    _freq[0] = hz


def reset():
    _pinwheel.hard_reset()


def soft_reset():
    _pinwheel.soft_reset()


def reset_cause():
    return _pinwheel.reset_cause()


def idle():
    _time.sleep_ms(1)


def lightsleep(ms=None):
    _time.sleep_ms(ms if ms is not None else 1000)


def deepsleep(ms=None):
    _pinwheel.hard_reset()


def disable_irq():
    return 0


def enable_irq(state=0):
    pass
`;

// The real time module with the waits and the microsecond clock of a board.
// Sleeps wait in the board model (BoardWaiter), where a Ctrl-C ends them; the
// pending KeyboardInterrupt is then raised here, inside the sleep, as a board's
// C sleep raises it (the VM alone would raise it at the caller's next loop
// jump, after running one more statement). poll(1000) on an empty poller is a
// native call that raises a pending interrupt before it waits at all.
const TIME_PY = `
from time import *
import _pinwheel
import select as _select

_raise_pending = _select.poll()


def _wait_ms(ms):
    if _pinwheel.wait_ms(ms):
        _raise_pending.poll(1000)


def _check(value, kind, types):
    if not isinstance(value, types):
        raise TypeError("can't convert %s to %s" % (type(value).__name__, kind))


def sleep(seconds):
    _check(seconds, 'float', (int, float))
    _wait_ms(1000.0 * seconds)


def sleep_ms(ms):
    _check(ms, 'int', int)
    _wait_ms(1.0 * ms)


def sleep_us(us):
    _check(us, 'int', int)
    _wait_ms(us / 1000)


# Python's calls read the clock here; the interpreter's own busy loops read
# it natively, where a second read in the same millisecond waits (see ticksMs).
def ticks_ms():
    return _pinwheel.ticks_ms()


def ticks_us():
    return _pinwheel.ticks_us()


def ticks_cpu():
    return _pinwheel.ticks_us()
`;

// Built from the real sys module, plus what an ESP32 reports.
// (sys.path, ps1, ps2 and tracebacklimit are not in its dict: reached through __getattr__.)
const SYS_PY = `
import sys as _sys
from sys import *
platform = 'esp32'


def __getattr__(name):
    return getattr(_sys, name)
`;

const GC_PY = `
from gc import *
from gc import mem_alloc as _mem_alloc


def mem_free():
    return max(0, ${BOARD_HEAP_BYTES} - _mem_alloc())
`;

// Runs boot.py / main.py as a board does: in __main__, interruptible by Ctrl-C,
// errors printed as a traceback without this runner's own frame.
const BOOT_PY = `
import sys, micropython


def run(path):
    try:
        f = open(path)
    except OSError:
        return
    with f:
        src = f.read()
    import __main__
    micropython.kbd_intr(3)
    try:
        exec(compile(src, path, 'exec'), __main__.__dict__)
    except SystemExit:
        pass
    except BaseException as e:
        micropython.kbd_intr(-1)
        sys.print_exception(e)
    finally:
        micropython.kbd_intr(-1)
`;

// Functions the board puts into os and builtins. They live in a prelude file
// (not in the setup code, which compiles as <stdin>) so their frames stay out
// of tracebacks, as a board's C functions do (see PreludeFrameFilter).
const BUILTINS_PY = `
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

export const PRELUDE_FILES: ReadonlyArray<[string, string]> = [
  ['_pw_builtins.py', BUILTINS_PY],
  ['_pw_time.py', TIME_PY],
  ['machine.py', MACHINE_PY],
  ['_pw_sys.py', SYS_PY],
  ['_pw_gc.py', GC_PY],
  ['_pw_boot.py', BOOT_PY],
];

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
