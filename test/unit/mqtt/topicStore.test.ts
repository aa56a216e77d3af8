// The MQTT explorer's model of one connection: topics, histories, the memory cap, truncation, rates and diffs.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TRUNCATE_ABOVE_BYTES,
  MESSAGE_OVERHEAD_BYTES,
  PACK_MAX_BYTES,
  TOPIC_BYTES_PER_CODE_UNIT,
  TopicStore,
  type IncomingMessage,
  type StoredMessage,
} from '../../../electron/common/mqtt/TopicStore.js';
import { SeededRandom } from '../../helpers/random.js';

const encoder = new TextEncoder();

function msg(topic: string, payload: string | Uint8Array = 'x', extra: Partial<IncomingMessage> = {}): IncomingMessage {
  return { topic, payload: typeof payload === 'string' ? encoder.encode(payload) : payload, qos: 0, retain: false, receivedAt: 1_000, ...extra };
}

function bytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

/** What one kept message of `payloadBytes` counts, and a topic's name once. */
const cost = (payloadBytes: number): number => MESSAGE_OVERHEAD_BYTES + payloadBytes;
const topicCost = (topic: string): number => TOPIC_BYTES_PER_CODE_UNIT * topic.length;

/** Byte-exact comparison without a deep-equal walk (slow on megabytes). */
const same = (a: Uint8Array | undefined, b: Uint8Array | undefined): boolean => a !== undefined && b !== undefined && Buffer.compare(a, b) === 0;

const seqs = (messages: StoredMessage[]): number[] => messages.map((m) => m.seq);

function fakeClock(start = 0): { now: () => number; set(ms: number): void } {
  let t = start;
  return { now: () => t, set: (ms) => void (t = ms) };
}

describe('topic summaries', () => {
  it('counts messages per topic and keeps the last one with its QoS, retain flag and time', () => {
    const store = new TopicStore();
    store.add(msg('home/temp', '21.5', { qos: 1, receivedAt: 10 }));
    store.add(msg('home/temp', '21.6', { qos: 2, receivedAt: 20 }));
    store.add(msg('home/hum', '40'));
    const temp = store.summary('home/temp')!;
    expect(temp.count).toBe(2);
    expect(temp.last).toEqual({ seq: 2, preview: encoder.encode('21.6'), size: 4, qos: 2, retain: false, receivedAt: 20 });
    expect(store.summary('home/hum')!.count).toBe(1);
    expect(store.summary('nothing')).toBeUndefined();
    expect(store.topicCount).toBe(2);
    expect(store.messageCount).toBe(3);
  });

  it('says a topic is retained from a retained message until an empty payload clears it (live messages come with retain cleared)', () => {
    const store = new TopicStore();
    store.add(msg('led', 'off'));
    expect(store.summary('led')!.retained).toBe(false);
    store.add(msg('led', 'on', { retain: true }));
    expect(store.summary('led')!.retained).toBe(true);
    // The broker still holds a retained message when a live one passes by without the flag.
    store.add(msg('led', 'off'));
    expect(store.summary('led')!.retained).toBe(true);
    expect(store.summary('led')!.retained).toBe(true);
    store.add(msg('led', new Uint8Array(0), { retain: true }));
    const cleared = store.summary('led')!;
    expect(cleared.retained).toBe(false);
    expect(cleared.last.retain).toBe(true);
    expect(cleared.last.size).toBe(0);
  });

  it('carries only the first previewBytes of the last payload, on a buffer of its own', () => {
    const store = new TopicStore({ previewBytes: 8 });
    const payload = bytes(100_000);
    store.add(msg('cam', payload));
    const preview = store.summary('cam')!.last.preview;
    expect(preview).toEqual(payload.subarray(0, 8));
    // Not a view: sent to the renderer it would carry all 100,000 bytes.
    expect(preview.buffer.byteLength).toBe(8);
    expect(store.summary('cam')!.last.size).toBe(100_000);
  });

  it('lists every topic in the order it first arrived', () => {
    const store = new TopicStore();
    for (const topic of ['c', 'a', 'b', 'a', 'c']) store.add(msg(topic));
    expect(store.topics().map((t) => [t.topic, t.count])).toEqual([
      ['c', 2],
      ['a', 2],
      ['b', 1],
    ]);
  });
});

