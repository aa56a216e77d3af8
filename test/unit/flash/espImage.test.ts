// ESP image headers and the checks made before anything is erased: every
// refusal names what is wrong and what to pick instead.
import { describe, expect, it } from 'vitest';
import { CHIP_IDS, CHIPS, type ChipId } from '../../../electron/common/flash/chips.js';
import { parseEspImageHeader, validateImage } from '../../../electron/common/flash/espImage.js';
import { assertNoBlockingProblem, hasBlockingProblem } from '../../../electron/common/flash/ImageProblem.js';
import { isFlashError } from '../../../electron/common/flash/FlashError.js';
import { UF2_FAMILY } from '../../../electron/common/flash/chips.js';
import { buildEspImage, buildUf2 } from '../../support/firmwareImages.js';

const MB = 1024 * 1024;
const ESP_CHIPS = CHIP_IDS.filter((c) => CHIPS[c].method === 'esp-serial');

describe('parseEspImageHeader', () => {
  it.each(ESP_CHIPS)('reads the chip of a %s image', (chip: ChipId) => {
    expect(parseEspImageHeader(buildEspImage({ chip })).chip?.id).toBe(chip);
  });

  it('reads flash mode, size and frequency of an ESP32 image', () => {
    const h = parseEspImageHeader(buildEspImage({ chip: 'esp32', flashModeByte: 2, flashSizeCode: 2, flashFreqCode: 0xf }));
    expect(h).toMatchObject({ layout: 'esp32', segmentCount: 3, flashMode: 'dio', flashSizeBytes: 4 * MB, flashFrequencyMHz: 80, imageChipId: 0, entryPoint: 0x40080000 });
  });

  it('tells an ESP8266 image (no extended header) by its first segment address and uses its size codes', () => {
    const h = parseEspImageHeader(buildEspImage({ chip: 'esp8266', flashModeByte: 0, flashSizeCode: 4, flashFreqCode: 0 }));
    expect(h).toMatchObject({ layout: 'esp8266', flashMode: 'qio', flashSizeBytes: 4 * MB, flashFrequencyMHz: 40 });
    expect(h.imageChipId).toBeUndefined();
    expect(h.chip?.id).toBe('esp8266');
    expect(parseEspImageHeader(buildEspImage({ chip: 'esp8266', flashSizeCode: 2 })).flashSizeBytes).toBe(1 * MB);
  });

  it('reads the frequency only where the classic table applies', () => {
    expect(parseEspImageHeader(buildEspImage({ chip: 'esp32c6', flashFreqCode: 0 })).flashFrequencyMHz).toBeUndefined();
  });

  it('leaves an unknown chip id unresolved', () => {
    const h = parseEspImageHeader(buildEspImage({ chip: 'esp32', imageChipId: 99 }));
    expect(h.imageChipId).toBe(99);
    expect(h.chip).toBeUndefined();
  });

  it('throws a FlashError for bytes without the 0xE9 magic or a cut header', () => {
    expect(() => parseEspImageHeader(new TextEncoder().encode('<html>Not found</html>'))).toThrow(/not an ESP firmware image/);
    expect(() => parseEspImageHeader(buildEspImage({ chip: 'esp32' }).subarray(0, 20))).toThrow(/cut short/);
  });
});

