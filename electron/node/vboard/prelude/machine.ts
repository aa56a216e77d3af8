/**
 * The board's `machine` module: an ESP32's reset and sleep functions, clock,
 * Signal, and (each in a file of its own in this folder) its peripheral
 * classes. Levels and states the host shows cross through the `_pinwheel`
 * bridge.
 *
 * A new peripheral class goes in a file of its own in this folder exporting
 * its Python source, and is appended to MACHINE_PY at the bottom, so
 * `machine` stays one module as on a board.
 */
import { RESET_CAUSE, WAKE_REASON } from '../boardProtocol.js';
import { MACHINE_ADC_PY } from './machineAdc.js';
import { MACHINE_DAC_PY } from './machineDac.js';
import { MACHINE_I2C_PY } from './machineI2c.js';
import { MACHINE_PARTS_PY } from './machineParts.js';
import { MACHINE_PIN_PY } from './machinePin.js';
import { MACHINE_PWM_PY } from './machinePwm.js';
import { MACHINE_RTC_PY } from './machineRtc.js';
import { MACHINE_SPI_PY } from './machineSpi.js';
import { MACHINE_TIMER_PY } from './machineTimer.js';
import { MACHINE_TOUCHPAD_PY } from './machineTouchPad.js';
import { MACHINE_UART_PY } from './machineUart.js';
import { MACHINE_WDT_PY } from './machineWdt.js';
import { notSimulatedClassPy } from './notSimulated.js';

const MACHINE_CORE_PY = `
import _pinwheel
import time as _time

PWRON_RESET = ${RESET_CAUSE.PWRON}
HARD_RESET = ${RESET_CAUSE.HARD}
WDT_RESET = ${RESET_CAUSE.WDT}
DEEPSLEEP_RESET = ${RESET_CAUSE.DEEPSLEEP}
SOFT_RESET = ${RESET_CAUSE.SOFT}

# What machine.lightsleep()/deepsleep() may be woken by (Pin.irq(wake=...)).
SLEEP = 2
DEEPSLEEP = 4

PIN_WAKE = ${WAKE_REASON.EXT0}
EXT0_WAKE = ${WAKE_REASON.EXT0}
EXT1_WAKE = ${WAKE_REASON.EXT1}
TIMER_WAKE = ${WAKE_REASON.TIMER}
TOUCHPAD_WAKE = ${WAKE_REASON.TOUCHPAD}
ULP_WAKE = ${WAKE_REASON.ULP}

_freq = [160000000]
_wake_reason = [_pinwheel.wake_reason()]
# esp32.wake_on_ext0(pin, level): [pin number or -1, level].
_ext0 = [-1, 0]


def _pin_id(pin):
    # Peripherals take a Pin or its number.
    return pin._id if isinstance(pin, Pin) else Pin(pin)._id


def _call(handler, arg):
    # A handler's error is printed and the program goes on, as a board's scheduler does with a callback's.
    try:
        handler(arg)
    except Exception as e:
        import sys
        sys.print_exception(e)


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


def wake_reason():
    return _wake_reason[0]


def idle():
    _time.sleep_ms(1)


def _ext0_woken():
    return _ext0[0] >= 0 and _pinwheel.pin_in(_ext0[0]) == _ext0[1]


def lightsleep(time_ms=None):
    # Without a time the chip sleeps until a wake source (ext0, a touch) fires; here a Ctrl-C also ends it.
    if time_ms is not None:
        _time.sleep_ms(time_ms)
        _wake_reason[0] = TIMER_WAKE
        return
    while not (_ext0_woken() or _touch_woken()):
        _time.sleep_ms(10)
    _wake_reason[0] = EXT0_WAKE if _ext0_woken() else TOUCHPAD_WAKE


sleep = lightsleep


def deepsleep(time_ms=0):
    _pinwheel.deep_sleep(time_ms or 0, _ext0[0], _ext0[1])


def disable_irq():
    return 0


def enable_irq(state=0):
    pass


def time_pulse_us(pin, pulse_level, timeout_us=1000000):
    # Levels change only when the host sets them: wait for the pulse to start as a board does, then report its timeout (-2).
    deadline = _time.ticks_add(_time.ticks_us(), timeout_us)
    while pin.value() != pulse_level:
        if _time.ticks_diff(deadline, _time.ticks_us()) <= 0:
            return -2
        _time.sleep_ms(1)
    start = _time.ticks_us()
    while pin.value() == pulse_level:
        if _time.ticks_diff(deadline, _time.ticks_us()) <= 0:
            return -1
        _time.sleep_ms(1)
    return _time.ticks_diff(_time.ticks_us(), start)


def bitstream(pin, encoding, timing, data):
    # The bytes a NeoPixel strip receives; the host shows them (BoardPeripherals, 'bitstream').
    if encoding != 0:
        raise ValueError('invalid encoding')
    if len(timing) != 4:
        raise ValueError('invalid timing')
    _pinwheel.periph_report('bitstream', _pin_id(pin), bytes(data).hex())
`;

/** The module as installed: the core above, then each peripheral class's source. */
export const MACHINE_PY = [
  MACHINE_CORE_PY,
  MACHINE_PIN_PY,
  MACHINE_PARTS_PY,
  MACHINE_PWM_PY,
  MACHINE_ADC_PY,
  MACHINE_DAC_PY,
  MACHINE_TOUCHPAD_PY,
  MACHINE_I2C_PY,
  MACHINE_SPI_PY,
  MACHINE_UART_PY,
  MACHINE_TIMER_PY,
  MACHINE_WDT_PY,
  MACHINE_RTC_PY,
  notSimulatedClassPy(['SDCard', 'I2S', 'CAN']),
].join('');
