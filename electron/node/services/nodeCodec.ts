/**
 * HostCodec for Node: zlib's async deflateRaw runs in libuv's thread pool and
 * sha256 is cheap, so neither blocks the process that talks to the board or
 * serves the UI.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { deflateRaw, constants } from 'node:zlib';
import type { HostCodec } from '../../common/board/HostCodec.js';

const deflateRawAsync = promisify(deflateRaw);

/** zlib's raw deflate accepts windowBits 9..15 (8 is silently raised to 9). */
const MIN_WBITS = 9;
const MAX_WBITS = 15;

export const nodeCodec: HostCodec = {
  async deflateRaw(data: Uint8Array, wbits: number): Promise<Uint8Array> {
    const windowBits = Math.min(MAX_WBITS, Math.max(MIN_WBITS, Math.floor(wbits)));
    const out = await deflateRawAsync(data, { windowBits, level: constants.Z_BEST_COMPRESSION, memLevel: 9 });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  },
  async sha256(data: Uint8Array): Promise<Uint8Array> {
    const digest = createHash('sha256').update(data).digest();
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
  },
};
