/**
 * Compression and hashing the file engine needs from its host. The engine is
 * pure (no Node, no DOM), so the host injects these; the Node implementation
 * (electron/node/services/nodeCodec.ts) runs zlib and sha256 off the main thread.
 */
export interface HostCodec {
  /** Raw deflate (no zlib/gzip header) with a window of 2^wbits bytes, so the board's DeflateIO(RAW, wbits) can inflate it. */
  deflateRaw(data: Uint8Array, wbits: number): Promise<Uint8Array>;
  sha256(data: Uint8Array): Promise<Uint8Array>;
}

export function toHex(data: Uint8Array): string {
  let s = '';
  for (const b of data) s += b.toString(16).padStart(2, '0');
  return s;
}
