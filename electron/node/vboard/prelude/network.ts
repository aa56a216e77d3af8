/**
 * The board's `network` module: an ESP32's WLAN interfaces over the virtual
 * air (net/virtualWifi.ts). Joining takes a moment, as association and DHCP
 * do on a board, and fails the way the ESP32 port reports it (wrong
 * password, no such network). Once on Wi-Fi the board's sockets work
 * (socket.ts); ifconfig() gives this computer's address, where its
 * connections really come from.
 */
import { VIRTUAL_WIFI } from '../../../common/board/virtualWifi.js';

/** Association plus DHCP, about what a board near its access point takes. */
const JOIN_MS = 1200;
/** How long a board tries before it reports a wrong password. */
const WRONG_PASSWORD_MS = 2500;
/** How long a scan takes. */
const SCAN_MS = 400;

function networksPy(): string {
  const rows = VIRTUAL_WIFI.map(
    (n) => `    (${JSON.stringify(n.ssid)}, ${JSON.stringify(n.password)}, ${n.rssi}, ${n.authmode}, ${n.channel}, bytes((${n.bssid.join(', ')},))),`,
  );
  return `_AIR = (\n${rows.join('\n')}\n)`;
}

export const NETWORK_PY = `
import _pinwheel
from time import ticks_ms as _ticks, ticks_diff as _diff, sleep_ms as _sleep_ms

STA_IF = 0
AP_IF = 1

STAT_IDLE = 1000
STAT_CONNECTING = 1001
STAT_GOT_IP = 1010
STAT_BEACON_TIMEOUT = 200
STAT_NO_AP_FOUND = 201
STAT_WRONG_PASSWORD = 202
STAT_ASSOC_FAIL = 203
STAT_HANDSHAKE_TIMEOUT = 204

AUTH_OPEN = 0
AUTH_WEP = 1
AUTH_WPA_PSK = 2
AUTH_WPA2_PSK = 3
AUTH_WPA_WPA2_PSK = 4

MODE_11B = 1
MODE_11G = 2
MODE_11N = 4

${networksPy()}
_JOIN_MS = ${JOIN_MS}
_WRONG_PASSWORD_MS = ${WRONG_PASSWORD_MS}
_NO_ADDRESS = ('0.0.0.0', '0.0.0.0', '0.0.0.0', '0.0.0.0')
_AP_ADDRESS = ('192.168.4.1', '255.255.255.0', '192.168.4.1', '0.0.0.0')
_hostname = ['esp32']
# Per interface: active, the network asked for (ssid, key, when) or None, config.
_state = [
    {'active': False, 'join': None, 'config': {}},
    {'active': False, 'join': None, 'config': {}},
]


def _find(ssid):
    for n in _AIR:
        if n[0] == ssid:
            return n
    return None


def _sta_status():
    st = _state[STA_IF]
    join = st['join']
    if not st['active'] or join is None:
        return STAT_IDLE
    ssid, key, since = join
    waited = _diff(_ticks(), since)
    n = _find(ssid)
    if n is None:
        return STAT_CONNECTING if waited < _JOIN_MS else STAT_NO_AP_FOUND
    if n[1] and n[1] != key:
        return STAT_CONNECTING if waited < _WRONG_PASSWORD_MS else STAT_WRONG_PASSWORD
    return STAT_CONNECTING if waited < _JOIN_MS else STAT_GOT_IP


def _online():
    return _sta_status() == STAT_GOT_IP


def hostname(name=None):
    if name is None:
        return _hostname[0]
    _hostname[0] = str(name)


class WLAN:
    def __init__(self, interface=STA_IF):
        if interface not in (STA_IF, AP_IF):
            raise ValueError('invalid WLAN interface identifier')
        self._if = interface

    def active(self, is_active=None):
        st = _state[self._if]
        if is_active is None:
            return st['active']
        st['active'] = bool(is_active)
        if not is_active:
            st['join'] = None
        return None

    def _started(self):
        if not _state[self._if]['active']:
            raise OSError('Wifi Not Started')

    def connect(self, ssid=None, key=None, *, bssid=None):
        if self._if != STA_IF:
            raise OSError('AP mode cannot connect')
        self._started()
        if ssid is None:
            ssid = _state[STA_IF]['config'].get('essid', '')
        _state[STA_IF]['join'] = (str(ssid), '' if key is None else str(key), _ticks())

    def disconnect(self):
        _state[self._if]['join'] = None

    def isconnected(self):
        if self._if == AP_IF:
            return False
        return _online()

    def status(self, param=None):
        if param is None:
            return _sta_status() if self._if == STA_IF else STAT_IDLE
        if param == 'rssi':
            if not _online():
                raise OSError('STA is not connected')
            return _find(_state[STA_IF]['join'][0])[2]
        if param == 'stations':
            return []
        raise ValueError('unknown status param')

    def scan(self):
        self._started()
        _sleep_ms(${SCAN_MS})
        return [(n[0].encode(), n[5], n[4], n[2], n[3], False) for n in _AIR]

    def ifconfig(self, config=None):
        if config is not None:
            if len(config) != 4:
                raise ValueError('ifconfig expects 4 addresses')
            _state[self._if]['config']['ifconfig'] = tuple(config)
            return None
        if self._if == AP_IF:
            return _AP_ADDRESS if _state[AP_IF]['active'] else _NO_ADDRESS
        if not _online():
            return _NO_ADDRESS
        return _state[STA_IF]['config'].get('ifconfig') or tuple(_pinwheel.wifi_ifconfig().split(' '))

    def ipconfig(self, *args, **kwargs):
        if args and args[0] == 'addr4':
            ip, mask = self.ifconfig()[:2]
            return (ip, mask)
        if args and args[0] == 'dhcp4':
            return True
        return None

    def config(self, *args, **kwargs):
        cfg = _state[self._if]['config']
        if kwargs:
            cfg.update(kwargs)
            return None
        if len(args) != 1:
            raise TypeError('can query only one param')
        name = args[0]
        if name == 'mac':
            import machine
            uid = machine.unique_id()
            return bytes((uid[0] & 0xFC | (2 if self._if == AP_IF else 0),)) + uid[1:6]
        if name in ('essid', 'ssid'):
            if self._if == STA_IF:
                join = _state[STA_IF]['join']
                return join[0] if join else cfg.get('essid', '')
            if 'essid' not in cfg:
                import machine
                cfg['essid'] = 'ESP_%02X%02X%02X' % tuple(machine.unique_id()[3:6])
            return cfg['essid']
        if name == 'hostname' or name == 'dhcp_hostname':
            return _hostname[0]
        if name == 'channel':
            join = _state[STA_IF]['join']
            n = _find(join[0]) if join else None
            return n[4] if n else 1
        if name in cfg:
            return cfg[name]
        raise ValueError('unknown config param')
`;
