/**
 * The board's `dht` driver (frozen into ESP32 firmware), written for the
 * virtual board: DHT11 and DHT22 over esp.dht_readinto, which reads a sensor
 * wired to the pin (machineParts.ts) or times out with nothing there.
 */
export const DHT_PY = `
from _pw_esp import dht_readinto  # "esp" until setup names it (setup.ts)


class DHTBase:
    def __init__(self, pin):
        self.pin = pin
        self.buf = bytearray(5)

    def measure(self):
        buf = self.buf
        dht_readinto(self.pin, buf)
        if (buf[0] + buf[1] + buf[2] + buf[3]) & 0xFF != buf[4]:
            raise Exception('checksum error')


class DHT11(DHTBase):
    def humidity(self):
        return self.buf[0]

    def temperature(self):
        return self.buf[2]


class DHT22(DHTBase):
    def humidity(self):
        # Tenths as integers divided once: exact to a tenth, as the ESP32's single-precision floats print it.
        return (self.buf[0] << 8 | self.buf[1]) / 10

    def temperature(self):
        t = ((self.buf[2] & 0x7F) << 8 | self.buf[3]) / 10
        return -t if self.buf[2] & 0x80 else t
`;
