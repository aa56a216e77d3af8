/**
 * The ESP ROM loader / flasher stub command protocol (Espressif's "Serial
 * Protocol" documentation): packet layouts, opcodes, status codes and the
 * data checksum. Pure functions, so unit tests can check them without a pty.
 */

export const DIRECTION_REQUEST = 0x00;
export const DIRECTION_RESPONSE = 0x01;
/** direction u8, op u8, length u16, checksum/value u32. */
export const HEADER_BYTES = 8;

export const Op = {
  FLASH_BEGIN: 0x02,
  FLASH_DATA: 0x03,
  FLASH_END: 0x04,
  MEM_BEGIN: 0x05,
  MEM_END: 0x06,
  MEM_DATA: 0x07,
  SYNC: 0x08,
  WRITE_REG: 0x09,
  READ_REG: 0x0a,
  SPI_SET_PARAMS: 0x0b,
  SPI_ATTACH: 0x0d,
  CHANGE_BAUDRATE: 0x0f,
  FLASH_DEFL_BEGIN: 0x10,
  FLASH_DEFL_DATA: 0x11,
  FLASH_DEFL_END: 0x12,
  SPI_FLASH_MD5: 0x13,
  GET_SECURITY_INFO: 0x14,
  // Stub only.
  ERASE_FLASH: 0xd0,
  ERASE_REGION: 0xd1,
  READ_FLASH: 0xd2,
  RUN_USER_CODE: 0xd3,
} as const;

/** The ROM loaders' error codes (second status byte). */
export const RomError = {
  INVALID_MESSAGE: 0x05,
  FAILED_TO_ACT: 0x06,
  INVALID_CRC: 0x07,
  FLASH_WRITE_ERROR: 0x08,
  FLASH_READ_ERROR: 0x09,
  FLASH_READ_LENGTH_ERROR: 0x0a,
  DEFLATE_ERROR: 0x0b,
} as const;

/** The flasher stub's error codes (second status byte). */
export const StubError = {
  BAD_DATA_LEN: 0xc0,
  BAD_DATA_CHECKSUM: 0xc1,
  BAD_BLOCKSIZE: 0xc2,
  INVALID_COMMAND: 0xc3,
  FAILED_SPI_OP: 0xc4,
  FAILED_SPI_UNLOCK: 0xc5,
  NOT_IN_FLASH_MODE: 0xc6,
  INFLATE_ERROR: 0xc7,
  NOT_ENOUGH_DATA: 0xc8,
  TOO_MUCH_DATA: 0xc9,
} as const;

/** The seed of the XOR checksum over *_DATA payloads. */
export const CHECKSUM_SEED = 0xef;

/** SYNC's payload: 07 07 12 20 then 32 bytes of 0x55 (to let the ROM measure the baud rate). */
export const SYNC_PAYLOAD = Uint8Array.from([0x07, 0x07, 0x12, 0x20, ...new Array<number>(32).fill(0x55)]);

/** *_DATA payloads start with size, seq and two reserved words before the data. */
export const DATA_PREFIX_BYTES = 16;

export interface Request {
  op: number;
  checksum: number;
  data: Uint8Array;
}

export function checksumOf(data: Uint8Array): number {
  let state = CHECKSUM_SEED;
  for (const b of data) state ^= b;
  return state;
}

/** A decoded request, or a reason it is not one (wrong direction, length mismatch). */
export function parseRequest(packet: Uint8Array): Request | { error: string } {
  if (packet.length < HEADER_BYTES) return { error: `short packet (${packet.length} bytes)` };
  if (packet[0] !== DIRECTION_REQUEST) return { error: `not a request (direction ${packet[0]})` };
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const length = view.getUint16(2, true);
  const data = packet.subarray(HEADER_BYTES);
  if (data.length !== length) return { error: `length field ${length} but ${data.length} data bytes` };
  return { op: packet[1]!, checksum: view.getUint32(4, true), data };
}

/** Builds a request packet (unframed), as a host would: for tests of the simulator. */
export function buildRequest(op: number, data: Uint8Array, checksum = 0): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + data.length);
  const view = new DataView(out.buffer);
  out[0] = DIRECTION_REQUEST;
  out[1] = op;
  view.setUint16(2, data.length, true);
  view.setUint32(4, checksum >>> 0, true);
  out.set(data, HEADER_BYTES);
  return out;
}

/**
 * A response packet (unframed): header with `value`, then `data`, then the
 * status bytes (status, error, and zero padding up to `statusBytes`).
 */
export function buildResponse(op: number, value: number, data: Uint8Array, status: { error: number; statusBytes: number }): Uint8Array {
  const body = new Uint8Array(data.length + status.statusBytes);
  body.set(data, 0);
  body[data.length] = status.error === 0 ? 0 : 1;
  body[data.length + 1] = status.error;
  const out = new Uint8Array(HEADER_BYTES + body.length);
  const view = new DataView(out.buffer);
  out[0] = DIRECTION_RESPONSE;
  out[1] = op;
  view.setUint16(2, body.length, true);
  view.setUint32(4, value >>> 0, true);
  out.set(body, HEADER_BYTES);
  return out;
}

export function u32(data: Uint8Array, index: number): number {
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(index * 4, true);
}

export function u32Words(...words: number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w >>> 0, true));
  return out;
}
