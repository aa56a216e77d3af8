/**
 * machine.Timer and machine.WDT of an ESP32. A timer's callback runs from the
 * machine's service (prelude/time.ts): on time while the program sleeps or
 * reads the clock. The watchdog runs on the host (BoardWatchdog), so it
 * resets even a program stuck in a loop that never calls the board.
 */
export const MACHINE_TIMER_PY = `

_timers = []
# Ticks a late periodic timer catches up on, as the scheduler's queue (depth 8) keeps them on a
# board; further behind, it starts counting again from now.
_CATCH_UP_TICKS = 8


def _timer_service():
    now = _pinwheel.ticks_ms()
    nxt = None
    for t in list(_timers):
        if _time.ticks_diff(now, t._next) >= 0:
            if t._mode == Timer.PERIODIC:
                t._start = t._next
                t._next = _time.ticks_add(t._next, t._period)
                if _time.ticks_diff(now, t._next) >= _CATCH_UP_TICKS * t._period:
                    t._start = now
                    t._next = _time.ticks_add(now, t._period)
            else:
                _timers.remove(t)
            if t._callback is not None:
                _call(t._callback, t)
        if t in _timers and (nxt is None or _time.ticks_diff(t._next, nxt) < 0):
            nxt = t._next
    if not _timers:
        _set_hook(_timer_service, False)
    return nxt


class Timer:
    ONE_SHOT = 0
    PERIODIC = 1

    def __init__(self, id, **kw):
        # The ESP32 has four hardware timers; the port takes the id's low two bits.
        self._id = id & 3
        self._mode = Timer.PERIODIC
        self._period = 0
        self._callback = None
        self._start = self._next = 0
        if kw:
            self.init(**kw)

    def init(self, *, mode=PERIODIC, period=-1, freq=-1, tick_hz=1000, callback=None):
        if freq > 0:
            period = max(1, round(1000 / freq))
        elif period >= 0:
            period = period * 1000 // tick_hz
        else:
            raise ValueError('period or freq must be given')
        self.deinit()
        self._mode = mode
        self._period = period
        self._callback = callback
        self._start = _pinwheel.ticks_ms()
        self._next = _time.ticks_add(self._start, period)
        _timers.append(self)
        _set_hook(_timer_service, True)
        _time._service()

    def deinit(self):
        if self in _timers:
            _timers.remove(self)
            _time._service()

    def value(self):
        return _time.ticks_diff(_pinwheel.ticks_ms(), self._start) if self in _timers else 0

    def __repr__(self):
        return 'Timer(%d; alarm_en=%d, auto_reload=%d, counter_en=%d)' % (self._id, self in _timers, self._mode, self in _timers)


class WDT:
    def __init__(self, id=0, timeout=5000):
        if id != 0:
            raise ValueError()
        if timeout <= 0:
            raise ValueError('WDT timeout too short')
        _pinwheel.wdt_start(timeout)

    def feed(self):
        _pinwheel.wdt_feed()
`;
