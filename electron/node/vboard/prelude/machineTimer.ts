/**
 * machine.Timer of an ESP32. A timer's callback runs from the machine's
 * service (prelude/time.ts): on time while the program sleeps, reads the
 * clock or sits at the REPL.
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


_TIMERS = 4


class Timer:
    ONE_SHOT = 0
    PERIODIC = 1

    def __init__(self, id, **kw):
        # The ESP32's four hardware timers, or -1: a virtual one.
        if id != -1 and not 0 <= id < _TIMERS:
            raise ValueError('invalid Timer number, max %d' % _TIMERS)
        self._id = id
        self._mode = Timer.PERIODIC
        self._period = 0
        self._callback = None
        self._start = self._next = 0
        if kw:
            self.init(**kw)

    def init(self, *, mode=PERIODIC, callback=None, period=0xFFFFFFFF, tick_hz=1000, freq=None, hard=False):
        if hard:
            raise ValueError('hard Timers are not implemented')
        self.deinit()
        period = max(1, round(1000 / freq)) if freq is not None else max(1, period * 1000 // tick_hz)
        self._mode = mode
        self._period = period
        self._callback = callback
        self._start = _pinwheel.ticks_ms()
        self._next = _time.ticks_add(self._start, period)
        _timers.append(self)
        _set_hook(_timer_service, True)
        _time._service()

    def deinit(self):
        # A hardware timer is one per id: Timer(0).deinit() stops timer 0 whichever object started it.
        running = [t for t in _timers if t is self or (self._id >= 0 and t._id == self._id)]
        for t in running:
            _timers.remove(t)
        if running:
            _time._service()

    def value(self):
        return _time.ticks_diff(_pinwheel.ticks_ms(), self._start) if self in _timers else 0

    def __repr__(self):
        return 'Timer(%d, mode=%s, period=%d)' % (self._id, 'PERIODIC' if self._mode else 'ONE_SHOT', self._period)
`;
