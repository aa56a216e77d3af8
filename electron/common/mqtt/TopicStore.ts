/**
 * The explorer's model of one MQTT connection, kept in the main process: every
 * topic seen, with its counts, rate, last message and a bounded history, under
 * one memory cap for the whole store. The renderer never sees the store; it
 * gets `takeDiff()`'s summaries of what changed, at most ten times a second.
 */

import { copyBytes, isWindow, keep, KeptMessage, ownProperties, pack, PACK_MAX_BYTES } from './KeptMessage.js';
import { heapPop, heapPush } from './seqHeap.js';
import { TopicNode } from './TopicNode.js';

export { PACK_MAX_BYTES } from './KeptMessage.js';
export { RATE_WINDOW_SECONDS, TOPIC_BYTES_PER_CODE_UNIT } from './TopicNode.js';

export type QoS = 0 | 1 | 2;

/** MQTT 5 properties of a PUBLISH as the explorer shows them (all optional; 3.1.1 has none). */
export interface MessageProperties {
  contentType?: string;
  responseTopic?: string;
  correlationData?: Uint8Array;
  payloadFormatIndicator?: boolean;
  messageExpiryInterval?: number;
  topicAlias?: number;
  subscriptionIdentifiers?: number[];
  userProperties?: Record<string, string | string[]>;
}

export interface IncomingMessage {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  /** ms since the epoch, when it reached the host. */
  receivedAt: number;
  properties?: MessageProperties;
}

export interface StoredMessage {
  /** Per store, increasing by one per message added; names one message for `message()`. */
  seq: number;
  topic: string;
  /** At most `truncateAboveBytes` bytes; `size` is the real length. */
  payload: Uint8Array;
  size: number;
  truncated: boolean;
  qos: QoS;
  retain: boolean;
  receivedAt: number;
  properties?: MessageProperties;
}

/** What the renderer is told about one topic (a leaf that has had at least one message). */
export interface TopicSummary {
  /** Stable while the topic stays in the store; a topic removed and seen again gets a new one. Diffs name topics by it. */
  id: number;
  topic: string;
  /** Messages received on this topic since the connection's store was made or cleared. */
  count: number;
  /** Messages per second, averaged over the last few seconds; 0 once it has gone quiet. */
  rate: number;
  last: {
    seq: number;
    /** The first `previewBytes` of the payload. */
    preview: Uint8Array;
    size: number;
    qos: QoS;
    retain: boolean;
    receivedAt: number;
  };
  /** The broker holds a retained message for it: one arrived retained, and no empty payload (which clears it) since. */
  retained: boolean;
}

export interface MemoryUse {
  usedBytes: number;
  capBytes: number;
  /** Messages dropped from histories to stay under the cap, and their bytes, since the last clear. */
  evictedMessages: number;
  evictedBytes: number;
}

export interface TopicDiff {
  /** Topics that are new or changed since the last diff (including rate changes to 0 once per second). */
  changed: TopicSummary[];
  /** Topics removed since the last diff (`remove()`). */
  removed: string[];
  /** Their ids, in the same order. */
  removedIds: number[];
  /** Topics with an id at least this are new since the previous diff (a receiver learns their names here). */
  firstNewId: number;
  /** True when the store was cleared since the last diff: the receiver drops everything first. */
  reset: boolean;
  memory: MemoryUse;
  topicCount: number;
  messageCount: number;
}

export interface TopicStoreOptions {
  /** Messages kept per topic; default 1000. */
  historyLength?: number;
  /** Bytes of payloads and per-message overhead the whole store may hold; default 256 MB. */
  memoryCapBytes?: number;
  /** Payloads longer than this are kept cut to this length; default 1 MB. */
  truncateAboveBytes?: number;
  /** Bytes of the last payload carried in a summary; default 256. */
  previewBytes?: number;
  /** The clock (ms); tests pass their own. */
  now?: () => number;
}

// ---- limits and costs ------------------------------------------------------------

// The defaults of TopicStoreOptions.
export const DEFAULT_HISTORY_LENGTH = 1000;
export const DEFAULT_MEMORY_CAP_BYTES = 256 * 1024 * 1024;
export const DEFAULT_TRUNCATE_ABOVE_BYTES = 1024 * 1024;
/** Enough for the tree's one line (and for a small sensor payload whole); diffs carry one per changed topic. */
export const DEFAULT_PREVIEW_BYTES = 128;

