/**
 * The board's `esp` module (ESP32 port): debug output level, the flash chip
 * (4 MB; reads, writes and erases of a model of it kept in RAM, separate from
 * the filesystem, with NOR flash's rule that a write only clears bits), and
 * dht_readinto for the dht driver, which reads a DHT part wired to the pin
 * (machineParts.ts) or times out as with nothing on the wire.
 */
export const ESP_PY = `
import errno as _errno
import machine as _machine

LOG_NONE = 0
LOG_ERROR = 1
LOG_WARN = 2
LOG_INFO = 3
LOG_DEBUG = 4
LOG_VERBOSE = 5

_FLASH_BYTES = 4 * 1024 * 1024
_SECTOR_BYTES = 4096
# Where the generic ESP32 partition table puts the filesystem ("vfs").
_USER_START = 0x200000
_osdebug = [LOG_ERROR]
# Written sectors only: an erased sector reads 0xFF.
_sectors = {}


def osdebug(uart, level=LOG_ERROR):
    _osdebug[0] = LOG_NONE if uart is None else level


def flash_size():
    return _FLASH_BYTES


def flash_user_start():
    return _USER_START


def _span(offset, n):
    if offset < 0 or n < 0 or offset + n > _FLASH_BYTES:
        raise OSError(_errno.EIO)


def flash_read(offset, buf):
    if isinstance(buf, int):
        buf = bytearray(buf)
    _span(offset, len(buf))
    for i in range(len(buf)):
        s = _sectors.get((offset + i) // _SECTOR_BYTES)
        buf[i] = 0xFF if s is None else s[(offset + i) % _SECTOR_BYTES]
    return buf


def flash_write(offset, buf):
    data = bytes(buf)
    _span(offset, len(data))
    for i in range(len(data)):
        n = (offset + i) // _SECTOR_BYTES
        s = _sectors.get(n)
        if s is None:
            s = _sectors[n] = bytearray(b'\\xff' * _SECTOR_BYTES)
        s[(offset + i) % _SECTOR_BYTES] &= data[i]


def flash_erase(sector):
    _span(sector * _SECTOR_BYTES, _SECTOR_BYTES)
    _sectors.pop(sector, None)


def dht_readinto(pin, buf):
    device = _machine._part('dht', _machine._pin_id(pin), 0)
    if device is None:
        raise OSError(_errno.ETIMEDOUT)
    data = device.read()
    for i in range(5):
        buf[i] = data[i]
`;
