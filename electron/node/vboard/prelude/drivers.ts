/**
 * The driver modules an ESP32 firmware freezes in (neopixel, dht, onewire,
 * ds18x20), written for the virtual board: same classes and methods as on a
 * board, over the board's machine and esp modules, so a strip's colours reach
 * the host through machine.bitstream and a sensor answers through the parts
 * wired to its pin (machineParts.ts).
 */

export const NEOPIXEL_PY = `
from machine import bitstream


class NeoPixel:
    # Byte order on the wire for a pixel given as (r, g, b[, w]): green first, as WS2812 parts take it.
    ORDER = (1, 0, 2, 3)

    def __init__(self, pin, n, bpp=3, timing=1):
        self.pin = pin
        self.n = n
        self.bpp = bpp
        self.buf = bytearray(n * bpp)
        self.pin.init(pin.OUT)
        # WS2812 bit timings in ns (high/low for a 0, then for a 1): 800 kHz, or 400 kHz with timing=0.
        self.timing = (((350, 850, 700, 600) if timing else (800, 1700, 1600, 900)) if isinstance(timing, int) else timing)

    def __len__(self):
        return self.n

    def __setitem__(self, i, v):
        base = i * self.bpp
        for k in range(self.bpp):
            self.buf[base + self.ORDER[k]] = v[k]

    def __getitem__(self, i):
        base = i * self.bpp
        return tuple(self.buf[base + self.ORDER[k]] for k in range(self.bpp))

    def fill(self, v):
        for i in range(self.n):
            self[i] = v

    def write(self):
        bitstream(self.pin, 0, self.timing, self.buf)
`;

export const DHT_PY = `
from _pw_esp import dht_readinto  # "esp" until setup names it (setup.ts)


class DHTBase:
    def __init__(self, pin):
        self.pin = pin
        self.buf = bytearray(5)

    def measure(self):
        buf = self.buf
        dht_readinto(self.pin, buf)
        if (buf[0] + buf[1] + buf[2] + buf[3]) & 0xFF != buf[4]:
            raise Exception('checksum error')


class DHT11(DHTBase):
    def humidity(self):
        return self.buf[0]

    def temperature(self):
        return self.buf[2]


class DHT22(DHTBase):
    def humidity(self):
        # Tenths as integers divided once: exact to a tenth, as the ESP32's single-precision floats print it.
        return (self.buf[0] << 8 | self.buf[1]) / 10

    def temperature(self):
        t = ((self.buf[2] & 0x7F) << 8 | self.buf[3]) / 10
        return -t if self.buf[2] & 0x80 else t
`;

/**
 * 1-Wire at the level of bytes: a reset finds whether any part is on the
 * pin; then ROM commands (skip 0xCC, match 0x55 + ROM) select parts, and what
 * follows goes to the selected ones. A search (scan) lists the ROMs directly.
 */
export const ONEWIRE_PY = `
import machine as _machine

_SKIP_ROM = 0xCC
_MATCH_ROM = 0x55


class OneWireError(Exception):
    pass


def _crc8(data):
    # Dallas/Maxim CRC-8 (polynomial x^8 + x^5 + x^4 + 1, bits taken low first).
    crc = 0
    for byte in data:
        for _ in range(8):
            mix = (crc ^ byte) & 1
            crc >>= 1
            if mix:
                crc ^= 0x8C
            byte >>= 1
    return crc


class OneWire:
    SEARCH_ROM = 0xF0
    MATCH_ROM = _MATCH_ROM
    SKIP_ROM = _SKIP_ROM

    def __init__(self, pin):
        self.pin = pin
        self.pin.init(pin.OPEN_DRAIN, pin.PULL_UP)
        self._id = _machine._pin_id(pin)
        self._state = None
        self._selected = []

    def _devices(self):
        return _machine._parts_on('onewire', self._id)

    def reset(self, required=False):
        self._state = 'rom'
        self._selected = []
        present = len(self._devices()) > 0
        if required and not present:
            raise OneWireError
        return present

    def writebyte(self, value):
        state = self._state
        if isinstance(state, bytearray):
            # The ROM of a match command, byte by byte.
            state.append(value)
            if len(state) == 8:
                rom = bytes(state)
                self._selected = [d for r, d in self._devices() if bytes(r) == rom]
                self._state = 'function'
        elif state == 'rom':
            if value == _SKIP_ROM:
                self._selected = [d for _, d in self._devices()]
                self._state = 'function'
            elif value == _MATCH_ROM:
                self._state = bytearray()
        elif state == 'function':
            for d in self._selected:
                d.command(value)
            self._state = 'data'
        else:
            for d in self._selected:
                d.write(value)

    def write(self, buf):
        for b in buf:
            self.writebyte(b)

    def readbyte(self):
        # Nothing driving the line: it reads high.
        value = 0xFF
        for d in self._selected:
            value &= d.read()
        return value

    def readinto(self, buf):
        for i in range(len(buf)):
            buf[i] = self.readbyte()

    def readbit(self):
        return self.readbyte() & 1

    def writebit(self, value):
        pass

    def select_rom(self, rom):
        self.reset()
        self.writebyte(_MATCH_ROM)
        self.write(rom)

    def scan(self):
        return sorted(bytearray(r) for r, _ in self._devices())

    def crc8(self, data):
        return _crc8(data)
`;

export const DS18X20_PY = `
from micropython import const

_CONVERT = const(0x44)
_RD_SCRATCH = const(0xBE)
_WR_SCRATCH = const(0x4E)


class DS18X20:
    def __init__(self, onewire):
        self.ow = onewire
        self.buf = bytearray(9)

    def scan(self):
        # Family codes of the DS18S20, DS18B20 and DS1822.
        return [rom for rom in self.ow.scan() if rom[0] in (0x10, 0x22, 0x28)]

    def convert_temp(self):
        self.ow.reset(True)
        self.ow.writebyte(self.ow.SKIP_ROM)
        self.ow.writebyte(_CONVERT)

    def read_scratch(self, rom):
        self.ow.reset(True)
        self.ow.select_rom(rom)
        self.ow.writebyte(_RD_SCRATCH)
        self.ow.readinto(self.buf)
        if self.ow.crc8(self.buf):
            raise Exception('CRC error')
        return self.buf

    def write_scratch(self, rom, buf):
        self.ow.reset(True)
        self.ow.select_rom(rom)
        self.ow.writebyte(_WR_SCRATCH)
        self.ow.write(buf)

    def read_temp(self, rom):
        buf = self.read_scratch(rom)
        raw = buf[1] << 8 | buf[0]
        if raw & 0x8000:
            raw -= 0x10000
        if rom[0] == 0x10:
            # DS18S20: half degrees, refined by its count registers (the datasheet's extended resolution).
            return (raw >> 1) - 0.25 + (buf[7] - buf[6]) / buf[7]
        return raw / 16
`;