/**
 * What each kept message counts against the cap besides its payload: its
 * KeptMessage record, the packed string's header and padding (or, above
 * PACK_MAX_BYTES, the typed array's ~230 B, well under the payload then) and
 * its slots in the history and the eviction queue. Measured with
 * test/bench/topicStore.ts (heap after a forced GC with the store alive, minus
 * the kept payload bytes, divided by the kept messages; 26 B JSON payloads,
 * Node 20 x64, no pointer compression): 138 B with 1M messages kept and no
 * eviction, 152 B once the cap is reached and evicting (cap 128 MB; the
 * queue's spent slots), so 160 (was 384 with one Uint8Array per message).
 * Counted in full, so the cap is the memory the store really holds (the flood
 * benchmark checks the host's memory against it); a V8 with pointer
 * compression, as in Electron, needs less and simply keeps a little less
 * history than it could.
 */
export const MESSAGE_OVERHEAD_BYTES = 160;
/** The eviction queue is tidied once this many of its entries are stale and they are half of it. */
const QUEUE_TIDY_MIN = 4096;

function checkLimit(value: number, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) throw new RangeError(`${name} must be a number of at least ${min}, not ${String(value)}.`);
  return Math.floor(value);
}

// ---- the store ------------------------------------------------------------------

/**
 * Every topic of one connection, its summary and its recent messages, under
 * one memory cap. `add()` is O(1) amortized and touches only its own topic.
 *
 * Memory: a kept message counts MESSAGE_OVERHEAD_BYTES plus its kept payload;
 * a topic's name counts once while the topic keeps any message. Properties
 * are not counted. Over the cap, the oldest message (by seq, across all
 * topics) that is not its topic's latest is evicted; latest messages go only
 * when nothing else is left, oldest first (the topic stays, with its summary
 * and preview, and an empty history). A message too big for the cap on its
 * own is kept cut to `truncateAboveBytes` (or less, to fit), never made to
 * evict everything else. Evictions are counted in `memory`; dropping the
 * oldest to stay within `historyLength` is not an eviction and is not counted.
 *
 * Truncation: a topic's latest message keeps its whole payload; once a newer
 * one arrives it is cut to `truncateAboveBytes` (`truncated`, `size` the real
 * length), so only one full copy per topic is ever held.
 *
 * Rate: messages counted per whole second in a small ring per topic, the rate
 * being those of the last RATE_WINDOW_SECONDS whole seconds divided by that
 * (a steady 1 message/s reads exactly 1; a topic that stopped reads exactly 0
 * after the window). It changes only at whole seconds, so `takeDiff()` looks
 * at the topics that had messages in the window once per second, not per call,
 * and reports the ones whose rate moved, down to 0; no timer per topic.
 *
 * Seqs keep increasing across `clear()`, so an old seq never names a new message.
 */
export class TopicStore {
  private historyLength: number;
  private capBytes: number;
  private readonly truncateAboveBytes: number;
  private readonly previewBytes: number;
  private readonly now: () => number;

  private nodes = new Map<string, TopicNode>();
  private nextTopicId = 1;
  /** nextTopicId when the previous diff was taken. */
  private idsAtLastDiff = 1;
  private lastSeq = 0;
  private received = 0;
  private usedBytes = 0;
  private evictedMessages = 0;
  private evictedBytes = 0;

  // Eviction order. Every kept message enters the main queue (two parallel
  // arrays, so an entry allocates nothing) in seq order. Its front is the
  // oldest kept message, unless that is its topic's latest: such an entry
  // leaves the queue for `outOfQueue` and stays kept. When a newer message
  // supersedes it, its seq goes on the `supersededOut` heap, whose entries are
  // all older than anything still in the queue, so they are evicted first.
  // Entries of messages trimmed or removed meanwhile go stale and are skipped
  // or tidied away, so no step walks all topics.
  private queueNodes: Array<TopicNode | undefined> = [];
  private queueSeqs: number[] = [];
  private queueHead = 0;
  private staleInQueue = 0;
  /** seq -> node of kept messages that left the queue, in the order they left (= seq order). */
  private outOfQueue = new Map<number, TopicNode>();
  private supersededOut: number[] = [];

  // What the next diff carries.
  private dirtyNodes: TopicNode[] = [];
  private removedTopics = new Map<string, number>();
  private resetPending = false;
  private activeNodes = new Set<TopicNode>();
  private sweptSecond = Number.NaN;

