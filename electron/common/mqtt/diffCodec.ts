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

/** The f64 figures of an entry, in order (for the decoder's messages). */
const ENTRY_FIGURES = ['message count', 'rate', 'sequence number', 'time', 'size'] as const;

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

/**
 * Reads a block `encodeTopicDiff` wrote. The constructor checks the whole
 * block (every length, range and name) and throws DiffCodecError for anything
 * else, so a malformed block is refused before any of it is used; the entries
 * are then built `next(count)` at a time, so a window can spread a flood's
 * 10,000-topic diff over several short tasks.
 */
export class TopicDiffReader {
  readonly reset: boolean;
  readonly firstNewId: number;
  readonly memory: MemoryUse;
  readonly topicCount: number;
  readonly messageCount: number;
  readonly changedCount: number;
  readonly removedIds: number[];
  private readonly view: DataView;
  /** Where each entry starts; where its name's bytes start when it has one (0: none), checked as UTF-8 while walking. */
  private readonly starts: Uint32Array;
  private readonly nameStarts: Uint32Array;
  private read = 0;

  constructor(private readonly bytes: Uint8Array) {
    const view = (this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
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
    this.reset = (view.getUint8(1) & FLAG_RESET) !== 0;
    at = 2;
    this.topicCount = u32('the topic count');
    this.messageCount = f64('message count');
    this.memory = { usedBytes: f64('memory use'), capBytes: f64('memory cap'), evictedMessages: f64('eviction count'), evictedBytes: f64('evicted bytes') };
    this.firstNewId = u32('the first new id');
    const changedCount = (this.changedCount = u32('the change count'));
    // Each entry takes at least this much: a count that cannot fit is refused before anything is allocated for it.
    if (changedCount * (4 + ENTRY_FIXED_BYTES) > bytes.length - at) throw new DiffCodecError('The topic diff claims more changes than it holds.');
    this.starts = new Uint32Array(changedCount);
    this.nameStarts = new Uint32Array(changedCount);
    for (let i = 0; i < changedCount; i++) {
      this.starts[i] = at;
      const id = u32('a topic id');
      if (id >= this.firstNewId) {
        const length = u32('a topic name length');
        need(length, 'a topic name');
        // Checked here, made into strings only as the entries are read: a flood's first diff names 10,000 topics.
        if (!isUtf8(bytes, at, at + length)) throw new DiffCodecError('A topic name in the diff is not UTF-8.');
        this.nameStarts[i] = at;
        at += length;
      }
      need(5 * 8, 'a topic\'s figures');
      for (let k = 0; k < 5; k++, at += 8) {
        const value = view.getFloat64(at, true);
        if (!Number.isFinite(value) || value < 0) throw new DiffCodecError(`The topic diff has an impossible ${ENTRY_FIGURES[k]} (${value}).`);
      }
      need(1, 'flags');
      const bits = view.getUint8(at);
      at += 1;
      if ((bits & 3) > 2 || bits > 15) throw new DiffCodecError(`The topic diff has impossible flags (${bits}).`);
      const previewLength = u32('a preview length');
      need(previewLength, 'a preview');
      at += previewLength;
    }
    const removedCount = u32('the removal count');
    need(removedCount * 4, 'the removed topics');
    this.removedIds = new Array<number>(removedCount);
    for (let i = 0; i < removedCount; i++) this.removedIds[i] = u32('a removed id');
    if (at !== bytes.length) throw new DiffCodecError(`The topic diff has ${bytes.length - at} bytes after its end.`);
  }

  /** Entry i's topic name, when the diff gives it (checked as UTF-8 by the constructor). */
  private name(i: number): string | undefined {
    const start = this.nameStarts[i]!;
    if (start === 0) return undefined;
    return decoder.decode(this.bytes.subarray(start, start + this.view.getUint32(start - 4, true)));
  }

  /** Entries not yet built. */
  get remaining(): number {
    return this.changedCount - this.read;
  }

  /**
   * Reads the next `count` entries (fewer at the end) into one cursor, handed
   * to `visit` for each in turn: nothing is allocated per entry, so a flood's
   * diffs make no garbage for the page's collector. The cursor is valid only
   * during its call.
   */
  visit(count: number, visit: (entry: DiffEntryCursor) => void): void {
    const end = Math.min(this.changedCount, this.read + count);
    const cursor = (this.cursor ??= new DiffEntryCursor(this.bytes, this.view));
    for (let i = this.read; i < end; i++) {
      cursor.moveTo(this.starts[i]!, this.name(i));
      visit(cursor);
    }
    this.read = end;
  }

  private cursor: DiffEntryCursor | undefined;

  /** Builds the next `count` entries (fewer at the end). */
  next(count: number): WireTopicChange[] {
    const end = Math.min(this.changedCount, this.read + count);
    const out: WireTopicChange[] = new Array(end - this.read);
    const { view, bytes } = this;
    for (let i = this.read; i < end; i++) {
      let at = this.starts[i]!;
      const id = view.getUint32(at, true);
      at += 4;
      const topic = this.name(i);
      if (topic !== undefined) at += 4 + view.getUint32(at, true);
      const count = view.getFloat64(at, true);
      const rate = view.getFloat64(at + 8, true);
      const seq = view.getFloat64(at + 16, true);
      const receivedAt = view.getFloat64(at + 24, true);
      const size = view.getFloat64(at + 32, true);
      const bits = view.getUint8(at + 40);
      const previewLength = view.getUint32(at + 41, true);
      // A copy: a view would keep this whole block (megabytes under a flood) alive for as long as the topic's summary.
      const preview = bytes.slice(at + 45, at + 45 + previewLength);
      const change: WireTopicChange = { id, count, rate, last: { seq, preview, size, qos: (bits & 3) as QoS, retain: (bits & 4) !== 0, receivedAt }, retained: (bits & 8) !== 0 };
      if (topic !== undefined) change.topic = topic;
      out[i - this.read] = change;
    }
    this.read = end;
    return out;
  }
}

/** The whole block at once (see TopicDiffReader). */
export function decodeTopicDiff(bytes: Uint8Array): WireTopicDiff {
  const reader = new TopicDiffReader(bytes);
  const changed = reader.next(reader.changedCount);
  const { reset, firstNewId, removedIds, memory, topicCount, messageCount } = reader;
  return { reset, firstNewId, changed, removedIds, memory, topicCount, messageCount };
}

/** One entry of a diff, read in place (TopicDiffReader.visit). */
export class DiffEntryCursor {
  id = 0;
  /** Present when the diff names the topic (it is new). */
  topic: string | undefined;
  count = 0;
  rate = 0;
  seq = 0;
  receivedAt = 0;
  size = 0;
  qos: QoS = 0;
  retain = false;
  retained = false;
  previewLength = 0;
  private previewAt = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly view: DataView,
  ) {}

