// Parts wired to the virtual board (issue 16, part 2): a DHT22, a DS18B20
// and an SSD1306 wired at start, read and drawn by the board's own drivers
// (and, for the display, a driver of the tests' own, tinyssd1306.py), with
// the values the host sets through setPartInput and the picture the host
// reads back as the 'oled' peripheral. One board; the rewiring comes last,
// as it resets the board.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartWiring } from '../../../electron/common/parts/partsWiring.js';
import type { PeripheralChange, VirtualBoard } from '../../../electron/node/vboard/VirtualBoard.js';
import { crc8 } from '../../helpers/dallasCrc8.js';
import { PtyBoards, enterRawRepl, pyLines, type PortClient } from './portClient.js';

const TINY_SSD1306 = readFileSync(new URL('../../support/boardPython/tinyssd1306.py', import.meta.url), 'utf8');

const DHT_PIN = 15;
const PROBE_PIN = 4;
const SDA = 21;
const WIRING: PartWiring[] = [
  { id: 'climate', kind: 'dht22', pin: DHT_PIN },
  { id: 'probe', kind: 'ds18b20', pin: PROBE_PIN },
  { id: 'screen', kind: 'ssd1306', sda: SDA, scl: 22, address: 0x3c },
  { id: 'btn', kind: 'button', pin: 13 },
  { id: 'knob', kind: 'potentiometer', pin: 34 },
];

const ptyBoards = new PtyBoards();
let board: VirtualBoard;
let client: PortClient;

beforeAll(async () => {
  [board, client] = await ptyBoards.open({ model: 'usb', parts: WIRING });
  await py(`with open('tinyssd1306.py', 'w') as f:\n    f.write(${JSON.stringify(TINY_SSD1306)})`);
});
afterAll(() => ptyBoards.closeAll('stop'));

/** Runs code on the board (err(f) defined); returns its printed lines (the board must raise nothing). */
const py = (code: string, timeoutMs?: number): Promise<string[]> => pyLines(client, code, timeoutMs);

describe('DHT22', () => {
  it('measures the values the host sets, a comfortable room until then, negative temperatures too', async () => {
    const measure = `import dht\nfrom machine import Pin\nd = dht.DHT22(Pin(${DHT_PIN}))\nd.measure()\nprint(d.temperature(), d.humidity())`;
    expect(await py(measure)).toEqual(['22.5 45.0']);
    board.setPartInput('climate', { kind: 'dht22', temperature: -7.3, humidity: 61.5 });
    expect(await py(measure)).toEqual(['-7.3 61.5']);
    board.setPartInput('climate', { kind: 'dht22', temperature: 31.04, humidity: 100 });
    // The sensor reports tenths.
    expect(await py(measure)).toEqual(['31.0 100.0']);
  });
});

