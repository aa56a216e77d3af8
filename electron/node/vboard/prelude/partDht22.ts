/**
 * A DHT22 (AM2302) wired to a pin, as `machine._attach('dht', pin, 0, ...)`
 * takes it: each read() is one measurement of the values the host set on
 * the part (VirtualBoard.setPartInput), in the sensor's 5-byte frame.
 */
import { PART_INPUT } from '../boardProtocol.js';

export const PART_DHT22_PY = `

def _tenths(milli):
    # Rounded half away from zero: a reading is symmetric about 0 degrees.
    q = (abs(milli) + 50) // 100
    return -q if milli < 0 else q


class Dht22:
    def __init__(self, pin):
        self._pin = pin

    def read(self):
        h = _tenths(_pinwheel.part_input(self._pin, ${PART_INPUT.HUMIDITY_MILLI_PERCENT}))
        t = _tenths(_pinwheel.part_input(self._pin, ${PART_INPUT.TEMPERATURE_MILLI_C}))
        # Temperature: magnitude in tenths with bit 15 as the sign (not two's complement).
        t = (-t | 0x8000) if t < 0 else t
        frame = [h >> 8, h & 0xFF, t >> 8, t & 0xFF]
        return bytes(frame + [sum(frame) & 0xFF])
`;
