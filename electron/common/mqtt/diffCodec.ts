/**
 * The explorer's topic diffs on the wire: one compact binary block per diff
 * instead of JSON. A busy broker changes 10,000 topics between two diffs; as
 * JSON that was ~2.5 MB per diff, and encoding it (a replacer visiting every
 * key), validating it with zod at both ends and parsing it in the page were
 * where the flood benchmark's time went. Here a topic is named by its
 * store id, its name sent only in the diff where it is new (or in the
 * `mqtt.topics` snapshot), and the decoder checks every length and range, so a
 * malformed block is refused whole (DiffCodecError) rather than half applied.
 *
 * Layout, little-endian:
 *   u8 version (1) | u8 flags (1: reset)
 *   u32 topicCount | f64 messageCount | f64 usedBytes | f64 capBytes | f64 evictedMessages | f64 evictedBytes
 *   u32 firstNewId | u32 changed
 *   per changed: u32 id | [u32 nameBytes | name, when id >= firstNewId]
 *                f64 count | f64 rate | f64 seq | f64 receivedAt | f64 size | u8 qos + retain<<2 + retained<<3
 *                u32 previewBytes | preview
 *   u32 removed | u32 id per removed topic
 */
import type { MemoryUse, QoS, TopicDiff } from './TopicStore.js';

const VERSION = 1;
const FLAG_RESET = 1;
const HEADER_BYTES = 2 + 4 + 8 * 5 + 4 + 4;
/** Fixed part of one changed entry, besides the id, the name and the preview. */
const ENTRY_FIXED_BYTES = 8 * 5 + 1 + 4;

export class DiffCodecError extends Error {
  override readonly name = 'DiffCodecError';
}

/** One changed topic as the renderer receives it: `topic` is absent when the diff did not name it (known already). */
export interface WireTopicChange {
  id: number;
  topic?: string;
  count: number;
  rate: number;
  last: { seq: number; preview: Uint8Array; size: number; qos: QoS; retain: boolean; receivedAt: number };
  retained: boolean;
}

export interface WireTopicDiff {
  reset: boolean;
  firstNewId: number;
  changed: WireTopicChange[];
  removedIds: number[];
  memory: MemoryUse;
  topicCount: number;
  messageCount: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeTopicDiff(diff: TopicDiff): Uint8Array {
  const names: (Uint8Array | undefined)[] = [];
  let size = HEADER_BYTES + 4 + 4 * diff.removedIds.length;
  for (const change of diff.changed) {
    const name = change.id >= diff.firstNewId ? encoder.encode(change.topic) : undefined;
    names.push(name);
    size += 4 + (name ? 4 + name.length : 0) + ENTRY_FIXED_BYTES + change.last.preview.length;
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  view.setUint8(at, VERSION);
  view.setUint8(at + 1, diff.reset ? FLAG_RESET : 0);
  at += 2;
  view.setUint32(at, diff.topicCount, true);
  at += 4;
  for (const value of [diff.messageCount, diff.memory.usedBytes, diff.memory.capBytes, diff.memory.evictedMessages, diff.memory.evictedBytes]) {
    view.setFloat64(at, value, true);
    at += 8;
  }
  view.setUint32(at, diff.firstNewId, true);
  view.setUint32(at + 4, diff.changed.length, true);
  at += 8;
  diff.changed.forEach((change, index) => {
    view.setUint32(at, change.id, true);
    at += 4;
    const name = names[index];
    if (name) {
      view.setUint32(at, name.length, true);
      out.set(name, at + 4);
      at += 4 + name.length;
    }
    const { last } = change;
    for (const value of [change.count, change.rate, last.seq, last.receivedAt, last.size]) {
      view.setFloat64(at, value, true);
      at += 8;
    }
    view.setUint8(at, last.qos | (last.retain ? 4 : 0) | (change.retained ? 8 : 0));
    view.setUint32(at + 1, last.preview.length, true);
    out.set(last.preview, at + 5);
    at += 5 + last.preview.length;
  });
  view.setUint32(at, diff.removedIds.length, true);
  at += 4;
  for (const id of diff.removedIds) {
    view.setUint32(at, id, true);
    at += 4;
  }
  return out;
}

/** Reads a block `encodeTopicDiff` wrote; throws DiffCodecError for anything else. Previews are views into `bytes`. */
export function decodeTopicDiff(bytes: Uint8Array): WireTopicDiff {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const need = (count: number, what: string) => {
    if (at + count > bytes.length) throw new DiffCodecError(`The topic diff ends inside ${what}.`);
  };
  const u32 = (what: string) => {
    need(4, what);
    const value = view.getUint32(at, true);
    at += 4;
    return value;
  };
  const f64 = (what: string) => {
    need(8, what);
    const value = view.getFloat64(at, true);
    at += 8;
    if (!Number.isFinite(value) || value < 0) throw new DiffCodecError(`The topic diff has an impossible ${what} (${value}).`);
    return value;
  };

  need(2, 'its header');
  if (view.getUint8(0) !== VERSION) throw new DiffCodecError(`The topic diff is version ${view.getUint8(0)}; this window reads version ${VERSION}.`);
  const flags = view.getUint8(1);
  at = 2;
  const topicCount = u32('the topic count');
  const messageCount = f64('message count');
  const memory: MemoryUse = { usedBytes: f64('memory use'), capBytes: f64('memory cap'), evictedMessages: f64('eviction count'), evictedBytes: f64('evicted bytes') };
  const firstNewId = u32('the first new id');
  const changedCount = u32('the change count');
  // Each entry takes at least this much: a count that cannot fit is refused before anything is allocated for it.
  if (changedCount * (4 + ENTRY_FIXED_BYTES) > bytes.length - at) throw new DiffCodecError('The topic diff claims more changes than it holds.');
  const changed: WireTopicChange[] = new Array(changedCount);
  for (let i = 0; i < changedCount; i++) {
    const id = u32('a topic id');
    let topic: string | undefined;
    if (id >= firstNewId) {
      const length = u32('a topic name length');
      need(length, 'a topic name');
      try {
        topic = decoder.decode(bytes.subarray(at, at + length));
      } catch {
        throw new DiffCodecError('A topic name in the diff is not UTF-8.');
      }
      at += length;
    }
    const count = f64('message count');
    const rate = f64('rate');
    const seq = f64('sequence number');
    const receivedAt = f64('time');
    const size = f64('size');
    need(1, 'flags');
    const bits = view.getUint8(at);
    at += 1;
    const qos = bits & 3;
    if (qos > 2 || bits > 15) throw new DiffCodecError(`The topic diff has impossible flags (${bits}).`);
    const previewLength = u32('a preview length');
    need(previewLength, 'a preview');
    const preview = bytes.subarray(at, at + previewLength);
    at += previewLength;
    changed[i] = { id, ...(topic !== undefined ? { topic } : {}), count, rate, last: { seq, preview, size, qos: qos as QoS, retain: (bits & 4) !== 0, receivedAt }, retained: (bits & 8) !== 0 };
  }
  const removedCount = u32('the removal count');
  need(removedCount * 4, 'the removed topics');
  const removedIds = new Array<number>(removedCount);
  for (let i = 0; i < removedCount; i++) removedIds[i] = u32('a removed id');
  if (at !== bytes.length) throw new DiffCodecError(`The topic diff has ${bytes.length - at} bytes after its end.`);
  return { reset: (flags & FLAG_RESET) !== 0, firstNewId, changed, removedIds, memory, topicCount, messageCount };
}
