/**
 * The board's `time` module: the real one, with the waits and the microsecond
 * clock of a board.
 *
 * Sleeps wait in the board model (BoardWaiter), where a Ctrl-C ends them; the
 * pending KeyboardInterrupt is then raised here, inside the sleep, as a board's
 * C sleep raises it (the VM alone would raise it at the caller's next loop
 * jump, after running one more statement). poll(1000) on an empty poller is a
 * native call that raises a pending interrupt before it waits at all.
 */
export const TIME_PY = `
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
# it natively, where a second read in the same millisecond waits (see BoardClock).
def ticks_ms():
    return _pinwheel.ticks_ms()


def ticks_us():
    return _pinwheel.ticks_us()


def ticks_cpu():
    return _pinwheel.ticks_us()
`;