  constructor(options: TopicStoreOptions = {}) {
    this.historyLength = checkLimit(options.historyLength ?? DEFAULT_HISTORY_LENGTH, 'historyLength', 1);
    this.capBytes = checkLimit(options.memoryCapBytes ?? DEFAULT_MEMORY_CAP_BYTES, 'memoryCapBytes', 0);
    this.truncateAboveBytes = checkLimit(options.truncateAboveBytes ?? DEFAULT_TRUNCATE_ABOVE_BYTES, 'truncateAboveBytes', 0);
    this.previewBytes = checkLimit(options.previewBytes ?? DEFAULT_PREVIEW_BYTES, 'previewBytes', 0);
    this.now = options.now ?? Date.now;
  }

  /**
   * Records a message and returns its stored form, with a new seq. The payload
   * is copied when it is a window on a larger buffer or has to be cut; else the
   * store keeps the caller's array, which must not change after. The returned
   * object is a snapshot: once superseded, the store may keep a cut copy instead.
   * It is the store's own record (a StoredMessage through getters, its payload
   * unpacked afresh on each read of a small one), so add() allocates no more.
   */
  add(message: IncomingMessage): StoredMessage {
    const second = Math.floor(this.now() / 1000);
    let node = this.nodes.get(message.topic);
    if (node === undefined) {
      node = new TopicNode(this.nextTopicId++, message.topic);
      this.nodes.set(message.topic, node);
      if (this.removedTopics.size !== 0) this.removedTopics.delete(message.topic);
    } else if (node.keptCount !== 0 && node.newest().seq === node.last.seq) {
      this.supersede(node);
    }
    const seq = ++this.lastSeq;
    this.received++;
    node.count++;

    const size = message.payload.byteLength;
    // A message too big for the cap on its own is cut here rather than made to evict everything else; -1: not even its overhead fits.
    let keptLength = size;
    const fitsAlone = this.capBytes - MESSAGE_OVERHEAD_BYTES - node.topicBytes;
    if (size > fitsAlone) keptLength = fitsAlone < 0 ? -1 : Math.min(this.truncateAboveBytes, fitsAlone);
    const payload = message.payload;
    let data: string | Uint8Array;
    if (keptLength < 0) data = keep(payload, Math.min(size, this.previewBytes));
    else if (keptLength <= PACK_MAX_BYTES) data = pack(payload, keptLength);
    else if (keptLength < size || isWindow(payload)) data = copyBytes(payload, keptLength);
    else data = payload;

    // The node's string, not the message's: one string per topic stays in memory, not one per message.
    const stored = KeptMessage.create(seq, node.topic, data, size, message.qos, message.retain, message.receivedAt, ownProperties(message.properties));
    node.last = stored;
    // Sticky: brokers send live messages with retain cleared (MQTT 3.1.1) while still holding the retained one;
    // only an empty payload (the way a retained message is cleared) says it is gone.
    node.retained = size === 0 ? false : node.retained || message.retain;

    if (keptLength >= 0) {
      if (node.keptCount === 0) this.usedBytes += node.topicBytes;
      node.kept.push(stored);
      this.usedBytes += MESSAGE_OVERHEAD_BYTES + data.length;
      this.queueNodes.push(node);
      this.queueSeqs.push(seq);
      if (node.keptCount > this.historyLength) this.trimOldest(node);
    }

    node.countForRate(second);
    if (!node.active) {
      node.active = true;
      this.activeNodes.add(node);
    }
    this.markDirty(node);
    if (this.usedBytes > this.capBytes) this.evictToCap();
    this.tidy();
    return stored;
  }

  /** What changed since the previous call: each changed topic once, with its current summary. */
  takeDiff(): TopicDiff {
    const second = Math.floor(this.now() / 1000);
    if (second !== this.sweptSecond) {
      this.sweptSecond = second;
      this.sweepRates(second);
    }
    const changed: TopicSummary[] = [];
    for (const node of this.dirtyNodes) {
      node.dirty = false;
      if (!node.alive) continue;
      const summary = this.summarize(node, second);
      node.reportedRate = summary.rate;
      changed.push(summary);
    }
    this.dirtyNodes = [];
    const removed = [...this.removedTopics.keys()];
    const removedIds = [...this.removedTopics.values()];
    this.removedTopics.clear();
    const reset = this.resetPending;
    this.resetPending = false;
    const firstNewId = this.idsAtLastDiff;
    this.idsAtLastDiff = this.nextTopicId;
    return { changed, removed, removedIds, firstNewId, reset, memory: this.memory, topicCount: this.nodes.size, messageCount: this.received };
  }

