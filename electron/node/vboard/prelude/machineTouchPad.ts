/**
 * machine.TouchPad of an ESP32: reads low while the host touches the pin
 * (BoardPeripherals.setTouched), and with esp32.wake_on_touch(True) a touch
 * ends machine.lightsleep().
 */
export const MACHINE_TOUCHPAD_PY = `

_TOUCH_PINS = (0, 2, 4, 12, 13, 14, 15, 27, 32, 33)
# What an ESP32 pad typically reads untouched and under a finger (lower is touched).
_TOUCH_IDLE = 600
_TOUCH_TOUCHED = 100
# Pads a program made, which esp32.wake_on_touch(True) lets wake machine.lightsleep().
_touch_pads = {}
_touch_wake = [False]


def _touch_woken():
    return _touch_wake[0] and any(_pinwheel.touch_in(p) for p in _touch_pads)


class TouchPad:
    def __init__(self, pin):
        self._pin = _pin_id(pin)
        if self._pin not in _TOUCH_PINS:
            raise ValueError('invalid pin for touchpad')
        self._threshold = 0
        _touch_pads[self._pin] = self

    def config(self, value):
        self._threshold = value

    def read(self):
        return _TOUCH_TOUCHED if _pinwheel.touch_in(self._pin) else _TOUCH_IDLE
`;
