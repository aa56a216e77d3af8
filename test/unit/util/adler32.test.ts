import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { adler32 } from '../../../electron/common/util/adler32.js';
import { xorshift32 } from '../../helpers/random.js';

describe('adler32', () => {
  it('matches the RFC 1950 example and zlib on every size up to past the modulo step', () => {
    const { a, b } = adler32(new TextEncoder().encode('Wikipedia'));
    expect(((b << 16) | a) >>> 0).toBe(0x11e60398);
    for (const size of [0, 1, 255, 3799, 3800, 3801, 20_000, 100_000]) {
      const next = xorshift32(size + 1);
      // Every third byte 255: the largest sums, where an overflow would show.
      const data = Uint8Array.from({ length: size }, (_, i) => (i % 3 === 0 ? 255 : next() & 0xff));
      // zlib's stream ends with the Adler-32 of the data, big-endian.
      const z = deflateSync(data);
      const expected = z.readUInt32BE(z.length - 4);
      const got = adler32(data);
      expect(((got.b << 16) | got.a) >>> 0, `size ${size}`).toBe(expected);
    }
  });
});