  /** One topic's summary now, or undefined when the store has no such topic. */
  summary(topic: string): TopicSummary | undefined {
    const node = this.nodes.get(topic);
    return node && this.summarize(node, Math.floor(this.now() / 1000));
  }

  /** Every topic's summary, in the order the topics first arrived: a full snapshot for a renderer that (re)opens. */
  topics(): TopicSummary[] {
    const second = Math.floor(this.now() / 1000);
    return Array.from(this.nodes.values(), (node) => this.summarize(node, second));
  }

  /**
   * A topic's kept messages, oldest first and newest last: only those with a
   * seq below `beforeSeq` when given, and of those the newest `limit`.
   */
  history(topic: string, options: { limit?: number; beforeSeq?: number } = {}): StoredMessage[] {
    const node = this.nodes.get(topic);
    if (node === undefined) return [];
    const end = options.beforeSeq === undefined ? node.kept.length : node.lowerBound(options.beforeSeq);
    // No limit, or one that is not a number below infinity (NaN too): all of them.
    const limit = options.limit !== undefined && options.limit < Infinity ? Math.max(0, Math.floor(options.limit)) : Infinity;
    const start = Math.max(node.head, end - limit);
    const out: StoredMessage[] = [];
    for (let i = start; i < end; i++) out.push(node.kept[i]!.toStored());
    return out;
  }

  /** A kept message by its seq; undefined once it has been trimmed, evicted or removed. */
  message(seq: number): StoredMessage | undefined {
    const node = this.outOfQueue.get(seq) ?? this.queuedNode(seq);
    return node?.alive ? node.find(seq)?.toStored() : undefined;
  }

  /** A kept message's whole payload; undefined when it was truncated or is no longer kept. */
  payload(topic: string, seq: number): Uint8Array | undefined {
    const message = this.nodes.get(topic)?.find(seq);
    return message && !message.truncated ? message.payload : undefined;
  }

  /**
   * Drops a topic with its messages, or with `subtree` every topic equal to
   * `prefixOrTopic` or under `prefixOrTopic + '/'` (so `a/b` takes `a/b/c` but
   * not `a/bc`). Returns how many topics went; the next diff lists them in `removed`.
   */
  remove(prefixOrTopic: string, options: { subtree?: boolean } = {}): number {
    const doomed: TopicNode[] = [];
    if (options.subtree) {
      const under = `${prefixOrTopic}/`;
      for (const node of this.nodes.values()) if (node.topic === prefixOrTopic || node.topic.startsWith(under)) doomed.push(node);
    } else {
      const node = this.nodes.get(prefixOrTopic);
      if (node) doomed.push(node);
    }
    for (const node of doomed) this.removeNode(node);
    this.tidy();
    return doomed.length;
  }

  /** Empties the store: topics, messages, counts and eviction figures. The next diff has `reset: true`. */
  clear(): void {
    for (const node of this.nodes.values()) node.alive = false;
    this.nodes = new Map();
    this.received = 0;
    this.usedBytes = 0;
    this.evictedMessages = 0;
    this.evictedBytes = 0;
    this.queueNodes = [];
    this.queueSeqs = [];
    this.queueHead = 0;
    this.staleInQueue = 0;
    this.outOfQueue = new Map();
    this.supersededOut = [];
    this.dirtyNodes = [];
    this.removedTopics = new Map();
    this.activeNodes = new Set();
    this.resetPending = true;
  }

  /** Changes the history length and/or the memory cap; trims and evicts at once to meet them. */
  setLimits(limits: { historyLength?: number; memoryCapBytes?: number }): void {
    const historyLength = limits.historyLength === undefined ? this.historyLength : checkLimit(limits.historyLength, 'historyLength', 1);
    const capBytes = limits.memoryCapBytes === undefined ? this.capBytes : checkLimit(limits.memoryCapBytes, 'memoryCapBytes', 0);
    if (historyLength < this.historyLength) {
      for (const node of this.nodes.values()) while (node.keptCount > historyLength) this.trimOldest(node);
    }
    this.historyLength = historyLength;
    const lowered = capBytes < this.capBytes;
    this.capBytes = capBytes;
    if (lowered) this.cutLatestToCap();
    if (this.usedBytes > this.capBytes) this.evictToCap();
    this.tidy();
  }

  /** Bytes counted against the cap now, the cap, and what the cap has evicted since the store was made or cleared. */
  get memory(): MemoryUse {
    return { usedBytes: this.usedBytes, capBytes: this.capBytes, evictedMessages: this.evictedMessages, evictedBytes: this.evictedBytes };
  }