describe('DS18B20', () => {
  const read = (extra = '') =>
    py(`import onewire, ds18x20, time\nfrom machine import Pin\nds = ds18x20.DS18X20(onewire.OneWire(Pin(${PROBE_PIN})))\nrom = ds.scan()[0]\n${extra}print(ds.read_temp(rom))`);

  it('has a DS18B20 ROM with a correct CRC, and answers on its pin only', async () => {
    const [roms, other] = await py(`import onewire\nfrom machine import Pin\nprint([bytes(r).hex() for r in onewire.OneWire(Pin(${PROBE_PIN})).scan()])\nprint(onewire.OneWire(Pin(5)).scan())`);
    const hex = JSON.parse(roms!.replace(/'/g, '"')) as string[];
    expect(hex).toHaveLength(1);
    const rom = [...Buffer.from(hex[0]!, 'hex')];
    expect(rom[0]).toBe(0x28);
    expect(rom[7]).toBe(crc8(rom.slice(0, 7)));
    expect(other).toBe('[]');
  });

  it('converts the temperature the host sets to 1/16 C, taking the conversion time, +85 C before the first', async () => {
    expect(Number((await read())[0])).toBe(85);
    // Read at once, the conversion has not ended: the register still holds what it held.
    expect(Number((await read('ds.convert_temp()\n'))[0])).toBe(85);
    expect(Number((await read('ds.convert_temp()\ntime.sleep_ms(750)\n'))[0])).toBe(21);
    for (const t of [23.4, -10.3]) {
      board.setPartInput('probe', { kind: 'ds18b20', temperature: t });
      expect(Number((await read('ds.convert_temp()\ntime.sleep_ms(750)\n'))[0])).toBe(Math.round(t * 16) / 16);
    }
  });
});

describe('SSD1306', () => {
  const oled = (): [string, string, string, string] => board.peripherals.get('oled', SDA)!.split(' ') as [string, string, string, string];

  it('is found by an I2C scan at its address; a bus with no part gives the empty-bus errors', async () => {
    const [scan, empty] = await py(`from machine import I2C, Pin\nprint(I2C(0, sda=Pin(${SDA}), scl=Pin(22)).scan())\nb = I2C(1, sda=Pin(26), scl=Pin(25))\nprint(b.scan(), err(lambda: b.writeto(0x3C, b'\\x80\\xaf')))`);
    expect(scan).toBe('[60]');
    expect(empty).toBe('[] OSError: [Errno 19] ENODEV');
  });

  it("shows what a driver draws: the host's GDDRAM is the program's buffer, reported once per write that changed it", async () => {
    const changes: PeripheralChange[] = [];
    const sub = board.peripherals.onChange((c) => c.kind === 'oled' && changes.push(c));
    const [bufferHex, length] = await py(`
from machine import I2C, Pin
import tinyssd1306
o = tinyssd1306.OLED(I2C(0, sda=Pin(${SDA}), scl=Pin(22)))
o.fill_rect(10, 20, 30, 12, 1)
o.text('Hi', 0, 0)
o.show()
print(bytes(o.buffer).hex())
print(len(o.buffer))
`);
    sub.dispose();
    expect(length).toBe('1024');
    const [on, invert, contrast, ram] = oled();
    expect([on, invert, contrast]).toEqual(['1', '0', '255']);
    expect(ram).toBe(bufferHex);
    const bytes = Buffer.from(ram, 'hex');
    // The rectangle, x 10-39 and rows 20-31: the top four bits of page 2, all of page 3, in page order.
    for (let x = 10; x < 40; x++) {
      expect(bytes[2 * 128 + x]).toBe(0xf0);
      expect(bytes[3 * 128 + x]).toBe(0xff);
    }
    expect(bytes.subarray(0, 16).some((b) => b !== 0)).toBe(true);
    // Setup: contrast and display on changed it (2); the blank show() did not; the drawing's did (1).
    expect(changes).toHaveLength(3);
    const count = changes.length;
    const sub2 = board.peripherals.onChange((c) => c.kind === 'oled' && changes.push(c));
    await py(`o.show()\no.contrast(64)\no.invert(True)`);
    expect(changes.length - count).toBe(2);
    expect(oled().slice(0, 3)).toEqual(['1', '1', '64']);
    await py('o.power(False)');
    sub2.dispose();
    expect(oled().slice(0, 3)).toEqual(['0', '1', '64']);
    expect(oled()[3]).toBe(bufferHex);
  });

  it('keeps page and vertical addressing as the controller does', async () => {
    // Page mode: page 5 from column 0x7E wraps to the column set; vertical mode: down the pages of column 3 first.
    await py(`
from machine import I2C, Pin
i2c = I2C(0, sda=Pin(${SDA}), scl=Pin(22))
i2c.writeto(0x3C, b'\\x00\\x20\\x02\\xb5\\x0e\\x17')
i2c.writevto(0x3C, [b'\\x40', b'\\x11\\x22\\x33'])
i2c.writeto(0x3C, b'\\x00\\x20\\x01\\x21\\x03\\x04\\x22\\x06\\x07')
i2c.writeto(0x3C, b'\\x40\\xaa\\xbb\\xcc')
`);
    const ram = Buffer.from(oled()[3], 'hex');
    expect([ram[5 * 128 + 0x7e], ram[5 * 128 + 0x7f], ram[5 * 128]]).toEqual([0x33, 0x22, 0]);
    expect([ram[6 * 128 + 3], ram[7 * 128 + 3], ram[6 * 128 + 4]]).toEqual([0xaa, 0xbb, 0xcc]);
  });
});

describe('buttons and potentiometers through setPartInput', () => {
  it('presses the button onto its pin and turns the knob onto its ADC pin; refuses unknown ids and other kinds', async () => {
    board.setPartInput('btn', { kind: 'button', pressed: true });
    board.setPartInput('knob', { kind: 'potentiometer', position: 0.5 });
    const [line] = await py('from machine import Pin, ADC\nprint(Pin(13, Pin.IN, Pin.PULL_UP).value(), ADC(Pin(34), atten=ADC.ATTN_11DB).read_uv())');
    const [level, uv] = line!.split(' ').map(Number);
    expect(level).toBe(0);
    expect(Math.abs(uv! - 1_650_000)).toBeLessThan(20_000);
    board.setPartInput('btn', { kind: 'button', pressed: false });
    expect(await py('from machine import Pin\nprint(Pin(13, Pin.IN, Pin.PULL_UP).value())')).toEqual(['1']);
    expect(() => board.setPartInput('nobody', { kind: 'button', pressed: true })).toThrow('no part "nobody"');
    expect(() => board.setPartInput('probe', { kind: 'dht22', temperature: 20, humidity: 50 })).toThrow('is a ds18b20, not a dht22');
  });
});

describe('rewiring', () => {
  it('refuses an invalid wiring, and applies a new one at the next boot, keeping the sensor values', async () => {
    expect(() => board.setParts([{ id: 'a', kind: 'dht22', pin: 40 }])).toThrow(/invalid parts wiring: \[0\]\.pin/);
    board.setParts([
      { id: 'probe', kind: 'ds18b20', pin: PROBE_PIN },
      { id: 'screen', kind: 'ssd1306', sda: SDA, scl: 22, address: 0x3d },
    ]);
    expect(board.parts.map((p) => p.id)).toEqual(['probe', 'screen']);
    // Until the next boot the running interpreter keeps its parts.
    expect(await py(`from machine import I2C, Pin\nprint(I2C(0, sda=Pin(${SDA}), scl=Pin(22)).scan())`)).toEqual(['[60]']);
    await board.reset();
    await client.waitFor('Type "help()" for more information.', 10_000);
    await enterRawRepl(client);
    const [scan, dht, temp] = await py(`
import dht, onewire, ds18x20, time
from machine import I2C, Pin
i2c = I2C(0, sda=Pin(${SDA}), scl=Pin(22))
print(i2c.scan(), err(lambda: i2c.writeto(0x3C, b'\\x80\\xaf')))
print(err(dht.DHT22(Pin(${DHT_PIN})).measure))
ds = ds18x20.DS18X20(onewire.OneWire(Pin(${PROBE_PIN})))
ds.convert_temp()
time.sleep_ms(750)
print(ds.read_temp(ds.scan()[0]))
`);
    expect(scan).toBe('[61] OSError: [Errno 19] ENODEV');
    expect(dht).toBe('OSError: [Errno 116] ETIMEDOUT');
    expect(Number(temp)).toBe(Math.round(-10.3 * 16) / 16);
  });
});
