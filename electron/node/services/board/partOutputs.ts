/**
 * What a wired part shows, read from the virtual board's pins and
 * peripherals (boardProtocol.ts says how each peripheral's value is written):
 * an LED's brightness, a NeoPixel strip's colours, an OLED's picture.
 */
import type { PartOutput } from '../../../common/api/contract.js';
import type { PartWiring } from '../../../common/parts/partsWiring.js';
import type { VirtualBoardHost } from './Connection.js';

const FULL_DUTY_U16 = 65535;
const OLED_BYTES = 1024;

export function partOutput(part: PartWiring, board: Pick<VirtualBoardHost, 'pins' | 'peripherals'>): PartOutput | undefined {
  switch (part.kind) {
    case 'led':
      return { kind: 'led', brightness: ledBrightness(part.pin, board) };
    case 'neopixel':
      return { kind: 'neopixel', colors: stripColors(board.peripherals.get('bitstream', part.pin), part.count) };
    case 'ssd1306':
      return oledOutput(board.peripherals.get('oled', part.sda));
    default:
      return undefined;
  }
}

/** PWM duty while the pin drives PWM ("<freq> <duty_u16>"), else its level: 0 or 1. */
export function ledBrightness(pin: number, board: Pick<VirtualBoardHost, 'pins' | 'peripherals'>): number {
  const pwm = board.peripherals.get('pwm', pin);
  if (pwm) {
    const duty = Number(pwm.split(' ')[1]);
    if (Number.isFinite(duty)) return Math.max(0, Math.min(1, duty / FULL_DUTY_U16));
  }
  return board.pins.getPin(pin) === 1 ? 1 : 0;
}

/** The strip's colours from the bytes last sent to it (GRB per LED, as WS2812s take them); unlit past the end. */
export function stripColors(hex: string | undefined, count: number): string[] {
  const bytes = hex && /^[0-9a-f]*$/i.test(hex) ? hex.toLowerCase() : '';
  const colors: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = i * 6;
    if (at + 6 > bytes.length) {
      colors.push('#000000');
      continue;
    }
    const g = bytes.slice(at, at + 2);
    const r = bytes.slice(at + 2, at + 4);
    const b = bytes.slice(at + 4, at + 6);
    colors.push(`#${r}${g}${b}`);
  }
  return colors;
}

/** "<on> <invert> <contrast> <hex of 1024 bytes>", as the board's SSD1306 model publishes it; blank before it has. */
export function oledOutput(value: string | undefined): PartOutput {
  const [on, invert, contrast, hex] = (value ?? '').split(' ');
  const memory = hex && hex.length === OLED_BYTES * 2 ? Buffer.from(hex, 'hex') : Buffer.alloc(OLED_BYTES);
  const level = Number(contrast);
  return {
    kind: 'ssd1306',
    on: on === '1',
    invert: invert === '1',
    contrast: Number.isInteger(level) && level >= 0 && level <= 255 ? level : 0x7f,
    image: memory.toString('base64'),
  };
}