  /** Topics in the store now. */
  get topicCount(): number {
    return this.nodes.size;
  }

  /** Messages received since the store was made or cleared, kept or not. */
  get messageCount(): number {
    return this.received;
  }

  // ---- internals ----------------------------------------------------------------

  private summarize(node: TopicNode, second: number): TopicSummary {
    const last = node.last;
    // A copy, not a subarray: sent to the renderer, a view would carry its whole buffer along.
    const preview = last.previewBytes(this.previewBytes);
    return {
      id: node.id,
      topic: node.topic,
      count: node.count,
      rate: node.rateAt(second),
      last: { seq: last.seq, preview, size: last.size, qos: last.qos, retain: last.retain, receivedAt: last.receivedAt },
      retained: node.retained,
    };
  }

  private markDirty(node: TopicNode): void {
    if (node.dirty) return;
    node.dirty = true;
    this.dirtyNodes.push(node);
  }

  /** Once a second: topics whose rate moved since their last diff go in the next one; those at 0 with nothing in the window leave the set. */
  private sweepRates(second: number): void {
    for (const node of this.activeNodes) {
      const rate = node.rateAt(second);
      if (rate !== node.reportedRate) this.markDirty(node);
      // rateAt(second) is 0 and no message this second: every count is older than any future window.
      if (rate === 0 && node.rateSecond < second) {
        this.activeNodes.delete(node);
        node.active = false;
      }
    }
  }

  /** The node's newest kept message, its topic's latest until now, is being superseded by a new one. */
  private supersede(node: TopicNode): void {
    const index = node.kept.length - 1;
    const previous = node.kept[index]!;
    if (previous.keptBytes > this.truncateAboveBytes) {
      node.kept[index] = previous.cut(this.truncateAboveBytes);
      this.usedBytes -= previous.keptBytes - this.truncateAboveBytes;
    }
    // It left the queue while it was the latest; now it may be evicted, before anything still queued.
    if (node.outOfQueue === node.keptCount) heapPush(this.supersededOut, previous.seq);
  }

  /** Drops a node's oldest kept message and its cost; `evicted` counts it as the cap's doing. */
  private release(node: TopicNode, evicted: boolean): KeptMessage {
    const oldest = node.dropOldest();
    const cost = MESSAGE_OVERHEAD_BYTES + oldest.keptBytes;
    this.usedBytes -= cost;
    if (node.keptCount === 0) this.usedBytes -= node.topicBytes;
    if (evicted) {
      this.evictedMessages++;
      this.evictedBytes += cost;
    }
    return oldest;
  }

  /** Drops a node's oldest message to honour the history length (not an eviction). */
  private trimOldest(node: TopicNode): void {
    if (node.outOfQueue > 0) {
      this.outOfQueue.delete(node.oldest().seq);
      node.outOfQueue--;
    } else {
      this.staleInQueue++;
    }
    this.release(node, false);
  }

  private evictToCap(): void {
    while (this.usedBytes > this.capBytes && this.evictOldestSuperseded());
    if (this.usedBytes > this.capBytes) this.evictOldestLatest();
  }

  /** Evicts the oldest kept message that is not its topic's latest; false when there is none. */
  private evictOldestSuperseded(): boolean {
    while (this.supersededOut.length !== 0) {
      const seq = this.supersededOut[0]!;
      heapPop(this.supersededOut);
      const node = this.outOfQueue.get(seq);
      if (node === undefined) continue; // trimmed or removed since
      // Older than everything queued, so its node's oldest.
      this.outOfQueue.delete(seq);
      node.outOfQueue--;
      this.release(node, true);
      return true;
    }
    while (this.queueHead < this.queueSeqs.length) {
      const node = this.queueNodes[this.queueHead]!;
      const seq = this.queueSeqs[this.queueHead]!;
      this.popQueueFront();
      if (!node.alive || node.keptCount === 0 || seq < node.oldest().seq) {
        this.staleInQueue--;
        continue;
      }
      if (seq === node.last.seq) {
        // The topic's latest stays; it waits outside the queue until superseded.
        this.outOfQueue.set(seq, node);
        node.outOfQueue++;
        continue;
      }
      this.release(node, true);
      return true;
    }
    return false;
  }

