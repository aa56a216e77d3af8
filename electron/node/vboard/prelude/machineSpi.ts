/**
 * machine.SPI (the ESP32's HSPI = 1 and VSPI = 2) and machine.SoftSPI. Bytes
 * go to the parts wired to the bus whose CS pin the program holds low
 * (machineParts.ts); with none selected, MISO idles high and reads 0xFF, as a
 * bus with nothing on it reads.
 */
export const MACHINE_SPI_PY = `

# SPI(1) and SPI(2)'s default (sck, mosi, miso) pins on an ESP32.
_SPI_PINS = {1: (14, 13, 12), 2: (18, 23, 19)}


class _SPIBus:
    MSB = 0
    LSB = 1

    def _init(self, baudrate, polarity, phase, bits, firstbit, sck, mosi, miso):
        self._baudrate = baudrate
        self._polarity = polarity
        self._phase = phase
        self._bits = bits
        self._firstbit = firstbit
        self._pins = (_pin_id(sck), _pin_id(mosi), _pin_id(miso))

    def _transfer(self, data):
        got = b''
        for device in self._selected():
            got = bytes(device.transfer(data))
        # Bits no part drives read high (MISO idles high).
        return got[:len(data)] + b'\\xff' * (len(data) - len(got))

    def _selected(self):
        # A part is selected while the program drives its CS pin low.
        return [d for (k, p, a), d in _parts.items() if k == 'spi' and _pinwheel.pin_level(p) == 0]

    def write(self, buf):
        self._transfer(bytes(buf))

    def read(self, nbytes, write=0x00):
        return bytes(self._transfer(bytes([write]) * nbytes))

    def readinto(self, buf, write=0x00):
        data = self._transfer(bytes([write]) * len(buf))
        for i in range(len(buf)):
            buf[i] = data[i]

    def write_readinto(self, write_buf, read_buf):
        data = self._transfer(bytes(write_buf))
        for i in range(len(read_buf)):
            read_buf[i] = data[i]

    def deinit(self):
        pass


class SPI(_SPIBus):
    def __init__(self, id, baudrate=500000, *, polarity=0, phase=0, bits=8, firstbit=0, sck=None, mosi=None, miso=None):
        if id not in _SPI_PINS:
            raise ValueError("SPI(%d) doesn't exist" % id)
        self._id = id
        dsck, dmosi, dmiso = _SPI_PINS[id]
        self._init(baudrate, polarity, phase, bits, firstbit, dsck if sck is None else sck, dmosi if mosi is None else mosi, dmiso if miso is None else miso)

    def init(self, baudrate=500000, *, polarity=0, phase=0, bits=8, firstbit=0):
        self._baudrate, self._polarity, self._phase, self._bits, self._firstbit = baudrate, polarity, phase, bits, firstbit

    def __repr__(self):
        return 'SPI(id=%d, baudrate=%d, polarity=%d, phase=%d, bits=%d, firstbit=%d, sck=%d, mosi=%d, miso=%d)' % (
            (self._id, self._baudrate, self._polarity, self._phase, self._bits, self._firstbit) + self._pins)


class SoftSPI(_SPIBus):
    def __init__(self, baudrate=500000, *, polarity=0, phase=0, bits=8, firstbit=0, sck=None, mosi=None, miso=None):
        if sck is None or mosi is None or miso is None:
            raise ValueError('must specify all of sck/mosi/miso')
        self._init(baudrate, polarity, phase, bits, firstbit, sck, mosi, miso)

    def init(self, baudrate=500000, *, polarity=0, phase=0, bits=8, firstbit=0):
        self._baudrate, self._polarity, self._phase, self._bits, self._firstbit = baudrate, polarity, phase, bits, firstbit

    def __repr__(self):
        return 'SoftSPI(baudrate=%d, polarity=%d, phase=%d, sck=%d, mosi=%d, miso=%d)' % (
            (self._baudrate, self._polarity, self._phase) + self._pins)
`;
