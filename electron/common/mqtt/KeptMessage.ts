/**
 * How TopicStore keeps one message: the payload packed into a one-byte
 * string when small, else copied onto a buffer of its own, and the record
 * with as few fields and boxes as V8 allows (the store holds millions).
 */
import type { MessageProperties, QoS, StoredMessage } from './TopicStore.js';

/** A copy of the first `length` bytes on a buffer of its own (Buffer#slice would give a view, not a copy). */
export function copyBytes(bytes: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(length === bytes.byteLength ? bytes : bytes.subarray(0, length));
  return out;
}

/**
 * Whether `bytes` is a window on a larger buffer. mqtt.js hands out payloads
 * as slices of the socket's chunk: kept as they are, each would hold the whole
 * chunk in memory, unseen by the cap.
 */
export function isWindow(bytes: Uint8Array): boolean {
  return bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength;
}

/** The properties, with a windowed correlationData copied for the same reason as payloads. */
export function ownProperties(properties: MessageProperties | undefined): MessageProperties | undefined {
  const correlation = properties?.correlationData;
  if (correlation === undefined || !isWindow(correlation)) return properties;
  return { ...properties, correlationData: copyBytes(correlation, correlation.byteLength) };
}

/**
 * Payloads up to this many bytes are kept packed in a one-byte JS string (one
 * character per byte) instead of a Uint8Array. A Uint8Array costs ~230 B of
 * heap (the typed array and its ArrayBuffer) plus a native backing store
 * whatever its length; a one-byte string costs 16 B of header plus its bytes
 * rounded up to 8. Below 256 B that fixed cost is most of a message's memory
 * (sensor readings, JSON telemetry, commands); above, it is under half of it
 * and shrinking, while packing and unpacking (byte by byte, on every add and
 * every hand-out) grows with the length.
 */
export const PACK_MAX_BYTES = 256;

/**
 * The first `length` bytes as a one-byte string. V8 keeps a string made by
 * String.fromCharCode one-byte when every code is below 256, and allocates it
 * on its own (never a slice of another string).
 */
export function pack(bytes: Uint8Array, length: number): string {
  return String.fromCharCode.apply(null, (length === bytes.byteLength ? bytes : bytes.subarray(0, length)) as unknown as number[]);
}

/** The first `length` bytes of a packed payload, on a buffer of their own. */
function unpack(data: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = data.charCodeAt(i);
  return out;
}

/** The first `length` bytes of `bytes` as the store keeps them: packed when small, else a copy on a buffer of its own. */
export function keep(bytes: Uint8Array, length: number): string | Uint8Array {
  return length <= PACK_MAX_BYTES ? pack(bytes, length) : copyBytes(bytes, length);
}

/** Times are kept as two small integers (V8 Smis, stored in the object) rather than one double (a 16 B box of its own). */
const TIME_SPLIT = 2 ** 21;
const FLAG_BITS = 3;
const RETAIN_FLAG = 4;

/**
 * A kept message as the store holds it: seven fields, the payload packed or a
 * Uint8Array, QoS, retain and the time in two integers. It is a StoredMessage
 * through getters (add() returns it as is, allocating nothing more);
 * `toStored()` makes the plain object that history(), message() hand out. A
 * cut copy is a new record, so what add() returned stays as it was.
 */
export class KeptMessage implements StoredMessage {
  readonly seq: number;
  readonly topic: string;
  /** The kept bytes: packed (one char a byte) up to PACK_MAX_BYTES, else a Uint8Array. */
  readonly data: string | Uint8Array;
  readonly size: number;
  /** receivedAt = timeHigh * TIME_SPLIT + (timeLowFlags >> FLAG_BITS) when timeLowFlags >= 0; else timeHigh is receivedAt itself (not a safe integer). */
  private readonly timeHigh: number;
  /** The time's low part above FLAG_BITS bits of QoS and retain; negative (-1 - flags) when timeHigh is the whole time. */
  private readonly timeLowFlags: number;
  readonly properties: MessageProperties | undefined;

  constructor(seq: number, topic: string, data: string | Uint8Array, size: number, timeHigh: number, timeLowFlags: number, properties: MessageProperties | undefined) {
    this.seq = seq;
    this.topic = topic;
    this.data = data;
    this.size = size;
    this.timeHigh = timeHigh;
    this.timeLowFlags = timeLowFlags;
    this.properties = properties;
  }

  static create(seq: number, topic: string, data: string | Uint8Array, size: number, qos: QoS, retain: boolean, receivedAt: number, properties: MessageProperties | undefined): KeptMessage {
    const flags = qos | (retain ? RETAIN_FLAG : 0);
    if (!Number.isSafeInteger(receivedAt)) return new KeptMessage(seq, topic, data, size, receivedAt, -1 - flags, properties);
    const high = Math.floor(receivedAt / TIME_SPLIT);
    return new KeptMessage(seq, topic, data, size, high, (receivedAt - high * TIME_SPLIT) * (1 << FLAG_BITS) + flags, properties);
  }

  /** Bytes of payload kept (what the cap counts). */
  get keptBytes(): number {
    return this.data.length;
  }

  get payload(): Uint8Array {
    const data = this.data;
    return typeof data === 'string' ? unpack(data, data.length) : data;
  }

  get truncated(): boolean {
    return this.data.length < this.size;
  }

  private get flags(): number {
    const lowFlags = this.timeLowFlags;
    return lowFlags < 0 ? -1 - lowFlags : lowFlags & ((1 << FLAG_BITS) - 1);
  }

  get qos(): QoS {
    return (this.flags & 3) as QoS;
  }

  get retain(): boolean {
    return (this.flags & RETAIN_FLAG) !== 0;
  }

  get receivedAt(): number {
    const lowFlags = this.timeLowFlags;
    return lowFlags < 0 ? this.timeHigh : this.timeHigh * TIME_SPLIT + (lowFlags >>> FLAG_BITS);
  }

  /** The first `length` bytes of the payload, on a buffer of their own (a copy even when packed). */
  previewBytes(length: number): Uint8Array {
    const data = this.data;
    if (typeof data === 'string') return unpack(data, Math.min(length, data.length));
    return data.byteLength <= length ? data : copyBytes(data, length);
  }

  /** A copy of this message with its payload cut to `length` bytes (less than it keeps now). */
  cut(length: number): KeptMessage {
    const data = this.data;
    const bytes = typeof data === 'string' ? unpack(data, length) : data;
    return new KeptMessage(this.seq, this.topic, keep(bytes, length), this.size, this.timeHigh, this.timeLowFlags, this.properties);
  }

  /** The plain public shape, for handing out. */
  toStored(): StoredMessage {
    return {
      seq: this.seq,
      topic: this.topic,
      payload: this.payload,
      size: this.size,
      truncated: this.truncated,
      qos: this.qos,
      retain: this.retain,
      receivedAt: this.receivedAt,
      properties: this.properties,
    };
  }
}
