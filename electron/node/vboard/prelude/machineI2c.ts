/**
 * machine.I2C (the ESP32's two controllers) and machine.SoftI2C (bit-banged,
 * with the start/stop/readinto/write primitives). Both talk to the parts
 * wired to their SDA pin (machineParts.ts); an address nothing answers gives
 * OSError(ENODEV), as on an ESP32.
 */
export const MACHINE_I2C_PY = `

import errno as _errno

# I2C(0) and I2C(1)'s default (scl, sda) pins on an ESP32.
_I2C_PINS = ((18, 19), (25, 26))


def _nodev():
    raise OSError(_errno.ENODEV)


def _memaddr(memaddr, addrsize):
    if addrsize not in (8, 16, 24, 32):
        raise ValueError('invalid addrsize')
    return bytes((memaddr >> s) & 0xFF for s in range(addrsize - 8, -8, -8))


class _I2CBus:
    def _init(self, scl, sda, freq, timeout):
        self._scl = _pin_id(scl)
        self._sda = _pin_id(sda)
        self._freq = freq
        self._timeout = timeout

    def _device(self, addr):
        d = _part('i2c', self._sda, addr)
        if d is None:
            _nodev()
        return d

    def scan(self):
        return sorted(a for a, d in _parts_on('i2c', self._sda) if 0x08 <= a <= 0x77)

    def writeto(self, addr, buf, stop=True):
        self._device(addr).write(bytes(buf))
        return len(buf)

    def writevto(self, addr, vector, stop=True):
        data = b''.join(bytes(b) for b in vector)
        self._device(addr).write(data)
        return len(data)

    def readfrom_into(self, addr, buf, stop=True):
        data = self._device(addr).read(len(buf))
        for i in range(len(buf)):
            buf[i] = data[i] if i < len(data) else 0xFF

    def readfrom(self, addr, nbytes, stop=True):
        buf = bytearray(nbytes)
        self.readfrom_into(addr, buf, stop)
        return bytes(buf)

    def writeto_mem(self, addr, memaddr, buf, *, addrsize=8):
        self._device(addr).write(_memaddr(memaddr, addrsize) + bytes(buf))

    def readfrom_mem_into(self, addr, memaddr, buf, *, addrsize=8):
        self._device(addr).write(_memaddr(memaddr, addrsize))
        self.readfrom_into(addr, buf)

    def readfrom_mem(self, addr, memaddr, nbytes, *, addrsize=8):
        buf = bytearray(nbytes)
        self.readfrom_mem_into(addr, memaddr, buf, addrsize=addrsize)
        return bytes(buf)


class I2C(_I2CBus):
    def __init__(self, id=0, *, scl=None, sda=None, freq=400000, timeout=50000):
        if id not in (0, 1):
            raise ValueError("I2C(%d) doesn't exist" % id)
        self._id = id
        dscl, dsda = _I2C_PINS[id]
        self._init(dscl if scl is None else scl, dsda if sda is None else sda, freq, timeout)

    def init(self, *, scl=None, sda=None, freq=400000, timeout=50000):
        self._init(self._scl if scl is None else scl, self._sda if sda is None else sda, freq, timeout)

    def deinit(self):
        pass

    def __repr__(self):
        return 'I2C(%d, scl=%d, sda=%d, freq=%d)' % (self._id, self._scl, self._sda, self._freq)


class SoftI2C(_I2CBus):
    def __init__(self, scl, sda, *, freq=400000, timeout=50000):
        self._init(scl, sda, freq, timeout)
        self._target = None
        self._pending = None

    def init(self, scl, sda, *, freq=400000, timeout=50000):
        self._init(scl, sda, freq, timeout)

    # The primitives: the first byte written after start() addresses a part (bit 0: read);
    # the bytes after it are one write transaction, handed over at the next start() or stop().
    def start(self):
        self._flush()
        self._target = None

    def stop(self):
        self._flush()
        self._target = None

    def _flush(self):
        if self._target is not None and self._pending:
            self._target.write(bytes(self._pending))
        self._pending = None

    def write(self, buf):
        acks = 0
        for b in bytes(buf):
            if self._pending is None and self._target is None:
                self._target = _part('i2c', self._sda, b >> 1)
                if self._target is None:
                    return acks
                self._pending = bytearray() if not b & 1 else None
            elif self._pending is not None:
                self._pending.append(b)
            acks += 1
        return acks

    def readinto(self, buf, nack=True):
        data = self._target.read(len(buf)) if self._target is not None else b''
        for i in range(len(buf)):
            buf[i] = data[i] if i < len(data) else 0xFF

    def __repr__(self):
        return 'SoftI2C(scl=%d, sda=%d, freq=%d)' % (self._scl, self._sda, self._freq)
`;
