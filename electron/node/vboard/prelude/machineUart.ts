/**
 * machine.UART of an ESP32. UART(0) is the REPL's console: what it writes
 * goes to the REPL output, and the REPL keeps what arrives. What UART(1) and
 * UART(2) send is reported to the host ('uart', hex), and comes back into
 * their own receive buffer when the program wires TX to RX (the same pin), a
 * loopback test as on a board; what the host sends them
 * (BoardPeripherals.uartReceive) arrives in that buffer too.
 */
export const MACHINE_UART_PY = `

import sys as _sys

# Default (tx, rx) pins of UART 0, 1 and 2 on an ESP32.
_UART_PINS = ((1, 3), (10, 9), (17, 16))


class UART:
    INV_TX = 1
    INV_RX = 2
    INV_RTS = 4
    INV_CTS = 8
    RTS = 1
    CTS = 2

    def __init__(self, id, baudrate=115200, bits=8, parity=None, stop=1, **kw):
        if id not in (0, 1, 2):
            raise ValueError('UART(%d) does not exist' % id)
        self._id = id
        self._tx, self._rx = _UART_PINS[id]
        self._rxbuf_size = 256
        self._timeout = 0
        self._rxbuf = bytearray()
        self.init(baudrate, bits, parity, stop, **kw)

    def init(self, baudrate=115200, bits=8, parity=None, stop=1, *, tx=None, rx=None, rts=-1, cts=-1, txbuf=256, rxbuf=256, timeout=0, timeout_char=0, invert=0, flow=0):
        if bits not in (5, 6, 7, 8):
            raise ValueError('invalid data bits')
        if parity not in (None, 0, 1):
            raise ValueError('invalid parity')
        if stop not in (1, 2):
            raise ValueError('invalid stop bits')
        self._baudrate, self._bits, self._parity, self._stop = baudrate, bits, parity, stop
        if tx is not None:
            self._tx = _pin_id(tx)
        if rx is not None:
            self._rx = _pin_id(rx)
        self._rxbuf_size = rxbuf
        self._timeout = timeout

    def deinit(self):
        self._rxbuf = bytearray()

    def write(self, buf):
        data = bytes(buf, 'utf-8') if isinstance(buf, str) else bytes(buf)
        if self._id == 0:
            getattr(_sys.stdout, 'buffer', _sys.stdout).write(data)
            return len(data)
        _pinwheel.periph_report('uart', self._id, data.hex())
        if self._tx == self._rx:
            # What does not fit the receive buffer is lost, as a UART drops it.
            room = self._rxbuf_size - len(self._rxbuf)
            self._rxbuf.extend(data[:max(0, room)])
        return len(data)

    def _pull(self):
        # Bytes the host sent, as far as the receive buffer has room.
        room = self._rxbuf_size - len(self._rxbuf)
        if self._id and room > 0:
            data = _pinwheel.uart_rx(self._id, room)
            if data:
                self._rxbuf.extend(bytes.fromhex(data))

    def any(self):
        self._pull()
        return len(self._rxbuf)

    def _wait(self):
        self._pull()
        if not self._rxbuf and self._timeout > 0 and self._id:
            if _pinwheel.uart_rx_wait(self._id, self._timeout):
                _time._raise_pending.poll(1000)
            self._pull()

    def read(self, nbytes=None):
        self._wait()
        if not self._rxbuf:
            return None
        n = len(self._rxbuf) if nbytes is None else min(nbytes, len(self._rxbuf))
        data = bytes(self._rxbuf[:n])
        self._rxbuf = self._rxbuf[n:]
        return data

    def readinto(self, buf, nbytes=None):
        data = self.read(len(buf) if nbytes is None else nbytes)
        if data is None:
            return None
        buf[:len(data)] = data
        return len(data)

    def readline(self):
        self._wait()
        if not self._rxbuf:
            return None
        end = self._rxbuf.find(b'\\n')
        return self.read(len(self._rxbuf) if end < 0 else end + 1)

    def flush(self):
        pass

    def txdone(self):
        return True

    def sendbreak(self):
        pass

    def __repr__(self):
        return 'UART(%d, baudrate=%d, bits=%d, parity=%s, stop=%d, tx=%d, rx=%d, rxbuf=%d, timeout=%d)' % (
            self._id, self._baudrate, self._bits, self._parity, self._stop, self._tx, self._rx, self._rxbuf_size, self._timeout)
`;