describe('validateImage', () => {
  it.each(ESP_CHIPS)('accepts a %s image at its own offset', (chip: ChipId) => {
    expect(validateImage({ image: buildEspImage({ chip }), chip, offset: CHIPS[chip].flashOffset!, flashSizeBytes: 4 * MB })).toEqual([]);
  });

  it('refuses an ESP32-S3 image for an ESP32 and names the firmware to pick', () => {
    const problems = validateImage({ image: buildEspImage({ chip: 'esp32s3' }), chip: 'esp32', offset: 0x1000, flashSizeBytes: 4 * MB });
    expect(problems).toEqual([
      { code: 'WRONG_CHIP', severity: 'error', message: 'This firmware is for ESP32-S3, but the board is an ESP32. Pick an ESP32 firmware (ESP32_GENERIC).' },
    ]);
  });

  it('refuses an ESP32 image for an ESP8266 and the other way round', () => {
    expect(validateImage({ image: buildEspImage({ chip: 'esp32' }), chip: 'esp8266', offset: 0 })[0]?.message).toBe(
      'This firmware is for ESP32, but the board is an ESP8266. Pick an ESP8266 firmware (ESP8266_GENERIC).',
    );
    expect(validateImage({ image: buildEspImage({ chip: 'esp8266' }), chip: 'esp32', offset: 0x1000 })[0]?.code).toBe('WRONG_CHIP');
  });

  it('refuses the wrong offset with the right one', () => {
    expect(validateImage({ image: buildEspImage({ chip: 'esp32' }), chip: 'esp32', offset: 0 })).toEqual([
      { code: 'WRONG_OFFSET', severity: 'error', message: 'ESP32 firmware goes at 0x1000, not 0x0.' },
    ]);
    expect(validateImage({ image: buildEspImage({ chip: 'esp32c5' }), chip: 'esp32c5', offset: 0x1000 })[0]?.message).toBe('ESP32-C5 firmware goes at 0x2000, not 0x1000.');
    expect(validateImage({ image: buildEspImage({ chip: 'esp32s3' }), chip: 'esp32s3', offset: 0x1000 })[0]?.message).toBe('ESP32-S3 firmware goes at 0x0, not 0x1000.');
  });

  it('refuses an image that does not fit the flash, suggesting the smaller ESP8266 builds', () => {
    const [tooBig] = validateImage({ image: buildEspImage({ chip: 'esp8266', sizeBytes: 1100 * 1024 }), chip: 'esp8266', offset: 0, flashSizeBytes: 1 * MB });
    expect(tooBig?.code).toBe('TOO_BIG');
    expect(tooBig?.message).toContain("does not fit the board's 1 MB of flash");
    expect(tooBig?.message).toContain('ESP8266_GENERIC-FLASH_1M');
    // Counted from the offset: 4 MB at 0x1000 overflows a 4 MB flash.
    expect(validateImage({ image: buildEspImage({ chip: 'esp32', sizeBytes: 4 * MB }), chip: 'esp32', offset: 0x1000, flashSizeBytes: 4 * MB })[0]?.code).toBe('TOO_BIG');
  });

  it('warns (without refusing) when the header asks for more flash than the board has', () => {
    const problems = validateImage({ image: buildEspImage({ chip: 'esp8266', flashSizeCode: 4 }), chip: 'esp8266', offset: 0, flashSizeBytes: 1 * MB });
    expect(problems.map((p) => [p.code, p.severity])).toEqual([['FLASH_SIZE_MISMATCH', 'warning']]);
    expect(hasBlockingProblem(problems)).toBe(false);
  });

  it('refuses a file that is not an ESP image, a .uf2, an empty file and an unknown chip id', () => {
    const html = new TextEncoder().encode('<!doctype html><title>404</title>');
    expect(validateImage({ image: html, chip: 'esp32', offset: 0x1000 })[0]?.message).toBe(
      'This file is not an ESP firmware image (it does not start with 0xE9). Pick an ESP32 firmware (ESP32_GENERIC).',
    );
    const uf2 = validateImage({ image: buildUf2({ familyId: UF2_FAMILY.RP2040 }), chip: 'esp32c3', offset: 0 })[0];
    expect(uf2?.code).toBe('UF2_FOR_ESP');
    expect(uf2?.message).toContain('an ESP32-C3 needs a .bin image. Pick an ESP32-C3 firmware (ESP32_GENERIC_C3).');
    expect(validateImage({ image: new Uint8Array(0), chip: 'esp32', offset: 0x1000 })[0]?.code).toBe('EMPTY');
    expect(validateImage({ image: buildEspImage({ chip: 'esp32', imageChipId: 99 }), chip: 'esp32', offset: 0x1000 })[0]?.code).toBe('UNKNOWN_CHIP');
  });

  it('says a chip without a generic board needs a firmware built for it', () => {
    expect(validateImage({ image: buildEspImage({ chip: 'esp32' }), chip: 'esp32h2', offset: 0 })[0]?.message).toBe(
      'This firmware is for ESP32, but the board is an ESP32-H2. Pick a firmware built for ESP32-H2.',
    );
  });

  it('sends a UF2 chip to its drive', () => {
    expect(validateImage({ image: buildEspImage({ chip: 'esp32' }), chip: 'rp2040', offset: 0 })[0]?.message).toContain('RP2040 boards take a .uf2 file on their USB drive');
  });

  it('assertNoBlockingProblem throws a FlashError with every error message', () => {
    const problems = validateImage({ image: buildEspImage({ chip: 'esp32', sizeBytes: 5 * MB }), chip: 'esp32', offset: 0, flashSizeBytes: 4 * MB });
    expect(problems.map((p) => p.code)).toEqual(['WRONG_OFFSET', 'TOO_BIG']);
    try {
      assertNoBlockingProblem(problems);
      expect.unreachable();
    } catch (err) {
      expect(isFlashError(err, 'INVALID_IMAGE')).toBe(true);
      expect((err as Error).message).toMatch(/^ESP32 firmware goes at 0x1000, not 0x0\. This firmware \(5 MB at 0x0\)/);
    }
  });
});
