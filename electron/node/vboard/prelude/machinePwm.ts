/**
 * machine.PWM of an ESP32 (its LEDC peripheral): 16 channels on 8 timers,
 * 1 Hz to 40 MHz, the duty kept at the timer's resolution as the chip keeps
 * it (so duty_u16() reads back what the hardware would), and the frequency
 * the divider really gives (30000 Hz asked, 30030 Hz read). Each change is
 * reported to the host ('pwm': "<freq> <duty_u16>"), e.g. for an LED's
 * brightness.
 */
export const MACHINE_PWM_PY = `

_PWM_CHANNELS = 16
_PWM_TIMERS = 8
_APB_HZ = 80000000
# Below this frequency the ESP32 clocks a timer from the 1 MHz REF_TICK.
_REF_TICK_BELOW_HZ = 10
_pwm_pins = {}


def _ilog2(n):
    r = 0
    while n > 1:
        n >>= 1
        r += 1
    return r


def _pwm_timer(freq):
    # The LEDC timer for a frequency: (its duty resolution in bits, the frequency it really runs at).
    src = 1000000 if freq < _REF_TICK_BELOW_HZ else _APB_HZ
    res = min(16, _ilog2((src + freq // 2) // freq))
    res = max(1, res)
    div = ((src << 8) + ((freq << res) >> 1)) // (freq << res)
    return res, (src << 8) // div // (1 << res)


def _pwm_range(freq):
    if freq <= 0 or freq > 40000000:
        raise ValueError('frequency must be from 1Hz to 40MHz')


class PWM:
    def __init__(self, dest, freq=-1, *, duty=-1, duty_u16=-1, duty_ns=-1, invert=False, lightsleep=False):
        self._pin = _pin_id(dest)
        self._freq = -1
        self._res = 0
        self._scale = 0
        self._ui = 0
        self._invert = False
        self.init(freq, duty=duty, duty_u16=duty_u16, duty_ns=duty_ns, invert=invert, lightsleep=lightsleep)

    def init(self, freq=-1, *, duty=-1, duty_u16=-1, duty_ns=-1, invert=None, lightsleep=False):
        if freq != -1:
            _pwm_range(freq)
        if duty_u16 >= 0:
            self._check_u16(duty_u16)
        elif duty_ns >= 0:
            self._check_ns(duty_ns, freq if freq != -1 else (self._freq if self._freq > 0 else 5000))
        elif duty >= 0:
            self._check_u10(duty)
        elif self._scale == 0:
            self._scale, self._ui = 16, 32768
        if invert is not None:
            self._invert = bool(invert)
        if self._pin not in _pwm_pins and len(_pwm_pins) >= _PWM_CHANNELS:
            raise RuntimeError('out of PWM channels:%d' % _PWM_CHANNELS)
        if freq == -1:
            freq = self._freq if self._freq > 0 else 5000
        used = set(p._freq for k, p in _pwm_pins.items() if k != self._pin)
        if freq not in used and len(used) >= _PWM_TIMERS:
            raise RuntimeError('out of PWM timers:%d' % _PWM_TIMERS)
        self._freq = freq
        self._res, self._real_freq = _pwm_timer(freq)
        _pwm_pins[self._pin] = self
        self._apply()

    def deinit(self):
        if _pwm_pins.get(self._pin) is self:
            del _pwm_pins[self._pin]
            _pinwheel.periph_report('pwm', self._pin, '')
        self._freq = -1
        self._scale = 0

    def _active(self):
        if self._freq < 0:
            raise RuntimeError('PWM is inactive')

    def _duty16(self):
        # The duty as the timer holds it, on the 16-bit scale (65536 = always on).
        if self._scale == 16:
            d = self._ui
        elif self._scale == 10:
            d = self._ui << 6
        else:
            d = (self._ui * 65536 * self._freq + 500000000) // 1000000000
            if self._ui > 0 and d == 0:
                d = 1
            d = min(d, 65536)
        return (d >> (16 - self._res)) << (16 - self._res)

    def _apply(self):
        _pinwheel.periph_report('pwm', self._pin, '%d %d' % (self._real_freq, self.duty_u16()))

    def _check_u16(self, d):
        if d < 0 or d > 65535:
            raise ValueError('duty_u16 must be from 0 to 65536')
        self._scale, self._ui = 16, 65536 if d == 65535 else d

    def _check_u10(self, d):
        if d < 0 or d > 1023:
            raise ValueError('duty must be from 0 to 1023')
        self._scale, self._ui = 10, 1024 if d == 1023 else d

    def _check_ns(self, ns, freq):
        most = (65536 * 1000000000 + freq * 32768) // (freq * 65536)
        if ns < 0 or ns > most:
            raise ValueError('duty_ns must be from 0 to %d ns' % most)
        self._scale, self._ui = 1, ns

    def freq(self, value=None):
        self._active()
        if value is None:
            return self._real_freq
        _pwm_range(value)
        if value != self._freq:
            self.init(value)

    def duty_u16(self, value=None):
        self._active()
        if value is None:
            d = self._duty16()
            return 65535 if d == 65536 else d
        self._check_u16(value)
        self._apply()

    def duty(self, value=None):
        self._active()
        if value is None:
            return self.duty_u16() >> 6
        self._check_u10(value)
        self._apply()

    def duty_ns(self, value=None):
        self._active()
        if value is None:
            return (self.duty_u16() * 1000000000 + self._freq * 32768) // (self._freq * 65536)
        self._check_ns(value, self._freq)
        self._apply()

    def __repr__(self):
        if self._freq < 0:
            return 'PWM(Pin(%d))' % self._pin
        if self._scale == 10:
            duty = ', duty=%d' % self.duty()
        elif self._scale == 1:
            duty = ', duty_ns=%d' % self.duty_ns()
        else:
            duty = ', duty_u16=%d' % self.duty_u16()
        return 'PWM(Pin(%d), freq=%d%s%s)' % (self._pin, self._real_freq, duty, ', invert=True' if self._invert else '')
`;