describe('diffs', () => {
  it('start empty', () => {
    const diff = new TopicStore({ memoryCapBytes: 1000 }).takeDiff();
    expect(diff).toEqual({ changed: [], removed: [], removedIds: [], firstNewId: 1, reset: false, memory: { usedBytes: 0, capBytes: 1000, evictedMessages: 0, evictedBytes: 0 }, topicCount: 0, messageCount: 0 });
  });

  it('carry a topic once however many messages arrived, with its current summary', () => {
    const store = new TopicStore();
    for (let i = 0; i < 1000; i++) store.add(msg('busy', String(i)));
    store.add(msg('other'));
    const diff = store.takeDiff();
    expect(diff.changed.map((t) => t.topic)).toEqual(['busy', 'other']);
    expect(diff.changed[0]!.count).toBe(1000);
    expect(diff.changed[0]!.last.preview).toEqual(encoder.encode('999'));
    expect(diff.messageCount).toBe(1001);
    expect(diff.topicCount).toBe(2);
    expect(store.takeDiff().changed).toEqual([]);
  });

  it('list removed topics once, not among the changed, unless they came back', () => {
    const store = new TopicStore();
    store.add(msg('a'));
    store.add(msg('b'));
    store.takeDiff();
    store.add(msg('a'));
    expect(store.remove('a')).toBe(1);
    expect(store.remove('a')).toBe(0);
    let diff = store.takeDiff();
    expect(diff.changed).toEqual([]);
    expect(diff.removed).toEqual(['a']);
    expect(diff.topicCount).toBe(1);
    expect(store.takeDiff().removed).toEqual([]);

    // Removed and re-added before the diff: only its new self, counted afresh.
    store.remove('b');
    store.add(msg('b', 'again'));
    diff = store.takeDiff();
    expect(diff.removed).toEqual([]);
    expect(diff.changed.map((t) => [t.topic, t.count])).toEqual([['b', 1]]);
  });

  it('after clear(): reset, with only what came after it; seqs go on increasing', () => {
    const store = new TopicStore();
    store.add(msg('a'));
    const before = store.add(msg('b'));
    store.remove('a');
    store.clear();
    const after = store.add(msg('c'));
    expect(after.seq).toBeGreaterThan(before.seq);
    const diff = store.takeDiff();
    expect(diff.reset).toBe(true);
    expect(diff.removed).toEqual([]);
    expect(diff.changed.map((t) => t.topic)).toEqual(['c']);
    expect(diff.messageCount).toBe(1);
    expect(diff.topicCount).toBe(1);
    expect(diff.memory.usedBytes).toBe(cost(1) + topicCost('c'));
    expect(store.takeDiff().reset).toBe(false);
    expect(store.message(before.seq)).toBeUndefined();
    expect(store.history('b')).toEqual([]);
  });
});

