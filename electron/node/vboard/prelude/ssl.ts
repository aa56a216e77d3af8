/**
 * The board's `ssl` module: TLS on a connected socket, as MicroPython's
 * (mbedTLS on an ESP32) offers it: `wrap_socket()` and `SSLContext` for
 * clients, CERT_NONE / CERT_OPTIONAL / CERT_REQUIRED, CA data and a client
 * certificate as PEM or DER bytes (or file names). The host speaks the TLS
 * (net/BoardNet.ts); the socket keeps its methods. Failures raise what an
 * ESP32 raises: OSError(code, 'MBEDTLS_ERR_...').
 */
import { NET_INTERRUPTED, TLS_ERRORS } from '../net/netProtocol.js';

export const SSL_PY = `
import _pinwheel
import select as _select
from binascii import hexlify as _hexlify

CERT_NONE = 0
CERT_OPTIONAL = 1
CERT_REQUIRED = 2
PROTOCOL_TLS_CLIENT = 0
PROTOCOL_TLS_SERVER = 1

_INTERRUPTED = ${NET_INTERRUPTED}
_NAMES = {${Object.entries(TLS_ERRORS)
  .map(([name, code]) => `${code}: ${JSON.stringify(name)}`)
  .join(', ')}}
_raise_pending = _select.poll()


def _data(value):
    # Bytes as given, a str as a file name (CPython's way), None as nothing.
    if value is None:
        return ''
    if isinstance(value, str):
        with open(value, 'rb') as f:
            value = f.read()
    return _hexlify(value).decode()


def _wrap(sock, server_hostname, verify, cadata, cert, key):
    r = _pinwheel.sock_tls(sock._sid(), server_hostname or '', verify, _data(cadata), _data(cert), _data(key))
    if r == _INTERRUPTED:
        _raise_pending.poll(1000)
        raise OSError(4)
    if r < 0:
        name = _NAMES.get(r)
        if name:
            raise OSError(r, name)
        raise OSError(-r)
    return sock


def wrap_socket(sock, server_side=False, key=None, cert=None, cert_reqs=CERT_NONE, cadata=None, server_hostname=None, do_handshake=True):
    if server_side:
        raise OSError(95)
    return _wrap(sock, server_hostname, cert_reqs, cadata, cert, key)


class SSLContext:
    def __init__(self, protocol=PROTOCOL_TLS_CLIENT):
        if protocol != PROTOCOL_TLS_CLIENT:
            raise ValueError('only TLS clients are supported')
        self.verify_mode = CERT_REQUIRED
        self._cadata = None
        self._cert = None
        self._key = None

    def load_verify_locations(self, cafile=None, cadata=None):
        self._cadata = cadata if cadata is not None else cafile

    def load_cert_chain(self, certfile, keyfile):
        self._cert = certfile
        self._key = keyfile

    def wrap_socket(self, sock, server_side=False, do_handshake_on_connect=True, server_hostname=None):
        if server_side:
            raise OSError(95)
        return _wrap(sock, server_hostname, self.verify_mode, self._cadata, self._cert, self._key)
`;
