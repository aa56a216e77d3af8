/**
 * machine.Pin of an ESP32: modes, pulls, drive strengths, hold, and irq
 * handlers. Output levels go to the host as they change; input levels come
 * from it (BoardPinLevels), and a pin nothing drives reads what its pull
 * resistor gives it. An irq's handler runs when the machine's service
 * (prelude/time.ts) sees the level change: at once while the program sleeps,
 * at its next clock read otherwise.
 */
export const MACHINE_PIN_PY = `

# GPIOs an ESP32 has (20, 24 and 28-31 do not exist); 34-39 are inputs only.
_NO_PIN = (20, 24, 28, 29, 30, 31)
_INPUT_ONLY = 34
_irqs = {}


def _pin_service():
    for irq in list(_irqs.values()):
        level = irq._pin.value()
        if level != irq._level:
            irq._level = level
            edge = Pin.IRQ_RISING if level else Pin.IRQ_FALLING
            if irq._trigger & edge:
                irq._flags = edge
                _call(irq._handler, irq._pin)
    return None


def _set_hook(hook, on):
    hooks = _time._hooks
    if on and hook not in hooks:
        hooks.append(hook)
    elif not on and hook in hooks:
        hooks.remove(hook)


class _PinIrq:
    def __init__(self, pin, handler, trigger):
        self._pin = pin
        self._handler = handler
        self._trigger = trigger
        self._level = pin.value()
        self._flags = 0

    def trigger(self):
        return self._trigger

    def flags(self):
        return self._flags


class Pin:
    IN = 1
    OUT = 3
    OPEN_DRAIN = 7
    PULL_UP = 2
    PULL_DOWN = 1
    DRIVE_0 = 0
    DRIVE_1 = 1
    DRIVE_2 = 2
    DRIVE_3 = 3
    IRQ_RISING = 1
    IRQ_FALLING = 2
    WAKE_LOW = 4
    WAKE_HIGH = 5

    def __init__(self, id, mode=-1, pull=-1, *, value=None, drive=None, hold=None):
        if not isinstance(id, int) or id < 0 or id >= _pinwheel.pin_count() or id in _NO_PIN:
            raise ValueError('invalid pin')
        self._id = id
        self._mode = Pin.IN
        self._pull = None
        self._drive = Pin.DRIVE_2
        self._hold = False
        # A level set while the pad is held: applied when the hold is released.
        self._held_value = None
        self.init(mode, pull, value=value, drive=drive, hold=hold)

    def init(self, mode=-1, pull=-1, *, value=None, drive=None, hold=None):
        if mode is not None and mode != -1:
            if mode not in (Pin.IN, Pin.OUT, Pin.OPEN_DRAIN):
                raise ValueError('invalid pin mode')
            if mode != Pin.IN and self._id >= _INPUT_ONLY:
                raise ValueError('pin can only be input')
            self._mode = mode
            # A mode routes the pad to GPIO: a PWM that drove it no longer reaches it, as on an ESP32.
            pwm = _pwm_pins.get(self._id)
            if pwm is not None:
                pwm.deinit()
        if pull != -1:
            if pull not in (None, Pin.PULL_UP, Pin.PULL_DOWN):
                raise ValueError('invalid pull')
            self._pull = pull
        if drive is not None:
            if drive not in (Pin.DRIVE_0, Pin.DRIVE_1, Pin.DRIVE_2, Pin.DRIVE_3):
                raise ValueError('bad drive strength')
            self._drive = drive
        if value is not None:
            self.value(value)
        if hold is not None:
            self._hold = bool(hold)
            if not self._hold and self._held_value is not None:
                _pinwheel.pin_set(self._id, self._held_value)
            self._held_value = None

    def value(self, v=None):
        if v is None:
            if self._mode != Pin.IN:
                return _pinwheel.pin_out(self._id)
            level = _pinwheel.pin_level(self._id)
            if level >= 0:
                return level
            # Nothing drives the pin: its pull resistor decides (34-39 have none; a floating pin reads 0 here).
            return 1 if self._pull == Pin.PULL_UP and self._id < _INPUT_ONLY else 0
        # A held pad keeps its level until the hold is released (quickref: "Pins and GPIO").
        if self._hold:
            self._held_value = 1 if v else 0
        else:
            _pinwheel.pin_set(self._id, 1 if v else 0)

    def __call__(self, v=None):
        return self.value(v)

    def on(self):
        self.value(1)

    def off(self):
        self.value(0)

    def toggle(self):
        self.value(0 if _pinwheel.pin_out(self._id) else 1)

    def irq(self, handler=None, trigger=3, *, wake=None, hard=False):
        if handler is None:
            _irqs.pop(self._id, None)
        else:
            _irqs[self._id] = _PinIrq(self, handler, trigger)
        on = len(_irqs) > 0
        _time._watch[0] = 1 if on else 0
        _set_hook(_pin_service, on)
        _time._service()
        return _irqs.get(self._id) or _PinIrq(self, None, trigger)

    def __repr__(self):
        return 'Pin(%d)' % self._id
`;
