/**
 * How API messages travel over a byte-oriented transport such as the web
 * host's WebSocket. A message without bytes is a JSON text frame. A message
 * carrying Uint8Array values (file contents, MQTT payloads) is one binary
 * frame, so bytes are never inflated into base64 or a JSON number array:
 *
 *   [u32 little-endian: JSON length][JSON, UTF-8][the bytes, back to back]
 *
 * where each Uint8Array in the JSON is replaced by {"$bytes":[offset,length]}
 * into the trailing bytes. Electron IPC needs none of this: structured clone
 * carries Uint8Array as it is.
 */

/** The JSON stand-in for one Uint8Array inside a binary frame. */
const BYTES_KEY = '$bytes';
const HEADER_BYTES = 4;

export class FrameError extends Error {
  override readonly name = 'FrameError';
}

function isPlaceholder(value: unknown): value is { [BYTES_KEY]: [number, number] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === BYTES_KEY;
}

/** A text frame when `message` holds no bytes, else a binary frame (see above). */
export function encodeFrame(message: unknown): string | Uint8Array {
  const parts: Uint8Array[] = [];
  let offset = 0;
  const json = JSON.stringify(message, function (this: Record<string, unknown>, key: string, value: unknown) {
    // `this[key]` is the value before toJSON (Node's Buffer has one that would turn it into a number array).
    const original = this[key];
    if (original instanceof Uint8Array) {
      parts.push(original);
      const placeholder = { [BYTES_KEY]: [offset, original.length] };
      offset += original.length;
      return placeholder;
    }
    if (isPlaceholder(value)) throw new FrameError(`"${BYTES_KEY}" is reserved in API messages and cannot be sent as a key.`);
    return value;
  });
  if (parts.length === 0) return json;
  const head = new TextEncoder().encode(json);
  const frame = new Uint8Array(HEADER_BYTES + head.length + offset);
  new DataView(frame.buffer).setUint32(0, head.length, true);
  frame.set(head, HEADER_BYTES);
  let at = HEADER_BYTES + head.length;
  for (const part of parts) {
    frame.set(part, at);
    at += part.length;
  }
  return frame;
}

/** The message in a frame; throws FrameError for anything that is not a well-formed frame. */
export function decodeFrame(frame: string | Uint8Array): unknown {
  if (typeof frame === 'string') {
    try {
      return JSON.parse(frame);
    } catch {
      throw new FrameError('The message is not valid JSON.');
    }
  }
  if (frame.length < HEADER_BYTES) throw new FrameError('The binary frame is too short to hold its header.');
  const jsonLength = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0, true);
  if (jsonLength > frame.length - HEADER_BYTES) throw new FrameError('The binary frame is shorter than its header says.');
  const payload = frame.subarray(HEADER_BYTES + jsonLength);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(frame.subarray(HEADER_BYTES, HEADER_BYTES + jsonLength));
  } catch {
    throw new FrameError('The binary frame does not start with UTF-8 JSON.');
  }
  try {
    return JSON.parse(text, (_key, value: unknown) => {
      if (!isPlaceholder(value)) return value;
      const [start, length] = value[BYTES_KEY];
      if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 0 || start + length > payload.length) {
        throw new FrameError('A byte range in the binary frame lies outside its data.');
      }
      return payload.subarray(start, start + length);
    });
  } catch (err) {
    if (err instanceof FrameError) throw err;
    throw new FrameError('The binary frame does not start with valid JSON.');
  }
}