  /** `at`: where the entry starts (checked by the reader's constructor). */
  moveTo(at: number, topic: string | undefined): void {
    const { view } = this;
    this.id = view.getUint32(at, true);
    at += 4;
    this.topic = topic;
    if (topic !== undefined) at += 4 + view.getUint32(at, true);
    this.count = view.getFloat64(at, true);
    this.rate = view.getFloat64(at + 8, true);
    this.seq = view.getFloat64(at + 16, true);
    this.receivedAt = view.getFloat64(at + 24, true);
    this.size = view.getFloat64(at + 32, true);
    const bits = view.getUint8(at + 40);
    this.qos = (bits & 3) as QoS;
    this.retain = (bits & 4) !== 0;
    this.retained = (bits & 8) !== 0;
    this.previewLength = view.getUint32(at + 41, true);
    this.previewAt = at + 45;
  }

  /** Copies the preview into `into` (previewLength bytes long). */
  copyPreview(into: Uint8Array): void {
    const { bytes, previewAt } = this;
    for (let i = 0; i < this.previewLength; i++) into[i] = bytes[previewAt + i]!;
  }
}

/** Whether bytes[start, end) are well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF), without making a string. */
export function isUtf8(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  let i = start;
  while (i < end) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let code: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min, code] = [1, 0x80, b & 0x1f];
    else if (b >= 0xe0 && b <= 0xef) [need, min, code] = [2, 0x800, b & 0x0f];
    else if (b >= 0xf0 && b <= 0xf4) [need, min, code] = [3, 0x10000, b & 0x07];
    else return false;
    if (i + need >= end) return false;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return false;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}
