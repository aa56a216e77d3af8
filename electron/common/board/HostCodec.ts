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

/** Base64 without Node's Buffer (btoa over a binary string, in slices to keep the call stack small). */
export function toBase64(data: Uint8Array): string {
  let bin = '';
  const SLICE = 0x2000;
  for (let i = 0; i < data.length; i += SLICE) bin += String.fromCharCode(...data.subarray(i, i + SLICE));
  return btoa(bin);
}

export function fromBase64(text: string): Uint8Array {
  const bin = atob(text.replace(/\s+/g, ''));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
