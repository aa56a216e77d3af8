/**
 * A DS18B20 on a 1-Wire pin, as `machine._attach('onewire', pin, rom, ...)`
 * takes it: its function commands (the onewire driver handles the ROM
 * commands), a scratchpad with its CRC, the resolution in its config byte,
 * and a conversion that takes the datasheet's time, so a program that reads
 * before the conversion ends gets the previous value (+85 °C after power-on),
 * as it would from the real sensor.
 */
import { PART_INPUT } from '../boardProtocol.js';

export const PART_DS18B20_PY = `

from onewire import _crc8

_CONVERT_T = 0x44
_READ_SCRATCHPAD = 0xBE
_WRITE_SCRATCHPAD = 0x4E
_COPY_SCRATCHPAD = 0x48
_RECALL_E2 = 0xB8
# The temperature register's power-on value: +85 C.
_POWER_ON_RAW = 0x0550
# Conversion time at 9, 10, 11 and 12 bits (ms).
_CONVERT_MS = (94, 188, 375, 750)

# Family 0x28, a fixed serial (one sensor per pin, so no two on a bus share it), CRC-8.
_ROM = bytes((0x28, 0x5A, 0x1E, 0x77, 0x91, 0x0B, 0x00))
DS18B20_ROM = _ROM + bytes((_crc8(_ROM),))


def _sixteenths(milli):
    # The 12-bit register counts 1/16 C; rounded half up.
    return (milli * 16 + 500) // 1000


class Ds18b20:
    def __init__(self, pin):
        self._pin = pin
        self._raw = _POWER_ON_RAW
        # EEPROM as shipped: TH 75 C, TL 70 C, 12 bits.
        self._eeprom = (0x4B, 0x46, 0x7F)
        self._th, self._tl, self._config = self._eeprom
        self._pending = None
        self._done_at = 0
        self._out = b''
        self._in = None

    def _converting(self):
        if self._pending is not None and _time.ticks_diff(_time.ticks_ms(), self._done_at) >= 0:
            self._raw = self._pending
            self._pending = None
        return self._pending is not None

    def command(self, cmd):
        self._converting()
        self._out = b''
        self._in = None
        if cmd == _CONVERT_T:
            bits = 9 + (self._config >> 5 & 3)
            raw = _sixteenths(_pinwheel.part_input(self._pin, ${PART_INPUT.TEMPERATURE_MILLI_C}))
            # Below 12 bits the lowest bits are undefined; the sensor reads them as 0.
            self._pending = raw & ~((1 << (12 - bits)) - 1) & 0xFFFF
            self._done_at = _time.ticks_add(_time.ticks_ms(), _CONVERT_MS[bits - 9])
        elif cmd == _READ_SCRATCHPAD:
            pad = bytes((self._raw & 0xFF, self._raw >> 8, self._th, self._tl, self._config, 0xFF, 0x0C, 0x10))
            self._out = pad + bytes((_crc8(pad),))
        elif cmd == _WRITE_SCRATCHPAD:
            self._in = bytearray()
        elif cmd == _COPY_SCRATCHPAD:
            self._eeprom = (self._th, self._tl, self._config)
        elif cmd == _RECALL_E2:
            self._th, self._tl, self._config = self._eeprom

    def write(self, value):
        pad = self._in
        if pad is None or len(pad) >= 3:
            return
        pad.append(value & 0xFF)
        if len(pad) == 3:
            # Only the resolution bits (R1 R0) of the config byte are writable.
            self._th, self._tl, self._config = pad[0], pad[1], pad[2] & 0x60 | 0x1F

    def read(self):
        if self._out:
            value = self._out[0]
            self._out = self._out[1:]
            return value
        # Read slots during a conversion answer 0 (busy), then 1.
        return 0x00 if self._converting() else 0xFF
`;
