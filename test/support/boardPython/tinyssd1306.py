# A small SSD1306 (128x64, I2C) driver for Pinwheel's tests, written for them.
# It speaks to the controller the way MicroPython's usual driver does: every
# command byte (arguments too) in a write of its own behind the 0x80 control
# byte, the picture as one writevto() behind 0x40, with the column and page
# ranges set before it, and the framebuffer's MONO_VLSB layout as GDDRAM's.
import framebuf

_DISPLAY_OFF = 0xAE
_DISPLAY_ON = 0xAF
_MEMORY_MODE = 0x20
_COLUMNS = 0x21
_PAGES = 0x22


class OLED(framebuf.FrameBuffer):
    def __init__(self, i2c, addr=0x3C, width=128, height=64):
        self.i2c = i2c
        self.addr = addr
        self.width = width
        self.pages = height // 8
        self.buffer = bytearray(width * self.pages)
        super().__init__(self.buffer, width, height, framebuf.MONO_VLSB)
        self._control = [b'\x40', None]
        self.setup(height)

    def command(self, *values):
        for v in values:
            self.i2c.writeto(self.addr, bytes((0x80, v)))

    def setup(self, height):
        self.command(_DISPLAY_OFF)
        self.command(_MEMORY_MODE, 0x00)  # horizontal addressing
        self.command(0x40)  # first display line 0
        self.command(0xA1, 0xC8)  # column 127 at SEG0, COM scanned upwards: upright picture
        self.command(0xA8, height - 1)  # multiplex ratio
        self.command(0xD3, 0x00, 0xDA, 0x12)  # display offset, COM pins
        self.command(0xD5, 0x80, 0xD9, 0xF1, 0xDB, 0x30)  # clock, pre-charge, VCOMH
        self.command(0x81, 0xFF, 0xA4, 0xA6)  # contrast, follow RAM, not inverted
        self.command(0xAD, 0x30)  # internal current reference
        self.command(0x8D, 0x14)  # charge pump on
        self.command(_DISPLAY_ON)
        self.fill(0)
        self.show()

    def contrast(self, level):
        self.command(0x81, level)

    def invert(self, on):
        self.command(0xA6 | (1 if on else 0))

    def power(self, on):
        self.command(_DISPLAY_ON if on else _DISPLAY_OFF)

    def show(self):
        self.command(_COLUMNS, 0, self.width - 1)
        self.command(_PAGES, 0, self.pages - 1)
        self._control[1] = self.buffer
        self.i2c.writevto(self.addr, self._control)
