/**
 * Base64 without Node's Buffer, so the engine, the renderer and the CLI share
 * one implementation. Chunked: String.fromCharCode with one argument per byte
 * overflows the call stack on files of a few hundred KB.
 */

/** Bytes per String.fromCharCode call: well under every engine's argument limit. */
const CHUNK_BYTES = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK_BYTES) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK_BYTES));
  return btoa(binary);
}

/** Decodes base64; white space (line breaks from a board's b2a_base64) is ignored. */
export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64.replace(/\s+/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function textToBase64(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}

/** Decodes UTF-8; bytes that are not UTF-8 become U+FFFD rather than failing. */
export function base64ToText(base64: string): string {
  return new TextDecoder('utf-8').decode(base64ToBytes(base64));
}
