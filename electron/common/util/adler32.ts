/**
 * Adler-32 (RFC 1950) as its two halves. Boards without hashlib check an
 * upload with it (python/helpers.ts has the board's side); it catches the
 * damage a serial line does (lost, doubled or flipped bytes), which is what
 * the check is for, and is cheap enough for a Python loop on a small board.
 */
export const ADLER_MOD = 65521;

export function adler32(data: Uint8Array): { a: number; b: number } {
  let a = 1;
  let b = 0;
  // 3800 bytes keep b below 2^31 before the next modulo (zlib uses 5552 with unsigned 32 bits).
  for (let start = 0; start < data.length; start += 3800) {
    const end = Math.min(data.length, start + 3800);
    for (let i = start; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= ADLER_MOD;
    b %= ADLER_MOD;
  }
  return { a, b };
}
