/**
 * The board's `onewire` driver (frozen into ESP32 firmware), written for the
 * virtual board over the parts wired to its pin (machineParts.ts).
 *
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
