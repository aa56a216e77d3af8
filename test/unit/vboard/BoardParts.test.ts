import { describe, expect, it } from 'vitest';
import { CTL, CTL_WORDS, FLOATING, PART_INPUT, PART_INPUT_SLOTS } from '../../../electron/node/vboard/boardProtocol.js';
import { BoardParts } from '../../../electron/node/vboard/BoardParts.js';
import { BoardPeripherals } from '../../../electron/node/vboard/BoardPeripherals.js';
import { BoardPinLevels } from '../../../electron/node/vboard/BoardPinLevels.js';

function parts(): [BoardParts, Int32Array] {
  const ctl = new Int32Array(new SharedArrayBuffer(CTL_WORDS * 4));
  return [new BoardParts(new BoardPinLevels(ctl), new BoardPeripherals(ctl)), ctl];
}

/** A sensor value as the board's models read it: [temperature, humidity] in thousandths. */
function sensorWords(p: BoardParts, pin: number): [number, number] {
  const words = new Int32Array(p.inputs);
  return [words[pin * PART_INPUT_SLOTS + PART_INPUT.TEMPERATURE_MILLI_C]!, words[pin * PART_INPUT_SLOTS + PART_INPUT.HUMIDITY_MILLI_PERCENT]!];
}

describe('BoardParts', () => {
  it('gives sensors their defaults, then the values set, kept by id through rewiring', () => {
    const [p] = parts();
    p.set([
      { id: 'th', kind: 'dht22', pin: 15 },
      { id: 'probe', kind: 'ds18b20', pin: 4 },
    ]);
    expect(sensorWords(p, 15)).toEqual([22_500, 45_000]);
    expect(sensorWords(p, 4)[0]).toBe(21_000);
    p.setInput('th', { kind: 'dht22', temperature: -12.25, humidity: 80.5 });
    expect(sensorWords(p, 15)).toEqual([-12_250, 80_500]);
    // The same sensor moved to another pin keeps its value there.
    p.set([{ id: 'th', kind: 'dht22', pin: 16 }]);
    expect(sensorWords(p, 16)).toEqual([-12_250, 80_500]);
    expect(p.parts).toEqual([{ id: 'th', kind: 'dht22', pin: 16 }]);
  });

  it('fills in defaults and refuses an invalid wiring or input, changing nothing', () => {
    const [p] = parts();
    p.set([{ id: 'oled', kind: 'ssd1306', sda: 21, scl: 22 }]);
    expect(p.parts).toEqual([{ id: 'oled', kind: 'ssd1306', sda: 21, scl: 22, address: 0x3c }]);
    expect(() => p.set([{ id: 'a', kind: 'button', pin: 5 }, { id: 'b', kind: 'led', pin: 5, color: 'red' }])).toThrow('invalid parts wiring: [1]: GPIO 5 is already wired to a');
    expect(p.parts.map((x) => x.id)).toEqual(['oled']);
    expect(() => p.setInput('oled', { kind: 'dht22', temperature: 20, humidity: 50 })).toThrow('part "oled" is a ssd1306, not a dht22');
    expect(() => p.setInput('gone', { kind: 'button', pressed: true })).toThrow('no part "gone"');
  });

  it('puts button presses and knob positions on their pins, and lets go of them when the part is unwired', () => {
    const [p, ctl] = parts();
    p.set([
      { id: 'btn', kind: 'button', pin: 13 },
      { id: 'knob', kind: 'potentiometer', pin: 34 },
    ]);
    p.setInput('btn', { kind: 'button', pressed: true });
    p.setInput('knob', { kind: 'potentiometer', position: 0.25 });
    expect(ctl[CTL.PIN_INPUT_BASE + 13]).toBe(0);
    expect(ctl[CTL.ANALOG_INPUT_BASE + 34]).toBe(825_000);
    p.setInput('btn', { kind: 'button', pressed: false });
    expect(ctl[CTL.PIN_INPUT_BASE + 13]).toBe(FLOATING);
    p.setInput('btn', { kind: 'button', pressed: true });
    p.set([]);
    expect(ctl[CTL.PIN_INPUT_BASE + 13]).toBe(FLOATING);
    expect(ctl[CTL.ANALOG_INPUT_BASE + 34]).toBe(0);
  });
});
