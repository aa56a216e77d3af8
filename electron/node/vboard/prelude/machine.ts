/**
 * The board's `machine` module: pins (levels cross to the host through the
 * `_pinwheel` bridge), Signal, frequency, resets and sleeps of an ESP32.
 *
 * A new peripheral class (PWM, ADC, I2C, ...) goes in a file of its own in
 * this folder exporting its Python source, and is appended to MACHINE_PY at
 * the bottom, so `machine` stays one module as on a board.
 */

const MACHINE_CORE_PY = `
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
    return bytes.fromhex(_pinwheel.unique_id())


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

/** The module as installed: the core above, then each peripheral class's source. */
export const MACHINE_PY = MACHINE_CORE_PY;
