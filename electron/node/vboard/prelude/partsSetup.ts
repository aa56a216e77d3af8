/**
 * The parts wired to the board (common/parts/partsWiring.ts) on the Python
 * side: the Python that attaches a model (partModels.ts) of each bus part
 * with `machine._attach` at boot, before user code runs. Parts that are only a pin level or a voltage (LED, button,
 * potentiometer, NeoPixel strip) need no model: the host reads and sets
 * their pins.
 */
import type { PartWiring } from '../../../common/parts/partsWiring.js';
import { importHiddenPy } from './preludeFiles.js';

/** One `machine._attach` call for a bus part; undefined for the parts the host handles alone. */
function attachPy(part: PartWiring): string | undefined {
  switch (part.kind) {
    case 'dht22':
      return `machine._attach('dht', ${part.pin}, 0, parts.Dht22(${part.pin}))`;
    case 'ds18b20':
      return `machine._attach('onewire', ${part.pin}, parts.DS18B20_ROM, parts.Ds18b20(${part.pin}))`;
    case 'ssd1306':
      // The bus is known by its SDA pin (machineI2c.ts).
      return `machine._attach('i2c', ${part.sda}, ${part.address}, parts.Ssd1306(${part.sda}))`;
    default:
      return undefined;
  }
}

/**
 * Python that attaches the bus parts of `parts`, leaving no names behind;
 * '' when there are none (the models are then never imported).
 */
export function partsSetupPy(parts: readonly PartWiring[]): string {
  const calls = parts.map(attachPy).filter((line): line is string => line !== undefined);
  if (calls.length === 0) return '';
  return `
def _pw_wire():
    import machine
${importHiddenPy('_pw_parts', 'parts')}
${calls.map((line) => `    ${line}`).join('\n')}

_pw_wire()
del _pw_wire
`;
}
