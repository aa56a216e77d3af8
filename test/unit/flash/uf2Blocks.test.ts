// UF2 files built block by block in the test: parsed per family, damaged files
// refused, and a file for another chip family refused before it is copied.
import { describe, expect, it } from 'vitest';
import { UF2_FAMILY } from '../../../electron/common/flash/chips.js';
import { isUf2, parseUf2, validateUf2, UF2_BLOCK_BYTES } from '../../../electron/common/flash/uf2.js';
import { buildEspImage, buildUf2, concat } from '../../support/firmwareImages.js';

describe('parseUf2', () => {
  it('counts blocks, payload and the address range of one family', () => {
    const file = buildUf2({ familyId: UF2_FAMILY.RP2040, payloadBytes: 256 * 10 });
    expect(isUf2(file)).toBe(true);
    expect(parseUf2(file)).toEqual({
      blockCount: 10,
      families: [{ familyId: UF2_FAMILY.RP2040, blocks: 10, numBlocks: 10, lowAddress: 0x10000000, highAddress: 0x10000000 + 2560, payloadBytes: 2560 }],
    });
  });

  it('keeps an RP2350 absolute block apart from the image family', () => {
    const file = concat(buildUf2({ familyId: UF2_FAMILY.RP2350_ABSOLUTE, payloadBytes: 256 }), buildUf2({ familyId: UF2_FAMILY.RP2350_ARM_S, payloadBytes: 256 * 3 }));
    expect(parseUf2(file).families.map((f) => [f.familyId, f.blocks])).toEqual([
      [UF2_FAMILY.RP2350_ABSOLUTE, 1],
      [UF2_FAMILY.RP2350_ARM_S, 3],
    ]);
  });

  it('refuses partial blocks, broken magic, missing blocks and out-of-range numbers', () => {
    const file = buildUf2({ familyId: UF2_FAMILY.RP2040, payloadBytes: 256 * 4 });
    expect(() => parseUf2(file.subarray(0, file.length - 10))).toThrow(/not a whole number of 512-byte blocks/);
    const broken = file.slice();
    broken[UF2_BLOCK_BYTES + 508] = 0;
    expect(() => parseUf2(broken)).toThrow(/block 1 lacks the UF2 magic numbers/);
    expect(() => parseUf2(file.subarray(0, UF2_BLOCK_BYTES * 3))).toThrow(/holds 3 of its 4 blocks/);
    expect(() => parseUf2(buildUf2({ familyId: UF2_FAMILY.RP2040, payloadBytes: 256 * 4, claimedBlocks: 2 }))).toThrow(/numbered 2 of 2/);
    expect(() => parseUf2(new TextEncoder().encode('hello'))).toThrow(/not a UF2 firmware file/);
  });
});

describe('validateUf2', () => {
  it('accepts the right family', () => {
    expect(validateUf2({ file: buildUf2({ familyId: UF2_FAMILY.RP2040 }), chip: 'rp2040' })).toEqual([]);
    expect(validateUf2({ file: buildUf2({ familyId: UF2_FAMILY.RP2350_RISCV }), chip: 'rp2350' })).toEqual([]);
  });

  it('refuses an RP2040 file for an RP2350 and the other way round, naming the board to pick', () => {
    expect(validateUf2({ file: buildUf2({ familyId: UF2_FAMILY.RP2040 }), chip: 'rp2350' })).toEqual([
      { code: 'WRONG_FAMILY', severity: 'error', message: 'This firmware is for RP2040, but the board is an RP2350. Pick an RP2350 firmware (RPI_PICO2).' },
    ]);
    expect(validateUf2({ file: buildUf2({ familyId: UF2_FAMILY.RP2350_ARM_S }), chip: 'rp2040' })[0]?.message).toBe(
      'This firmware is for RP2350, but the board is an RP2040. Pick an RP2040 firmware (RPI_PICO).',
    );
    expect(validateUf2({ file: buildUf2({ familyId: 0x1234abcd }), chip: 'rp2040' })[0]?.message).toContain('family 0x1234abcd');
  });

  it('refuses an ESP .bin, a damaged file and a UF2 for an ESP; warns on a file without a family', () => {
    expect(validateUf2({ file: buildEspImage({ chip: 'esp32' }), chip: 'rp2040' })[0]?.code).toBe('BIN_FOR_UF2');
    expect(validateUf2({ file: buildUf2({ familyId: UF2_FAMILY.RP2040 }).subarray(0, 700), chip: 'rp2040' })[0]?.code).toBe('NOT_UF2');
    expect(validateUf2({ file: buildUf2({ familyId: UF2_FAMILY.RP2040 }), chip: 'esp32' })[0]?.code).toBe('UF2_FOR_ESP');
    expect(validateUf2({ file: buildUf2({}), chip: 'rp2040' })).toMatchObject([{ code: 'WRONG_FAMILY', severity: 'warning' }]);
  });
});
