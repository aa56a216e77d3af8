/**
 * The parts wired to the board's buses, as Python objects the peripheral
 * classes talk to: `machine._attach(kind, pin, address, device)` wires one.
 * Nothing is wired by default: a bus with no part answers as an empty one
 * does on a board (I2C: OSError ENODEV; SPI: 0xFF; 1-Wire: no presence; DHT:
 * ETIMEDOUT). A simulated part (an SSD1306 at 0x3C, a DS18B20, a DHT22) is a
 * Python object the host installs through this registry.
 *
 * Keys and what each kind of device implements (duck-typed):
 * - 'i2c', pin = SDA pin, address = 7-bit address: write(bytes) for a write
 *   transaction's data, read(n) -> bytes for a read transaction;
 * - 'spi', pin = the CS pin that selects it, address 0: transfer(bytes) ->
 *   bytes, called while its CS pin is driven low;
 * - 'onewire', pin = data pin, address = its 8-byte ROM: command(byte) after
 *   the bus selected it, write(byte), read() -> byte;
 * - 'dht', pin = data pin, address 0: read() -> the 5 bytes of a measurement.
 */
export const MACHINE_PARTS_PY = `

_parts = {}


def _attach(kind, pin, address, device):
    _parts[(kind, pin, address)] = device


def _detach(kind, pin, address):
    _parts.pop((kind, pin, address), None)


def _part(kind, pin, address):
    return _parts.get((kind, pin, address))


def _parts_on(kind, pin):
    return [(k[2], d) for k, d in _parts.items() if k[0] == kind and k[1] == pin]
`;