describe('history', () => {
  it('keeps the newest 1000 messages per topic by default, without counting the rest as evicted', () => {
    const store = new TopicStore();
    for (let i = 1; i <= 1500; i++) store.add(msg('t', String(i)));
    const history = store.history('t');
    expect(history).toHaveLength(1000);
    expect(history[0]!.seq).toBe(501);
    expect(history[999]!.seq).toBe(1500);
    expect(store.memory.evictedMessages).toBe(0);
    expect(store.message(500)).toBeUndefined();
    expect(store.message(501)!.payload).toEqual(encoder.encode('501'));
    expect(store.summary('t')!.count).toBe(1500);
  });

  it('keeps as many as asked', () => {
    const store = new TopicStore({ historyLength: 10 });
    for (let i = 0; i < 25; i++) store.add(msg(i % 2 ? 'odd' : 'even', String(i)));
    expect(seqs(store.history('odd'))).toEqual([6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
    expect(store.history('even')).toHaveLength(10);
    expect(() => new TopicStore({ historyLength: 0 })).toThrow(RangeError);
  });

  it('lists newest last; limit counts from the newest; beforeSeq pages back', () => {
    const store = new TopicStore();
    for (let i = 0; i < 10; i++) store.add(msg(i % 2 ? 'x' : 'y', String(i)));
    // x holds seqs 2, 4, 6, 8, 10.
    expect(seqs(store.history('x'))).toEqual([2, 4, 6, 8, 10]);
    expect(seqs(store.history('x', { limit: 2 }))).toEqual([8, 10]);
    expect(seqs(store.history('x', { beforeSeq: 8 }))).toEqual([2, 4, 6]);
    expect(seqs(store.history('x', { beforeSeq: 7, limit: 2 }))).toEqual([4, 6]);
    expect(seqs(store.history('x', { beforeSeq: 2 }))).toEqual([]);
    expect(seqs(store.history('x', { beforeSeq: 99, limit: 100 }))).toEqual([2, 4, 6, 8, 10]);
    expect(store.history('x', { limit: 0 })).toEqual([]);
    expect(store.history('nowhere')).toEqual([]);
  });

  it('finds a kept message by seq on any topic', () => {
    const store = new TopicStore();
    store.add(msg('a', 'first'));
    store.add(msg('b', 'second'));
    expect(store.message(1)!.topic).toBe('a');
    expect(store.message(2)!.payload).toEqual(encoder.encode('second'));
    expect(store.message(3)).toBeUndefined();
  });
});

describe('the memory cap', () => {
  it('counts the overhead and payload of each kept message and each topic name once', () => {
    const store = new TopicStore();
    store.add(msg('ab', 'xyz'));
    store.add(msg('ab', 'xy'));
    store.add(msg('cde', ''));
    expect(store.memory.usedBytes).toBe(cost(3) + cost(2) + cost(0) + topicCost('ab') + topicCost('cde'));
  });

  it('evicts the oldest messages across topics first, and counts them', () => {
    // Room for exactly five 100-byte messages on two one-letter topics.
    const store = new TopicStore({ memoryCapBytes: topicCost('a') + topicCost('b') + 5 * cost(100) });
    for (let i = 0; i < 6; i++) store.add(msg(i % 2 ? 'b' : 'a', bytes(100, i)));
    // a: 1, 3, 5; b: 2, 4, 6. Seq 1 had to go.
    expect(seqs(store.history('a'))).toEqual([3, 5]);
    expect(seqs(store.history('b'))).toEqual([2, 4, 6]);
    expect(store.memory).toMatchObject({ evictedMessages: 1, evictedBytes: cost(100) });
    store.add(msg('a', bytes(100)));
    expect(seqs(store.history('b'))).toEqual([4, 6]);
    expect(store.memory).toMatchObject({ evictedMessages: 2, evictedBytes: 2 * cost(100) });
    expect(store.memory.usedBytes).toBe(store.memory.capBytes);
    expect(store.message(2)).toBeUndefined();
  });

  it("keeps a quiet topic's latest message; once superseded it is the first to go", () => {
    const store = new TopicStore({ memoryCapBytes: topicCost('q') + topicCost('h') + 5 * cost(100) });
    store.add(msg('q', bytes(100)));
    for (let i = 0; i < 20; i++) store.add(msg('h', bytes(100, i)));
    expect(seqs(store.history('q'))).toEqual([1]);
    expect(seqs(store.history('h'))).toEqual([18, 19, 20, 21]);
    store.add(msg('q', bytes(100)));
    // Seq 1 is older than anything of h's, so it goes, not h's 18.
    expect(seqs(store.history('q'))).toEqual([22]);
    expect(seqs(store.history('h'))).toEqual([18, 19, 20, 21]);
    store.add(msg('h', bytes(100)));
    expect(seqs(store.history('h'))).toEqual([19, 20, 21, 23]);
    expect(store.message(22)).toBeDefined();
  });

  it('when the latest messages alone are over the cap, evicts the oldest topics whole and keeps their summaries', () => {
    const topics = Array.from({ length: 10 }, (_, i) => `t${i}`);
    const store = new TopicStore({ memoryCapBytes: 3 * (cost(100) + topicCost('t0')) });
    for (const topic of topics) {
      store.add(msg(topic, bytes(100)));
      expect(store.memory.usedBytes).toBeLessThanOrEqual(store.memory.capBytes);
    }
    expect(topics.map((t) => store.history(t).length)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
    expect(store.memory.evictedMessages).toBe(7);
    expect(store.topicCount).toBe(10);
    const gone = store.summary('t0')!;
    expect(gone.count).toBe(1);
    expect(gone.last.size).toBe(100);
    expect(gone.last.preview).toEqual(bytes(100));
    expect(store.payload('t0', 1)).toBeUndefined();
  });

  it('cuts a message too big for the cap on its own instead of evicting everything for it', () => {
    const cap = 10_000;
    const store = new TopicStore({ memoryCapBytes: cap });
    store.add(msg('small', 'keep me'));
    const big = bytes(50_000);
    const stored = store.add(msg('big', big));
    const fits = cap - MESSAGE_OVERHEAD_BYTES - topicCost('big');
    expect(stored).toMatchObject({ size: 50_000, truncated: true });
    expect(same(stored.payload, big.subarray(0, fits))).toBe(true);
    expect(store.payload('big', stored.seq)).toBeUndefined();
    expect(store.summary('big')!.last.size).toBe(50_000);
    expect(store.memory.usedBytes).toBeLessThanOrEqual(cap);
    // The small topic's message had to go to make room: it is the older latest.
    expect(store.history('small')).toEqual([]);
  });

  it('keeps nothing of a message when not even its overhead fits, but still counts and summarizes it', () => {
    const store = new TopicStore({ memoryCapBytes: 10 });
    const stored = store.add(msg('t', 'hello'));
    expect(store.message(stored.seq)).toBeUndefined();
    expect(store.memory.usedBytes).toBe(0);
    expect(store.summary('t')).toMatchObject({ count: 1, last: { size: 5, preview: encoder.encode('hello') } });
  });

  /** Everything the store keeps, checked against what was sent: under the cap, byte-exact, counted exactly, found by seq. */
  function checkKept(store: TopicStore, topics: string[], sent: Map<number, Uint8Array>, historyLength: number): { kept: Map<number, string>; oldestSuperseded: number } {
    let used = 0;
    const kept = new Map<number, string>();
    let oldestSuperseded = Infinity;
    // Collected and checked once: an expect() per message makes the test ten times slower.
    const wrong: string[] = [];
    for (const t of topics) {
      const history = store.history(t);
      if (history.length > historyLength) wrong.push(`${t} keeps ${history.length}`);
      if (history.length) used += topicCost(t);
      const latest = store.summary(t)?.last.seq;
      for (const m of history) {
        used += cost(m.payload.byteLength);
        kept.set(m.seq, t);
        // The whole payload, or a prefix of it when truncated.
        if (!same(m.payload, m.truncated ? sent.get(m.seq)!.subarray(0, m.payload.byteLength) : sent.get(m.seq))) wrong.push(`payload of ${m.seq}`);
        if (m.seq !== latest) oldestSuperseded = Math.min(oldestSuperseded, m.seq);
      }
    }
    expect(wrong).toEqual([]);
    const memory = store.memory;
    expect(memory.usedBytes).toBeLessThanOrEqual(memory.capBytes);
    expect(used).toBe(memory.usedBytes);
    return { kept, oldestSuperseded };
  }

  const randomTopics = Array.from({ length: 40 }, (_, i) => `site/${i % 5}/dev${i}`);
  const randomSize = (random: SeededRandom): number => (random.int(0, 99) === 0 ? random.int(150_000, 400_000) : random.int(0, 4000));

  it('never goes over the cap on a random workload, evicting oldest first, with exact accounting', () => {
    const random = new SeededRandom(0x70b1c);
    const store = new TopicStore({ memoryCapBytes: 200_000, truncateAboveBytes: 60_000, previewBytes: 16 });
    const sent = new Map<number, Uint8Array>();
    let previous = new Map<number, string>();
    for (let step = 0; step < 2500; step++) {
      const op = random.int(0, 99);
      if (op === 0) {
        // Removed messages vanish for another reason than the cap: start the comparison afresh.
        store.remove(random.int(0, 1) ? random.pick(randomTopics) : `site/${random.int(0, 4)}`, { subtree: random.int(0, 1) === 1 });
        previous = checkKept(store, randomTopics, sent, 1000).kept;
        continue;
      }
      if (op === 1) {
        store.setLimits({ memoryCapBytes: random.int(60_000, 300_000) });
      } else {
        const payload = bytes(randomSize(random), step);
        const stored = store.add(msg(random.pick(randomTopics), payload));
        sent.set(stored.seq, payload);
        // The message just added is always kept (cut to fit if need be).
        expect(store.message(stored.seq)).toBeDefined();
      }
      const { kept, oldestSuperseded } = checkKept(store, randomTopics, sent, 1000);
      // What went was older than every superseded message still kept; a latest went only when no superseded one was left.
      for (const [seq, t] of previous) {
        if (kept.has(seq)) continue;
        if (seq === store.summary(t)!.last.seq) expect(oldestSuperseded).toBe(Infinity);
        else expect(seq).toBeLessThan(oldestSuperseded);
      }
      previous = kept;
    }
    expect(store.memory.evictedMessages).toBeGreaterThan(1000);
  });

  it('keeps its books through trims, removals and changed limits, and finds exactly the kept messages by seq', () => {
    const random = new SeededRandom(0x5eed);
    let historyLength = 6;
    const store = new TopicStore({ historyLength, memoryCapBytes: 150_000, truncateAboveBytes: 30_000 });
    const sent = new Map<number, Uint8Array>();
    for (let step = 0; step < 2500; step++) {
      const op = random.int(0, 99);
      if (op === 0) store.remove(random.pick(randomTopics));
      else if (op === 1) store.remove(`site/${random.int(0, 4)}`, { subtree: true });
      else if (op === 2) {
        historyLength = random.int(1, 12);
        store.setLimits({ historyLength, memoryCapBytes: random.int(20_000, 400_000) });
      } else {
        const payload = bytes(randomSize(random), step);
        sent.set(store.add(msg(random.pick(randomTopics), payload)).seq, payload);
      }
      const { kept } = checkKept(store, randomTopics, sent, historyLength);
      if (step % 50 === 0) expect([...sent.keys()].filter((seq) => (store.message(seq)?.seq === seq) !== kept.has(seq))).toEqual([]);
    }
  });

  it('does not let the eviction queue grow with trimmed messages, and still evicts oldest first after tidying it', () => {
    const store = new TopicStore({ historyLength: 2 });
    const quiet = Array.from({ length: 2000 }, (_, i) => `q${i}`);
    for (const topic of quiet) store.add(msg(topic, bytes(10)));
    for (let i = 0; i < 20_000; i++) store.add(msg('hot', bytes(10, i)));
    // White-box: the queue's live length is the only witness (one entry per message added, stale once trimmed).
    const queue = store as unknown as { queueSeqs: number[]; queueHead: number };
    expect(queue.queueSeqs.length - queue.queueHead).toBeLessThan(2000 + 2 * 4096);
    // The quiet topics' first messages (seqs 1..2000) outlived those tidy passes; superseded now, they are the oldest.
    for (const topic of quiet) store.add(msg(topic, bytes(10)));
    store.setLimits({ memoryCapBytes: store.memory.usedBytes - 2000 * cost(10) });
    expect(store.memory.evictedMessages).toBe(2000);
    expect(quiet.every((topic, i) => store.history(topic).length === 1 && store.history(topic)[0]!.seq === 22_001 + i)).toBe(true);
    expect(seqs(store.history('hot'))).toEqual([21_999, 22_000]);
  });

  it('applies a smaller cap or history length at once', () => {
    const store = new TopicStore();
    for (let i = 0; i < 500; i++) store.add(msg(`t${i % 10}`, bytes(100, i)));
    expect(store.memory.evictedMessages).toBe(0);

    store.setLimits({ historyLength: 5 });
    for (let i = 0; i < 10; i++) expect(store.history(`t${i}`)).toHaveLength(5);
    // Trimming to the history length is not the cap's doing.
    expect(store.memory.evictedMessages).toBe(0);

    store.setLimits({ memoryCapBytes: 20 * cost(100) + 10 * topicCost('t0') });
    expect(store.memory.usedBytes).toBeLessThanOrEqual(20 * cost(100) + 10 * topicCost('t0'));
    expect(store.memory).toMatchObject({ evictedMessages: 30, evictedBytes: 30 * cost(100) });
    // The 20 kept are the newest 20.
    const kept = Array.from({ length: 10 }, (_, i) => seqs(store.history(`t${i}`))).flat();
    expect(kept.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => 481 + i));
    expect(() => store.setLimits({ memoryCapBytes: -1 })).toThrow(RangeError);
  });

  it('cuts a latest message that no longer fits a lowered cap on its own', () => {
    const store = new TopicStore();
    const big = bytes(50_000);
    store.add(msg('big', big));
    store.setLimits({ memoryCapBytes: 10_000 });
    const [kept] = store.history('big');
    expect(kept).toMatchObject({ size: 50_000, truncated: true });
    expect(same(kept!.payload, big.subarray(0, 10_000 - MESSAGE_OVERHEAD_BYTES - topicCost('big')))).toBe(true);
    expect(store.memory.usedBytes).toBe(10_000);
  });
});

describe('truncation', () => {
  it('keeps a 3 MB payload whole while it is the latest, and cuts it to 1 MB once superseded', () => {
    const store = new TopicStore();
    const big = bytes(3 * 1024 * 1024);
    const first = store.add(msg('cam/frame', big));
    expect(first.truncated).toBe(false);
    expect(same(store.payload('cam/frame', first.seq), big)).toBe(true);
    expect(store.history('cam/frame')[0]!.truncated).toBe(false);
    expect(store.memory.usedBytes).toBe(cost(big.length) + topicCost('cam/frame'));

    const second = store.add(msg('cam/frame', 'small'));
    const [cut, latest] = store.history('cam/frame');
    expect(cut).toMatchObject({ seq: first.seq, size: big.length, truncated: true });
    expect(same(cut!.payload, big.subarray(0, DEFAULT_TRUNCATE_ABOVE_BYTES))).toBe(true);
    expect(cut!.payload.buffer.byteLength).toBe(DEFAULT_TRUNCATE_ABOVE_BYTES);
    // Equal, not the same object: the store hands out a fresh StoredMessage on each call (payloads compared apart: a deep equal of 1 MB is slow).
    const again = store.message(first.seq)!;
    expect({ ...again, payload: undefined }).toEqual({ ...cut!, payload: undefined });
    expect(same(again.payload, cut!.payload)).toBe(true);
    expect(store.payload('cam/frame', first.seq)).toBeUndefined();
    expect(store.payload('cam/frame', second.seq)).toEqual(encoder.encode('small'));
    expect(latest!.truncated).toBe(false);
    expect(store.memory.usedBytes).toBe(cost(DEFAULT_TRUNCATE_ABOVE_BYTES) + cost(5) + topicCost('cam/frame'));
    expect(store.memory.evictedMessages).toBe(0);
  });

  it('gives no payload for a message that is gone or on another topic', () => {
    const store = new TopicStore({ historyLength: 1 });
    store.add(msg('a', '1'));
    store.add(msg('a', '2'));
    expect(store.payload('a', 1)).toBeUndefined();
    expect(store.payload('b', 2)).toBeUndefined();
    expect(store.payload('a', 2)).toEqual(encoder.encode('2'));
  });
});

describe('rate', () => {
  it('rises with the messages, decays to 0 once they stop, and a diff reports the 0 once', () => {
    const clock = fakeClock(1_000_000);
    const store = new TopicStore({ now: clock.now });
    const at = (seconds: number) => clock.set(1_000_000 + seconds * 1000);
    // 10 messages a second for 10 seconds.
    for (let second = 0; second < 10; second++) {
      for (let i = 0; i < 10; i++) {
        at(second + i / 10);
        store.add(msg('pulse'));
      }
      at(second + 1);
      expect(store.summary('pulse')!.rate).toBe((10 * Math.min(second + 1, 5)) / 5);
      store.takeDiff();
    }
    expect(store.summary('pulse')!.rate).toBe(10);

    // Quiet from here: the rate falls a fifth a second with no message to prompt a diff.
    at(11);
    expect(store.takeDiff().changed.map((t) => [t.topic, t.rate])).toEqual([['pulse', 8]]);
    at(11.5);
    expect(store.takeDiff().changed).toEqual([]);
    at(13);
    expect(store.takeDiff().changed.map((t) => t.rate)).toEqual([4]);
    at(15);
    expect(store.takeDiff().changed.map((t) => [t.topic, t.rate])).toEqual([['pulse', 0]]);
    at(16);
    expect(store.takeDiff().changed).toEqual([]);
    at(30);
    expect(store.takeDiff().changed).toEqual([]);
    expect(store.summary('pulse')!.rate).toBe(0);

    // And wakes again.
    store.add(msg('pulse'));
    at(31);
    expect(store.takeDiff().changed.map((t) => t.rate)).toEqual([0.2]);
  });
});

describe('remove', () => {
  it('drops a subtree: the topic and everything under it, not its namesakes', () => {
    const store = new TopicStore();
    for (const topic of ['a/b', 'a/b/c', 'a/bc', 'a', 'b/a/b', 'a/b/c/d']) store.add(msg(topic, 'x'));
    store.takeDiff();
    expect(store.remove('a/b', { subtree: true })).toBe(3);
    expect(store.topics().map((t) => t.topic)).toEqual(['a/bc', 'a', 'b/a/b']);
    expect(store.takeDiff().removed.sort()).toEqual(['a/b', 'a/b/c', 'a/b/c/d']);
    expect(store.memory.usedBytes).toBe(3 * cost(1) + topicCost('a/bc') + topicCost('a') + topicCost('b/a/b'));
    expect(store.message(1)).toBeUndefined();
    expect(store.remove('x', { subtree: true })).toBe(0);
  });

  it('without subtree drops only the topic itself', () => {
    const store = new TopicStore();
    store.add(msg('a'));
    store.add(msg('a/b'));
    expect(store.remove('a')).toBe(1);
    expect(store.topics().map((t) => t.topic)).toEqual(['a/b']);
  });
});

describe('payloads and topics as they come', () => {
  it('stores binary and invalid UTF-8 byte for byte', () => {
    const store = new TopicStore();
    const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
    const invalid = Uint8Array.from([0xff, 0xfe, 0x80, 0xc3, 0x28, 0xe2, 0x82, 0xed, 0xa0, 0x80, 0x00]);
    const a = store.add(msg('bin', everyByte));
    const b = store.add(msg('bin', invalid));
    expect(store.message(a.seq)!.payload).toEqual(everyByte);
    expect(store.payload('bin', b.seq)).toEqual(invalid);
    expect(store.summary('bin')!.last.preview).toEqual(invalid);
  });

  it('keeps small payloads packed and gives every byte value 0..255 and invalid UTF-8 back exactly, everywhere', () => {
    const store = new TopicStore({ previewBytes: PACK_MAX_BYTES, truncateAboveBytes: 100 });
    const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
    const reversed = everyByte.slice().reverse();
    const invalid = Uint8Array.from([0xff, 0xfe, 0x80, 0xc3, 0x28, 0xe2, 0x82, 0xed, 0xa0, 0x80, 0x00, 0xf4, 0x90, 0x80, 0x80]);
    // Windows on one chunk, as mqtt.js passes them.
    const chunk = new Uint8Array(1024);
    chunk.set(everyByte, 10);
    chunk.set(invalid, 300);
    chunk.set(reversed, 400);
    const sent = [chunk.subarray(10, 266), chunk.subarray(300, 300 + invalid.length), chunk.subarray(400, 656), new Uint8Array(0), Uint8Array.of(0), Uint8Array.of(0x80)];
    const stored = sent.map((payload, i) => store.add(msg('bin', payload, { qos: (i % 3) as 0 | 1 | 2, retain: i % 2 === 1, receivedAt: 1_700_000_000_123 + i })));
    // White-box: kept as one-byte strings, not typed arrays.
    const kept = (store as unknown as { nodes: Map<string, { kept: Array<{ data: unknown }> }> }).nodes.get('bin')!.kept;
    expect(kept.every((m) => typeof m.data === 'string')).toBe(true);
    chunk.fill(0x41);

    const history = store.history('bin');
    const expected = [everyByte.subarray(0, 100), invalid, reversed.subarray(0, 100), new Uint8Array(0), Uint8Array.of(0), Uint8Array.of(0x80)];
    expect(history.map((m) => Array.from(m.payload))).toEqual(expected.map((e) => Array.from(e)));
    // The first and third were cut to truncateAboveBytes once superseded; the latest is whole.
    expect(history.map((m) => [m.size, m.truncated, m.qos, m.retain, m.receivedAt])).toEqual(sent.map((p, i) => [p.length, i === 0 || i === 2, i % 3, i % 2 === 1, 1_700_000_000_123 + i]));
    for (const [i, m] of history.entries()) {
      expect(m.payload.buffer.byteLength).toBe(expected[i]!.length);
      expect(Array.from(store.message(m.seq)!.payload)).toEqual(Array.from(expected[i]!));
      expect(store.payload('bin', m.seq)).toEqual(m.truncated ? undefined : sent[i]!.length ? expected[i] : new Uint8Array(0));
    }
    // What add() returned was a snapshot: the whole payload, from before the cut.
    expect(Array.from(stored[0]!.payload)).toEqual(Array.from(everyByte));
    expect(stored[0]).toMatchObject({ size: 256, truncated: false, qos: 0, retain: false, receivedAt: 1_700_000_000_123 });
    expect(store.payload('bin', stored[1]!.seq)).toEqual(invalid);

    // Previews: the whole of a packed payload up to previewBytes, a copy every time.
    for (const payload of [everyByte, invalid, reversed]) {
      store.add(msg('preview', payload));
      const preview = store.summary('preview')!.last.preview;
      expect(Array.from(preview)).toEqual(Array.from(payload));
      expect(preview.buffer.byteLength).toBe(payload.length);
      expect(store.summary('preview')!.last.preview).not.toBe(preview);
    }
    const short = new TopicStore({ previewBytes: 5 });
    short.add(msg('p', everyByte.subarray(250)));
    expect(short.summary('p')!.last.preview).toEqual(Uint8Array.of(250, 251, 252, 253, 254));

    // Times that are not safe integers come back as they went in.
    for (const receivedAt of [1.5, -3, 2 ** 60, 0]) expect(store.message(store.add(msg('t', 'x', { receivedAt })).seq)!.receivedAt).toBe(receivedAt);
  });

  it('keeps a payload above PACK_MAX_BYTES as a Uint8Array, counted the same', () => {
    const store = new TopicStore();
    const big = bytes(PACK_MAX_BYTES + 1);
    const stored = store.add(msg('big', big));
    expect(stored.payload).toBe(big);
    expect(store.payload('big', stored.seq)).toBe(big);
    expect(store.memory.usedBytes).toBe(cost(PACK_MAX_BYTES + 1) + topicCost('big'));
  });

  it('copies a payload that is a window on a larger buffer, so it neither pins nor shares it', () => {
    const store = new TopicStore();
    const chunk = Buffer.alloc(8192, 0x41);
    const window = chunk.subarray(100, 110);
    const stored = store.add(msg('t', window));
    expect(stored.payload.buffer.byteLength).toBe(10);
    chunk.fill(0x42);
    expect(store.payload('t', stored.seq)).toEqual(new Uint8Array(10).fill(0x41));
  });

  it('keys topics by the whole string: empty levels, $SYS, emoji, very long', () => {
    const long = 'x/'.repeat(30_000) + 'end';
    const topics = ['', '/', 'a//b', '/a', 'a/', '$SYS/broker/uptime', '🌡/日本/ä', long];
    const store = new TopicStore();
    for (const topic of topics) store.add(msg(topic, topic.slice(0, 10)));
    expect(store.topics().map((t) => t.topic)).toEqual(topics);
    expect(store.summary('a//b')!.last.preview).toEqual(encoder.encode('a//b'));
    expect(store.summary('a/b')).toBeUndefined();
    expect(store.memory.usedBytes).toBe(topics.reduce((sum, t) => sum + topicCost(t) + cost(encoder.encode(t.slice(0, 10)).length), 0));
    // The empty topic's subtree is every topic starting with "/".
    expect(store.remove('', { subtree: true })).toBe(3);
    expect(store.topics().map((t) => t.topic)).toEqual(['a//b', 'a/', '$SYS/broker/uptime', '🌡/日本/ä', long]);
  });
});