  /**
   * Only latest messages are left and they are over the cap: evicts them whole,
   * oldest first. Their topics keep their summaries (preview included); the
   * message just added fits alone (add() saw to it), so it is never reached.
   */
  private evictOldestLatest(): void {
    for (const [seq, node] of this.outOfQueue) {
      if (this.usedBytes <= this.capBytes) return;
      this.outOfQueue.delete(seq);
      node.outOfQueue--;
      const dropped = this.release(node, true);
      if (node.last.seq === dropped.seq) node.last = this.previewOnly(dropped);
    }
  }

  /** After the cap was lowered: each topic's latest message that no longer fits alone is cut to fit (truncateAboveBytes at most). */
  private cutLatestToCap(): void {
    for (const node of this.nodes.values()) {
      if (node.keptCount === 0) continue;
      const newest = node.newest();
      const fitsAlone = this.capBytes - MESSAGE_OVERHEAD_BYTES - node.topicBytes;
      // One that cannot fit even empty is left whole for evictOldestLatest to drop.
      if (newest.seq !== node.last.seq || newest.keptBytes <= fitsAlone || fitsAlone < 0) continue;
      const keptLength = Math.min(this.truncateAboveBytes, fitsAlone);
      const cut = newest.cut(keptLength);
      this.usedBytes -= newest.keptBytes - keptLength;
      node.kept[node.kept.length - 1] = cut;
      node.last = cut;
    }
  }

  /** What a topic's summary still needs of a latest message that is no longer kept. */
  private previewOnly(message: KeptMessage): KeptMessage {
    return message.keptBytes <= this.previewBytes ? message : message.cut(this.previewBytes);
  }

  private removeNode(node: TopicNode): void {
    for (let i = node.head; i < node.kept.length; i++) {
      const message = node.kept[i]!;
      this.usedBytes -= MESSAGE_OVERHEAD_BYTES + message.keptBytes;
      if (i - node.head < node.outOfQueue) this.outOfQueue.delete(message.seq);
      else this.staleInQueue++;
    }
    if (node.keptCount !== 0) this.usedBytes -= node.topicBytes;
    node.kept = [];
    node.head = 0;
    node.outOfQueue = 0;
    node.alive = false;
    this.nodes.delete(node.topic);
    if (node.active) this.activeNodes.delete(node);
    this.removedTopics.set(node.topic, node.id);
  }

  /** The node whose queued entry has this seq (a binary search: the queue is in seq order). */
  private queuedNode(seq: number): TopicNode | undefined {
    let low = this.queueHead;
    let high = this.queueSeqs.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.queueSeqs[mid]! < seq) low = mid + 1;
      else high = mid;
    }
    return this.queueSeqs[low] === seq ? this.queueNodes[low] : undefined;
  }

  private popQueueFront(): void {
    this.queueNodes[this.queueHead] = undefined;
    this.queueHead++;
    if (this.queueHead === this.queueSeqs.length) {
      this.queueNodes.length = 0;
      this.queueSeqs.length = 0;
      this.queueHead = 0;
    } else if (this.queueHead >= QUEUE_TIDY_MIN && this.queueHead * 2 >= this.queueSeqs.length) {
      this.queueNodes.copyWithin(0, this.queueHead);
      this.queueSeqs.copyWithin(0, this.queueHead);
      this.queueNodes.length -= this.queueHead;
      this.queueSeqs.length -= this.queueHead;
      this.queueHead = 0;
    }
  }

  /**
   * Drops the queue's stale entries once they are half of it (trimmed and
   * removed messages leave theirs behind), so it does not grow with messages no
   * longer kept. Each pass is paid for by the stale entries it drops: O(1)
   * amortized. The heap needs no such care: a message enters it at most once,
   * after leaving the queue, which only eviction makes happen, and eviction
   * pops it in seq order, stale entries included.
   */
  private tidy(): void {
    const queued = this.queueSeqs.length - this.queueHead;
    if (this.staleInQueue >= QUEUE_TIDY_MIN && this.staleInQueue * 2 >= queued) {
      let write = 0;
      for (let read = this.queueHead; read < this.queueSeqs.length; read++) {
        const node = this.queueNodes[read]!;
        const seq = this.queueSeqs[read]!;
        if (!node.alive || node.keptCount === 0 || seq < node.oldest().seq) continue;
        this.queueNodes[write] = node;
        this.queueSeqs[write] = seq;
        write++;
      }
      this.queueNodes.length = write;
      this.queueSeqs.length = write;
      this.queueHead = 0;
      this.staleInQueue = 0;
    }
  }
}
