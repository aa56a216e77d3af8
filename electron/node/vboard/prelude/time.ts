/**
 * The board's `time` module: the real one, with the waits and the microsecond
 * clock of a board, and the RTC's setting (machine.RTC) applied to the wall
 * clock.
 *
 * Sleeps wait in the board model (BoardWaiter), where a Ctrl-C ends them; the
 * pending KeyboardInterrupt is then raised here, inside the sleep, as a board's
 * C sleep raises it (the VM alone would raise it at the caller's next loop
 * jump, after running one more statement). poll(1000) on an empty poller is a
 * native call that raises a pending interrupt before it waits at all.
 *
 * On an ESP32 profile, background work (machine.Timer callbacks, Pin.irq
 * handlers) has no thread of its own here: the interpreter never yields. It runs from `_service()`,
 * which sleeps and the tick counters call, so it is on time while a program
 * sleeps or reads the clock, and waits while a loop does neither (see
 * docs/virtual-board.md); between commands the REPL's wait runs it
 * (worker/BackgroundWork.ts).
 */
import type { BoardProfile } from '../BoardProfile.js';

const TIME_CORE_PY = `
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

/** The ESP32's additions: the background work's service and the RTC's clock. They replace the core's waits and clocks. */
const TIME_ESP32_PY = `
from time import time as _host_time, time_ns as _host_time_ns, localtime as _host_localtime

# Functions that run what is due and return the ticks_ms() of their next deadline, or None.
_hooks = []
# 1 while a Pin.irq is set: sleeps then end as soon as the host changes an input.
_watch = [0]
_servicing = [False]
# machine.RTC's setting: nanoseconds from the host's clock to the board's (kept through resets, as the RTC keeps them).
_rtc_offset_ns = [int(_pinwheel.retain_get('rtc-time') or 0)]


def _service():
    # A callback that sleeps must not run callbacks inside itself: a board's scheduler never nests them.
    if _servicing[0]:
        return None
    nxt = None
    if _hooks:
        _servicing[0] = True
        try:
            for hook in _hooks:
                d = hook()
                if d is not None and (nxt is None or ticks_diff(d, nxt) < 0):
                    nxt = d
        finally:
            _servicing[0] = False
    # Between commands the REPL runs this again when the next deadline comes (worker/BackgroundWork.ts).
    _pinwheel.service_at(-1 if nxt is None else max(0, ticks_diff(nxt, _pinwheel.ticks_ms())), _watch[0])
    return nxt


def _wait_ms(ms):
    if not _hooks:
        if _pinwheel.wait_ms(ms):
            _raise_pending.poll(1000)
        return
    start = _pinwheel.ticks_us()
    while True:
        nxt = _service()
        left = ms - ticks_diff(_pinwheel.ticks_us(), start) / 1000
        if left <= 0:
            return
        if nxt is not None:
            left = min(left, max(0, ticks_diff(nxt, _pinwheel.ticks_ms())))
        if _pinwheel.wait_ms(left, _watch[0]):
            _raise_pending.poll(1000)


def ticks_ms():
    if _hooks:
        _service()
    return _pinwheel.ticks_ms()


def ticks_us():
    if _hooks:
        _service()
    return _pinwheel.ticks_us()


def time():
    return _host_time() + _rtc_offset_ns[0] / 1000000000


def time_ns():
    return _host_time_ns() + _rtc_offset_ns[0]


def localtime(secs=None):
    return _host_localtime(time_ns() // 1000000000 if secs is None else secs)


gmtime = localtime
`;

/** The module for a profile: a small board (1.9) keeps only the core, whose every line costs its heap. */
export function timePy(profile: BoardProfile): string {
  return profile.machineModule === 'esp32' ? TIME_CORE_PY + TIME_ESP32_PY : TIME_CORE_PY;
}
