# A small MQTT 3.1.1 client for MicroPython, written for Pinwheel's tests from
# the MQTT 3.1.1 specification. It uses exactly the socket calls the common
# board libraries use (socket.socket, getaddrinfo(...)[0][-1], connect,
# settimeout, setblocking, write(buf, n), read(n), close), so a virtual board
# that runs it runs them too. QoS 0 and 1; no will, no TLS.
import socket
import struct


class MQTTException(Exception):
    pass


def _encode_length(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return out


def _string(s):
    if isinstance(s, str):
        s = s.encode()
    return struct.pack('!H', len(s)) + s


class MQTTClient:
    def __init__(self, client_id, server, port=1883, user=None, password=None, keepalive=0):
        self.client_id = client_id
        self.server = server
        self.port = port
        self.user = user
        self.password = password
        self.keepalive = keepalive
        self.sock = None
        self.callback = None
        self.next_id = 0

    def set_callback(self, f):
        self.callback = f

    def _packet(self, kind, body):
        self.sock.write(bytes((kind,)) + _encode_length(len(body)) + body)

    def _read_length(self):
        n = 0
        shift = 0
        while True:
            b = self.sock.read(1)[0]
            n |= (b & 0x7F) << shift
            if not b & 0x80:
                return n
            shift += 7

    def connect(self, clean_session=True, timeout=None):
        self.sock = socket.socket()
        if timeout is not None:
            self.sock.settimeout(timeout)
        addr = socket.getaddrinfo(self.server, self.port)[0][-1]
        self.sock.connect(addr)
        flags = 0x02 if clean_session else 0
        payload = _string(self.client_id)
        if self.user is not None:
            flags |= 0x80
            payload += _string(self.user)
            if self.password is not None:
                flags |= 0x40
                payload += _string(self.password)
        variable = _string('MQTT') + bytes((4, flags)) + struct.pack('!H', self.keepalive)
        body = variable + payload
        # The whole packet in one write, with its length given: as the common clients write it.
        packet = bytes((0x10,)) + _encode_length(len(body)) + body
        self.sock.write(packet, len(packet))
        ack = self.sock.read(4)
        if len(ack) != 4 or ack[0] != 0x20 or ack[1] != 2:
            raise MQTTException('bad CONNACK', ack)
        if ack[3] != 0:
            raise MQTTException(ack[3])
        return ack[2] & 1

    def disconnect(self):
        self.sock.write(b'\xe0\x00')
        self.sock.close()

    def ping(self):
        self.sock.write(b'\xc0\x00')

    def publish(self, topic, msg, retain=False, qos=0):
        if isinstance(msg, str):
            msg = msg.encode()
        body = _string(topic)
        if qos:
            self.next_id = self.next_id % 65535 + 1
            pid = self.next_id
            body += struct.pack('!H', pid)
        self._packet(0x30 | (qos << 1) | (1 if retain else 0), body + msg)
        if qos == 1:
            while True:
                kind = self.wait_msg()
                if kind == 0x40:
                    n = self.sock.read(1)[0]
                    got = struct.unpack('!H', self.sock.read(2))[0]
                    if got == pid:
                        return

    def subscribe(self, topic, qos=0):
        self.next_id = self.next_id % 65535 + 1
        pid = self.next_id
        self._packet(0x82, struct.pack('!H', pid) + _string(topic) + bytes((qos,)))
        while True:
            kind = self.wait_msg()
            if kind == 0x90:
                rest = self.sock.read(4)
                if struct.unpack('!H', rest[1:3])[0] == pid:
                    if rest[3] == 0x80:
                        raise MQTTException('subscription refused')
                    return

    def wait_msg(self):
        # One packet: a PUBLISH goes to the callback; other kinds are returned
        # with only their first byte read. None when a non-blocking socket has nothing.
        first = self.sock.read(1)
        if first is None:
            return None
        if first == b'':
            raise OSError(-1)
        kind = first[0]
        if kind == 0xD0:  # PINGRESP
            self.sock.read(1)
            return None
        if kind & 0xF0 != 0x30:
            return kind & 0xF0
        self.sock.setblocking(True)
        length = self._read_length()
        topic_len = struct.unpack('!H', self.sock.read(2))[0]
        topic = self.sock.read(topic_len)
        length -= topic_len + 2
        qos = (kind >> 1) & 3
        if qos:
            pid = struct.unpack('!H', self.sock.read(2))[0]
            length -= 2
        msg = self.sock.read(length)
        if self.callback:
            self.callback(topic, msg)
        if qos == 1:
            self.sock.write(b'\x40\x02' + struct.pack('!H', pid))

    def check_msg(self):
        self.sock.setblocking(False)
        try:
            return self.wait_msg()
        finally:
            self.sock.setblocking(True)
