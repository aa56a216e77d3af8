/**
 * The board's `esp32` module (plain ESP32): wake sources for deep and light
 * sleep, the chip's temperature sensor, NVS (what was committed is kept by
 * the host through resets; ESP-IDF's error codes), the generic 4 MB partition table, and heap
 * information. The ULP, RMT and PCNT are not simulated.
 */
import { notSimulatedClassPy, notSimulatedMessage } from './notSimulated.js';

/** ESP-IDF's NVS errors (esp_err_t); check_esp_err raises OSError(-code, name). */
const NVS_NOT_FOUND = 0x1102;
const NVS_INVALID_LENGTH = 0x110c;
const NVS_KEY_TOO_LONG = 0x1109;

const ESP32_CORE_PY = `
import json as _json
import machine as _machine
import _pinwheel

WAKEUP_ALL_LOW = False
WAKEUP_ANY_HIGH = True
HEAP_DATA = 4
HEAP_EXEC = 1

# Pins that can wake the chip from deep sleep (its RTC GPIOs).
_RTC_PINS = (0, 2, 4, 12, 13, 14, 15, 25, 26, 27, 32, 33, 34, 35, 36, 37, 38, 39)
# The chip's own temperature sensor, uncalibrated, in Fahrenheit as esp32.raw_temperature() reports it (a board at rest).
_RAW_TEMPERATURE_F = 128


def raw_temperature():
    return _RAW_TEMPERATURE_F


def _rtc_pin(pin):
    p = _machine._pin_id(pin)
    if p not in _RTC_PINS:
        raise ValueError('invalid pin')
    return p


def wake_on_ext0(pin, level=False):
    if pin is None:
        _machine._ext0[0] = -1
        return
    _machine._ext0[0] = _rtc_pin(pin)
    _machine._ext0[1] = 1 if level else 0


_ext1 = [(), False]


def wake_on_ext1(pins, level=False):
    _ext1[0] = tuple(_rtc_pin(p) for p in pins) if pins is not None else ()
    _ext1[1] = bool(level)


def wake_on_touch(wake):
    _machine._touch_wake[0] = bool(wake)


def wake_on_ulp(wake):
    raise NotImplementedError('esp32.ULP is not simulated by the virtual board')


def gpio_deep_sleep_hold(enable):
    pass


def idf_heap_info(capabilities):
    # The heap regions of a plain ESP32 running MicroPython (total, free, largest free, minimum free).
    regions = [(7280, 4064, 4064, 4064), (16648, 16236, 16384, 16236), (94608, 60432, 59392, 56012), (15072, 15072, 14336, 15072), (113840, 11464, 11264, 11464)]
    return regions if capabilities & HEAP_DATA else regions[:2]


def _esp_err(code, name):
    return OSError(-code, name)


# NVS as this boot sees it: what was committed (kept by the host through resets) plus changes
# not committed yet, which a reset loses (library docs: "Failure to call commit results in
# changes being lost at the next reset"). {namespace: {key: ["i", int] or ["b", hex]}}.
_nvs = [None]


def _nvs_store():
    if _nvs[0] is None:
        text = _pinwheel.retain_get('nvs')
        _nvs[0] = _json.loads(text) if text else {}
    return _nvs[0]


class NVS:
    def __init__(self, namespace):
        self._ns = namespace

    def _get(self, key, kind):
        entry = _nvs_store().get(self._ns, {}).get(key)
        if entry is None or entry[0] != kind:
            raise _esp_err(${NVS_NOT_FOUND}, 'ESP_ERR_NVS_NOT_FOUND')
        return entry[1]

    def _set(self, key, entry):
        if len(key) > 15:
            raise _esp_err(${NVS_KEY_TOO_LONG}, 'ESP_ERR_NVS_KEY_TOO_LONG')
        space = _nvs_store().setdefault(self._ns, {})
        if entry is None:
            if key not in space:
                raise _esp_err(${NVS_NOT_FOUND}, 'ESP_ERR_NVS_NOT_FOUND')
            del space[key]
        else:
            space[key] = entry

    def set_i32(self, key, value):
        if not -0x80000000 <= value <= 0x7FFFFFFF:
            raise OverflowError('overflow converting long int to machine word')
        self._set(key, ['i', value])

    def get_i32(self, key):
        return self._get(key, 'i')

    def set_blob(self, key, value):
        data = value.encode() if isinstance(value, str) else bytes(value)
        self._set(key, ['b', data.hex()])

    def get_blob(self, key, buffer):
        data = bytes.fromhex(self._get(key, 'b'))
        if len(buffer) < len(data):
            raise _esp_err(${NVS_INVALID_LENGTH}, 'ESP_ERR_NVS_INVALID_LENGTH')
        buffer[:len(data)] = data
        return len(data)

    def erase_key(self, key):
        self._set(key, None)

    def commit(self):
        _pinwheel.retain_set('nvs', _json.dumps(_nvs_store()))


# The generic ESP32 4 MB table: (type, subtype, address, size, label).
_PARTITIONS = (
    (1, 0x02, 0x9000, 0x6000, 'nvs'),
    (1, 0x01, 0xF000, 0x1000, 'phy_init'),
    (0, 0x00, 0x10000, 0x1F0000, 'factory'),
    (1, 0x81, 0x200000, 0x200000, 'vfs'),
)


class Partition:
    BOOT = 0
    RUNNING = 1
    TYPE_APP = 0
    TYPE_DATA = 1

    def __init__(self, id, block_size=4096):
        if id in (Partition.BOOT, Partition.RUNNING):
            row = _PARTITIONS[2]
        else:
            rows = [r for r in _PARTITIONS if r[4] == id]
            if not rows:
                import errno
                raise OSError(errno.ENOENT)
            row = rows[0]
        self._row = row
        self._block = block_size

    @staticmethod
    def find(type=TYPE_APP, subtype=0xFF, label=None, block_size=4096):
        return [Partition(r[4], block_size) for r in _PARTITIONS if r[0] == type and (subtype == 0xFF or r[1] == subtype) and (label is None or r[4] == label)]

    def info(self):
        t, s, addr, size, label = self._row
        return (t, s, addr, size, label, False)

    def readblocks(self, block, buf, offset=0):
        import esp
        esp.flash_read(self._row[2] + block * self._block + offset, buf)

    def writeblocks(self, block, buf, offset=0):
        import esp
        addr = self._row[2] + block * self._block + offset
        if offset == 0:
            for s in range(addr // 4096, (addr + len(buf) + 4095) // 4096):
                esp.flash_erase(s)
        esp.flash_write(addr, buf)

    def ioctl(self, op, arg):
        if op == 4:
            return self._row[3] // self._block
        if op == 5:
            return self._block
        return None

    def set_boot(self):
        pass

    def get_next_update(self):
        import errno
        raise OSError(errno.ENOENT)

    @staticmethod
    def mark_app_valid_cancel_rollback():
        pass

    def __repr__(self):
        t, s, addr, size, label = self._row
        return '<Partition type=%d, subtype=%d, address=%d, size=%d, label=%s, encrypted=0>' % (t, s, addr, size, label)
`;

/** RMT is not simulated, but neopixel code often calls RMT.bitstream_channel(None) to bit-bang instead: that works. */
const RMT_PY = `

class RMT:
    _channel = [7]

    def __init__(self, *args, **kw):
        raise NotImplementedError(${JSON.stringify(notSimulatedMessage('esp32.RMT'))})

    @staticmethod
    def bitstream_channel(*value):
        if value:
            RMT._channel[0] = value[0]
        return RMT._channel[0]
`;

export const ESP32_PY = ESP32_CORE_PY + RMT_PY + notSimulatedClassPy(['ULP', 'PCNT'], 'esp32.');
