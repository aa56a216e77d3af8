/**
 * An SSD1306's 128x64 picture, drawn two screen pixels per display pixel from
 * the controller's memory as the board holds it: 8 pages of 128 bytes, each
 * byte a column of 8 rows with bit 0 on top.
 */
import { useEffect, useRef } from 'react';
import type { PartOutput } from '../../../../electron/common/api/contract.js';

export const OLED_WIDTH = 128;
export const OLED_HEIGHT = 64;
const SCALE = 2;
const LIT = [0x9b, 0xd8, 0xff];
const DARK = [0x06, 0x0a, 0x10];

/** Whether display pixel (x, y) is lit in `memory` (before invert and on/off). */
export function oledPixel(memory: Uint8Array, x: number, y: number): boolean {
  return ((memory[(y >> 3) * OLED_WIDTH + x] ?? 0) >> (y & 7)) & 1 ? true : false;
}

export function OledDisplay({ label, output }: { label: string; output: Extract<PartOutput, { kind: 'ssd1306' }> | undefined }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(OLED_WIDTH * SCALE, OLED_HEIGHT * SCALE);
    const memory = output ? Uint8Array.from(atob(output.image), (c) => c.charCodeAt(0)) : new Uint8Array(0);
    // Contrast dims the lit pixels a little, as the panel does; it never turns them off.
    const dim = output ? 0.55 + 0.45 * (output.contrast / 255) : 1;
    for (let y = 0; y < OLED_HEIGHT * SCALE; y++) {
      for (let x = 0; x < OLED_WIDTH * SCALE; x++) {
        const lit = !!output?.on && oledPixel(memory, x >> 1, y >> 1) !== output.invert;
        const color = lit ? LIT.map((c) => Math.round(c * dim)) : DARK;
        const at = (y * OLED_WIDTH * SCALE + x) * 4;
        image.data[at] = color[0]!;
        image.data[at + 1] = color[1]!;
        image.data[at + 2] = color[2]!;
        image.data[at + 3] = 255;
      }
    }
    context.putImageData(image, 0, 0);
  }, [output]);
  return (
    <canvas
      ref={canvas}
      className="part-oled"
      width={OLED_WIDTH * SCALE}
      height={OLED_HEIGHT * SCALE}
      data-testid="part-oled"
      data-on={output?.on ? 'true' : 'false'}
      role="img"
      aria-label={`${label}: ${output?.on ? 'on' : 'off'}`}
    />
  );
}
