/**
 * Parts wired to the virtual board, as the parts panel, the settings and
 * `pinwheel vboard --parts wiring.json` describe them: one entry per part,
 * each with the pin (or pins) it is wired to. The board reads the same list:
 * parts on a bus (DHT22, SSD1306, DS18B20) are Python models attached at
 * boot; the others (LED, button, potentiometer, NeoPixel strip) are the
 * host's view of a pin.
 */
import { z } from 'zod';

/** GPIO numbers an ESP32 has (the virtual board refuses the others). */
const Gpio = z.number().int().min(0).max(39);
const PartId = z.string().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/, 'a part id is letters, digits, - and _');

export const PartWiring = z.discriminatedUnion('kind', [
  /** An LED from the pin to ground: lit by a high level, dimmed by PWM duty. */
  z.object({ id: PartId, kind: z.literal('led'), pin: Gpio, color: z.enum(['red', 'green', 'blue', 'yellow', 'white']).default('red') }).strict(),
  /** A push button from the pin to ground: pressed reads 0, released floats (a pull-up reads 1). */
  z.object({ id: PartId, kind: z.literal('button'), pin: Gpio }).strict(),
  /** A potentiometer between 3.3 V and ground, its wiper on an ADC pin. */
  z.object({ id: PartId, kind: z.literal('potentiometer'), pin: Gpio }).strict(),
  /** A DHT22 (AM2302) temperature and humidity sensor on a data pin. */
  z.object({ id: PartId, kind: z.literal('dht22'), pin: Gpio }).strict(),
  /** A strip of WS2812 ("NeoPixel") LEDs on a data pin. */
  z.object({ id: PartId, kind: z.literal('neopixel'), pin: Gpio, count: z.number().int().min(1).max(64) }).strict(),
  /** A 128x64 SSD1306 OLED on I2C. */
  z.object({ id: PartId, kind: z.literal('ssd1306'), sda: Gpio, scl: Gpio, address: z.number().int().min(0x08).max(0x77).default(0x3c) }).strict(),
  /** A DS18B20 temperature sensor on a 1-Wire data pin. */
  z.object({ id: PartId, kind: z.literal('ds18b20'), pin: Gpio }).strict(),
]);
export type PartWiring = z.infer<typeof PartWiring>;
/** A part as written before the check fills in its defaults (an SSD1306's address, an LED's colour). */
export type PartWiringInput = z.input<typeof PartWiring>;
export type PartKind = PartWiring['kind'];

/** A whole breadboard: ids unique, and no two parts driving or owning the same pin. */
export const PartsWiring = z
  .array(PartWiring)
  .max(16)
  .superRefine((parts, ctx) => {
    const ids = new Set<string>();
    const owners = new Map<number, string>();
    for (const [i, part] of parts.entries()) {
      if (ids.has(part.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `two parts are called "${part.id}"` });
      ids.add(part.id);
      for (const pin of partPins(part)) {
        const other = owners.get(pin);
        // Several parts may share an I2C bus (different addresses); nothing else shares a pin.
        if (other !== undefined && !(part.kind === 'ssd1306' && other.startsWith('ssd1306:'))) {
          ctx.addIssue({ code: 'custom', path: [i], message: `GPIO ${pin} is already wired to ${other.replace(/^ssd1306:/, '')}` });
        }
        owners.set(pin, part.kind === 'ssd1306' ? `ssd1306:${part.id}` : part.id);
      }
    }
  });
export type PartsWiring = z.infer<typeof PartsWiring>;

/** The pins a part is wired to. */
export function partPins(part: PartWiring): number[] {
  return part.kind === 'ssd1306' ? [part.sda, part.scl] : [part.pin];
}

/** Values the person sets on a part: a button's press, a slider. */
export const PartInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('button'), pressed: z.boolean() }).strict(),
  /** The wiper's position, 0 (ground) to 1 (3.3 V). */
  z.object({ kind: z.literal('potentiometer'), position: z.number().min(0).max(1) }).strict(),
  /** The DHT22's range: -40 to 80 °C, 0 to 100 %. */
  z.object({ kind: z.literal('dht22'), temperature: z.number().min(-40).max(80), humidity: z.number().min(0).max(100) }).strict(),
  /** The DS18B20's range: -55 to 125 °C. */
  z.object({ kind: z.literal('ds18b20'), temperature: z.number().min(-55).max(125) }).strict(),
]);
export type PartInput = z.infer<typeof PartInput>;

/**
 * A wiring from outside (a file, a setting), checked: the parts, or one line
 * naming each problem by its place in the list ("[1].pin: ..."), for people
 * who wrote the JSON by hand.
 */
export function parsePartsWiring(value: unknown): { ok: true; parts: PartsWiring } | { ok: false; problem: string } {
  const result = PartsWiring.safeParse(value);
  if (result.success) return { ok: true, parts: result.data };
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    return where ? `${where.replace(/^\./, '')}: ${issue.message}` : issue.message;
  });
  return { ok: false, problem: problems.join('; ') };
}
