import { describe, expect, it } from 'vitest';
import { ledBrightness, oledOutput, stripColors } from '../../../electron/node/services/board/partOutputs.js';

const board = (pwm: string | undefined, level: number | undefined) => ({
  pins: { getPin: () => level, onPinChange: () => ({ dispose() {} }), setInput: () => {} },
  peripherals: { get: (kind: string) => (kind === 'pwm' ? pwm : undefined) },
});

describe('what wired parts show', () => {
  it("an LED's brightness is its PWM duty while PWM drives the pin, else its level", () => {
    expect(ledBrightness(4, board('1000 32768', 0) as never)).toBeCloseTo(0.5, 3);
    expect(ledBrightness(4, board('1000 65535', 0) as never)).toBe(1);
    expect(ledBrightness(4, board('', 1) as never)).toBe(1);
    expect(ledBrightness(4, board(undefined, 0) as never)).toBe(0);
    expect(ledBrightness(4, board(undefined, undefined) as never)).toBe(0);
  });

  it("a strip's colours come from GRB bytes; LEDs past what was sent stay dark", () => {
    expect(stripColors('ff0000' + '00ff00' + '0000ff', 4)).toEqual(['#00ff00', '#ff0000', '#0000ff', '#000000']);
    expect(stripColors(undefined, 2)).toEqual(['#000000', '#000000']);
    expect(stripColors('zz', 1)).toEqual(['#000000']);
  });

  it("an OLED's state and memory pass through; before the board wrote any, it is off and blank", () => {
    const memory = Buffer.alloc(1024);
    memory[0] = 0x81;
    const shown = oledOutput(`1 0 207 ${memory.toString('hex')}`);
    expect(shown).toMatchObject({ kind: 'ssd1306', on: true, invert: false, contrast: 207 });
    expect(Buffer.from((shown as { image: string }).image, 'base64')[0]).toBe(0x81);
    const blank = oledOutput(undefined);
    expect(blank).toMatchObject({ on: false, invert: false });
    expect(Buffer.from((blank as { image: string }).image, 'base64').every((b) => b === 0)).toBe(true);
  });
});
