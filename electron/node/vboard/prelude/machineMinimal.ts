/**
 * The `machine` module of a 1.9 board with little heap: Pin (levels cross to
 * the host through the `_pinwheel` bridge), reset and unique_id. Every line
 * here costs the board heap, so it stays this small.
 */
export const MINIMAL_MACHINE_PY = `
import _pinwheel


class Pin:
    IN = 1
    OUT = 3
    PULL_UP = 2
    PULL_DOWN = 1

    def __init__(self, id, mode=-1, pull=-1, value=None):
        if not 0 <= id < _pinwheel.pin_count():
            raise ValueError('invalid pin')
        self._id = id
        if value is not None:
            self.value(value)

    def value(self, v=None):
        if v is None:
            return _pinwheel.pin_in(self._id)
        _pinwheel.pin_set(self._id, 1 if v else 0)

    def on(self):
        _pinwheel.pin_set(self._id, 1)

    def off(self):
        _pinwheel.pin_set(self._id, 0)


def reset():
    _pinwheel.hard_reset()


def unique_id():
    return bytes.fromhex(_pinwheel.unique_id())
`;
