/**
 * The board's `neopixel` driver (frozen into ESP32 firmware), written for the
 * virtual board: same class and methods as on a board, sending its bytes
 * through machine.bitstream, which reports them to the host.
 */
export const NEOPIXEL_PY = `
from machine import bitstream


class NeoPixel:
    # Byte order on the wire for a pixel given as (r, g, b[, w]): green first, as WS2812 parts take it.
    ORDER = (1, 0, 2, 3)

    def __init__(self, pin, n, bpp=3, timing=1):
        self.pin = pin
        self.n = n
        self.bpp = bpp
        self.buf = bytearray(n * bpp)
        self.pin.init(pin.OUT)
        # WS2812 bit timings in ns (high/low for a 0, then for a 1): 800 kHz, or 400 kHz with timing=0.
        self.timing = (((350, 850, 700, 600) if timing else (800, 1700, 1600, 900)) if isinstance(timing, int) else timing)

    def __len__(self):
        return self.n

    def __setitem__(self, i, v):
        base = i * self.bpp
        for k in range(self.bpp):
            self.buf[base + self.ORDER[k]] = v[k]

    def __getitem__(self, i):
        base = i * self.bpp
        return tuple(self.buf[base + self.ORDER[k]] for k in range(self.bpp))

    def fill(self, v):
        for i in range(self.n):
            self[i] = v

    def write(self):
        bitstream(self.pin, 0, self.timing, self.buf)
`;
