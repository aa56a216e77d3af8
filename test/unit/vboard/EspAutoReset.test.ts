import { describe, expect, it } from 'vitest';
import { EspAutoReset } from '../../../electron/node/vboard/serial/EspAutoReset.js';

describe('EspAutoReset', () => {
  it('holds the chip in reset while RTS is asserted and DTR released, and boots when that ends', () => {
    const circuit = new EspAutoReset();
    expect(circuit.setLines({ dtr: false, rts: false })).toBeUndefined();
    expect(circuit.setLines({ rts: true })).toBe('enter-reset');
    expect(circuit.heldInReset).toBe(true);
    expect(circuit.setLines({ rts: true })).toBeUndefined();
    expect(circuit.setLines({ dtr: true })).toBe('leave-reset');
    expect(circuit.heldInReset).toBe(false);
  });

  it('keeps a line that is not given', () => {
    const circuit = new EspAutoReset();
    circuit.setLines({ dtr: true });
    expect(circuit.setLines({ rts: true })).toBeUndefined(); // both asserted: EN stays high
    expect(circuit.setLines({ dtr: false })).toBe('enter-reset');
  });
});
