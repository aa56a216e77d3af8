/**
 * A 128x64 SSD1306 OLED on I2C, as `machine._attach('i2c', sda, address, ...)`
 * takes it: a model of the controller's command set (the datasheet's
 * fundamental, addressing and hardware configuration commands; scrolling is
 * accepted and ignored) and its 1024-byte GDDRAM. Each I2C write is one
 * transaction of control bytes and the bytes they announce; what it changed
 * on the screen goes to the host once it ends ('oled', boardProtocol.ts).
 */
export const PART_SSD1306_PY = `

_WIDTH = 128
_PAGES = 8
_HORIZONTAL, _VERTICAL, _PAGE = 0, 1, 2
# Argument bytes each multi-byte command takes; every other command is one byte.
_ARGS = {
    0x20: 1, 0x21: 2, 0x22: 2, 0x81: 1, 0x8D: 1, 0xA3: 2, 0xA8: 1, 0xAD: 1,
    0xD3: 1, 0xD5: 1, 0xD9: 1, 0xDA: 1, 0xDB: 1,
    0x26: 6, 0x27: 6, 0x29: 5, 0x2A: 5,
}


class Ssd1306:
    def __init__(self, sda):
        self._sda = sda
        # GDDRAM in page order: byte page * 128 + column, bit 0 the page's top row.
        self.ram = bytearray(_WIDTH * _PAGES)
        # The controller's reset state (datasheet, "Reset"): display off, contrast 0x7F, page addressing.
        self.on = 0
        self.invert = 0
        self.contrast = 0x7F
        self.entire_on = 0
        self.seg_remap = 0
        self.com_reversed = 0
        self.start_line = 0
        self.mode = _PAGE
        self.cols = (0, _WIDTH - 1)
        self.pages = (0, _PAGES - 1)
        self.col = 0
        self.page = 0
        # Page mode's column start (set by 0x00-0x1F), where its pointer wraps to.
        self._page_col = 0
        # A command whose argument bytes are still to come (they may arrive in later transactions).
        self._cmd = None
        self._changed = False

    def write(self, data):
        i, n = 0, len(data)
        while i < n:
            control = data[i]
            i += 1
            if control & 0x80:
                # Co = 1: one byte (command or data by D/C#), then another control byte.
                if i < n:
                    if control & 0x40:
                        self._data(data[i:i + 1])
                    else:
                        self._command(data[i])
                    i += 1
            else:
                # Co = 0: the rest of the transaction is data (D/C# = 1) or commands.
                if control & 0x40:
                    self._data(data[i:])
                else:
                    for b in data[i:]:
                        self._command(b)
                break
        if self._changed:
            self._changed = False
            _pinwheel.periph_report('oled', self._sda, '%d %d %d %s' % (self.on, self.invert, self.contrast, bytes(self.ram).hex()))

    def read(self, n):
        # The status byte: D6 is 1 while the display is off.
        return bytes([0 if self.on else 0x40] * n)

    def _set(self, name, value):
        if getattr(self, name) != value:
            setattr(self, name, value)
            self._changed = True

    def _command(self, b):
        cmd = self._cmd
        if cmd is not None:
            cmd.append(b)
            if len(cmd) > _ARGS[cmd[0]]:
                self._cmd = None
                self._run(cmd[0], cmd[1:])
        elif b in _ARGS:
            self._cmd = bytearray((b,))
        else:
            self._run(b, b'')

    def _run(self, op, args):
        if op in (0xAE, 0xAF):
            self._set('on', op & 1)
        elif op in (0xA6, 0xA7):
            self._set('invert', op & 1)
        elif op == 0x81:
            self._set('contrast', args[0])
        elif op in (0xA4, 0xA5):
            self.entire_on = op & 1
        elif op in (0xA0, 0xA1):
            self.seg_remap = op & 1
        elif 0xC0 <= op <= 0xCF:
            self.com_reversed = op >> 3 & 1
        elif 0x40 <= op <= 0x7F:
            self.start_line = op & 0x3F
        elif op == 0x20:
            if args[0] & 3 != 3:
                self.mode = args[0] & 3
        elif op == 0x21:
            self.cols = (args[0] & 0x7F, args[1] & 0x7F)
            self.col = self.cols[0]
        elif op == 0x22:
            self.pages = (args[0] & 7, args[1] & 7)
            self.page = self.pages[0]
        elif self.mode == _PAGE and 0xB0 <= op <= 0xB7:
            self.page = op & 7
        elif self.mode == _PAGE and op <= 0x0F:
            self._page_col = self.col = self.col & 0x70 | op
        elif self.mode == _PAGE and op <= 0x1F:
            self._page_col = self.col = self.col & 0x0F | (op & 7) << 4
        # Multiplex, offset, clock, charge pump, pre-charge, VCOMH, COM pins, scrolling:
        # they shape the panel's drive, not what the host draws.

    def _store(self, at, chunk):
        ram = self.ram
        if ram[at:at + len(chunk)] != chunk:
            ram[at:at + len(chunk)] = chunk
            self._changed = True

    def _data(self, data):
        i, n = 0, len(data)
        while i < n:
            if self.mode == _VERTICAL:
                self._store(self.page * _WIDTH + self.col, data[i:i + 1])
                i += 1
                if self.page < self.pages[1]:
                    self.page += 1
                else:
                    self.page = self.pages[0]
                    self.col = self.col + 1 if self.col < self.cols[1] else self.cols[0]
                continue
            # Horizontal and page mode: runs of columns on one page at a time.
            last = self.cols[1] if self.mode == _HORIZONTAL else _WIDTH - 1
            take = min(n - i, last - self.col + 1) if self.col <= last else 1
            self._store(self.page * _WIDTH + self.col, data[i:i + take])
            i += take
            self.col += take
            if self.col > last or self.col >= _WIDTH:
                if self.mode == _PAGE:
                    self.col = self._page_col
                else:
                    self.col = self.cols[0]
                    self.page = self.page + 1 if self.page < self.pages[1] else self.pages[0]
`;
