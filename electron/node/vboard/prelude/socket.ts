/**
 * The board's `socket` module: TCP client sockets as an ESP32's, carried by
 * real connections the host makes (net/BoardNet.ts) once the board is on
 * Wi-Fi (network.ts). What micropython-lib's clients use is here: the
 * constructor, getaddrinfo, connect, settimeout/setblocking, send/recv, the
 * stream methods (read, readinto, readline, write with a length), close, and
 * select.poll on sockets (a socket is an io.IOBase stream whose ioctl answers
 * the poll). Errors are OSError with an ESP32's errno numbers.
 */
import { BOARD_ERRNO, GETADDRINFO_FAILED, NET_INTERRUPTED, SOCKET_CONNECTED, SOCKET_EOF, SOCKET_ERRNO_SHIFT, SOCKET_ERROR, SOCKET_READABLE } from '../net/netProtocol.js';

export const SOCKET_PY = `
import _pinwheel
import io
import select as _select
from binascii import hexlify as _hexlify, unhexlify as _unhexlify

AF_INET = 2
AF_INET6 = 10
SOCK_STREAM = 1
SOCK_DGRAM = 2
SOCK_RAW = 3
IPPROTO_IP = 0
IPPROTO_ICMP = 1
IPPROTO_TCP = 6
IPPROTO_UDP = 17
SOL_SOCKET = 4095
SO_REUSEADDR = 4
TCP_NODELAY = 1

_INTERRUPTED = ${NET_INTERRUPTED}
_EAGAIN = ${BOARD_ERRNO.EAGAIN}
_EINVAL = ${BOARD_ERRNO.EINVAL}
_EBADF = 9
_EOPNOTSUPP = 95
_EAFNOSUPPORT = 97
_EHOSTUNREACH = ${BOARD_ERRNO.EHOSTUNREACH}
_NO_NAME = ${GETADDRINFO_FAILED}
_CONNECTED = ${SOCKET_CONNECTED}
_READABLE = ${SOCKET_READABLE}
_EOF = ${SOCKET_EOF}
_ERROR = ${SOCKET_ERROR}
_ERRNO_SHIFT = ${SOCKET_ERRNO_SHIFT}
_STREAM_POLL = 3
_STREAM_CLOSE = 4

_raise_pending = _select.poll()


def _check(result):
    if result == _INTERRUPTED:
        # A Ctrl-C ended the wait: poll on an empty poller raises the pending KeyboardInterrupt.
        _raise_pending.poll(1000)
        raise OSError(4)
    if result < 0:
        raise OSError(-result)
    return result


def _online():
    import network
    return network._online()


def getaddrinfo(host, port, af=0, type=0, proto=0, flags=0):
    if not _online():
        raise OSError(_NO_NAME)
    found = _pinwheel.sock_getaddrinfo(str(host))
    if found[:1] == '-':
        n = int(found)
        if n == _NO_NAME:
            raise OSError(_NO_NAME)
        _check(n)
    return [(AF_INET, SOCK_STREAM, IPPROTO_TCP, '', (found, port))]


class socket(io.IOBase):
    def __init__(self, af=AF_INET, type=SOCK_STREAM, proto=0):
        if af != AF_INET:
            raise OSError(_EAFNOSUPPORT)
        if type != SOCK_STREAM:
            raise OSError(_EOPNOTSUPP)
        self._timeout = -1
        self._id = -1
        self._id = _check(_pinwheel.sock_open())

    def _sid(self):
        if self._id < 0:
            raise OSError(_EBADF)
        return self._id

    def settimeout(self, value):
        if value is None:
            self._timeout = -1
        elif value < 0:
            raise ValueError('timeout must be >= 0')
        else:
            self._timeout = int(value * 1000)

    def setblocking(self, flag):
        self._timeout = -1 if flag else 0

    def setsockopt(self, level, optname, value):
        pass

    def connect(self, address):
        sid = self._sid()
        if not _online():
            raise OSError(_EHOSTUNREACH)
        _check(_pinwheel.sock_connect(sid, str(address[0]), int(address[1]), self._timeout))

    def send(self, buf):
        sid = self._sid()
        if not buf:
            return 0
        return _check(_pinwheel.sock_send(sid, _hexlify(buf).decode()))

    def sendall(self, buf):
        self.send(buf)

    def write(self, buf, n=None):
        if n is not None:
            buf = memoryview(buf)[:n]
        return self.send(buf)

    def _recv(self, n):
        # bytes, b'' at the end of the stream, or None when a non-blocking socket has nothing.
        got = _pinwheel.sock_recv(self._sid(), n, self._timeout)
        if got[:1] == '-':
            e = int(got)
            if e == -_EAGAIN:
                return None
            _check(e)
        return _unhexlify(got)

    def recv(self, n):
        data = self._recv(n)
        if data is None:
            raise OSError(_EAGAIN)
        return data

    def read(self, n=-1):
        # As a board's stream read: blocking, exactly n bytes unless the peer closed;
        # non-blocking, what is there, or None when nothing is.
        parts = []
        got = 0
        while n < 0 or got < n:
            chunk = self._recv(4096 if n < 0 else n - got)
            if chunk is None:
                if got == 0:
                    return None
                break
            if not chunk:
                break
            parts.append(chunk)
            got += len(chunk)
        return b''.join(parts)

    def readinto(self, buf, nbytes=None):
        want = len(buf) if nbytes is None else min(nbytes, len(buf))
        data = self.read(want)
        if data is None:
            return None
        buf[:len(data)] = data
        return len(data)

    def readline(self):
        line = bytearray()
        while True:
            c = self.read(1)
            if not c:
                break
            line += c
            if c == b'\\n':
                break
        return bytes(line)

    def makefile(self, mode='rb', buffering=0):
        return self

    def fileno(self):
        return self._id

    def close(self):
        if self._id >= 0:
            _pinwheel.sock_close(self._id)
            self._id = -1

    def ioctl(self, request, arg):
        if request == _STREAM_CLOSE:
            self.close()
            return 0
        if request != _STREAM_POLL:
            return -_EINVAL
        if self._id < 0:
            return _select.POLLNVAL if hasattr(_select, 'POLLNVAL') else 32
        state = _pinwheel.sock_state(self._id)
        ready = 0
        if arg & _select.POLLIN and state & (_READABLE | _EOF | _ERROR):
            ready |= _select.POLLIN
        if arg & _select.POLLOUT and state & _CONNECTED and not state & _ERROR:
            ready |= _select.POLLOUT
        if state & _ERROR:
            ready |= _select.POLLERR
        if state & _EOF:
            ready |= _select.POLLHUP
        return ready

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()

    def __repr__(self):
        return '<socket state=%d timeout=%d incoming=0 off=0>' % (_pinwheel.sock_state(self._id) if self._id >= 0 else 0, self._timeout)
`;
