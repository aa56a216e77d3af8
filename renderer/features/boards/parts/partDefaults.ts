/**
 * New parts for the parts panel: their names, and the pin each is wired to
 * first: the one tutorials for the ESP32 use, else the next free pin that can
 * do the job (an ADC pin for a potentiometer, I2C's usual 21/22 for the OLED).
 */
import { partPins, type PartKind, type PartWiring } from '../../../../electron/common/parts/partsWiring.js';

export const PART_LABELS: Readonly<Record<PartKind, string>> = {
  led: 'LED',
  button: 'Push button',
  potentiometer: 'Potentiometer',
  dht22: 'DHT22 sensor',
  neopixel: 'NeoPixel strip',
  ssd1306: 'SSD1306 OLED',
  ds18b20: 'DS18B20 sensor',
};

/** Pins worth trying first, per kind. */
const PREFERRED_PINS: Readonly<Record<Exclude<PartKind, 'ssd1306'>, readonly number[]>> = {
  led: [4, 16, 17, 18, 19, 23, 25, 26, 27],
  button: [15, 0, 13, 14, 12, 27],
  potentiometer: [34, 35, 32, 33, 36, 39],
  dht22: [13, 14, 27, 26],
  neopixel: [5, 18, 19, 23],
  ds18b20: [14, 27, 26, 25],
};

/** A new part of `kind`, wired to free pins, with an id not taken yet. */
export function newPart(kind: PartKind, wiring: readonly PartWiring[]): PartWiring {
  const used = new Set(wiring.flatMap(partPins));
  let n = 1;
  while (wiring.some((p) => p.id === `${kind}-${n}`)) n++;
  const id = `${kind}-${n}`;
  if (kind === 'ssd1306') {
    const shared = wiring.find((p): p is Extract<PartWiring, { kind: 'ssd1306' }> => p.kind === 'ssd1306');
    // A second display shares the first one's bus at the other address an SSD1306 can take.
    return shared ? { id, kind, sda: shared.sda, scl: shared.scl, address: shared.address === 0x3c ? 0x3d : 0x3c } : { id, kind, sda: 21, scl: 22, address: 0x3c };
  }
  const pin = PREFERRED_PINS[kind].find((p) => !used.has(p)) ?? firstFree(used);
  switch (kind) {
    case 'led':
      return { id, kind, pin, color: 'red' };
    case 'neopixel':
      return { id, kind, pin, count: 8 };
    default:
      return { id, kind, pin };
  }
}

function firstFree(used: ReadonlySet<number>): number {
  for (let pin = 0; pin < 40; pin++) if (!used.has(pin)) return pin;
  return 0;
}
