import { describe, expect, it } from 'vitest';
import { DiffCodecError, TopicDiffReader, decodeTopicDiff, encodeTopicDiff, isUtf8 } from '../../../electron/common/mqtt/diffCodec.js';
import { TopicStore } from '../../../electron/common/mqtt/TopicStore.js';

const bytes = (text: string) => new TextEncoder().encode(text);

function storeWithTraffic(): TopicStore {
  const store = new TopicStore({ previewBytes: 16, now: () => 5000 });
  store.add({ topic: 'home/hall/temp', payload: bytes('21.5'), qos: 1, retain: true, receivedAt: 1000 });
  store.add({ topic: 'home/ü🙂/binary', payload: new Uint8Array([0, 255, 128]), qos: 2, retain: false, receivedAt: 2000 });
  store.add({ topic: 'home/hall/temp', payload: bytes('a payload longer than the preview'), qos: 0, retain: false, receivedAt: 3000 });
  return store;
}

describe('the topic diff codec', () => {
  it('round-trips a store diff: names only for new topics, counts, flags, previews, memory', () => {
    const store = storeWithTraffic();
    const first = store.takeDiff();
    const decoded = decodeTopicDiff(encodeTopicDiff(first));
    expect(decoded.firstNewId).toBe(1);
    expect(decoded.topicCount).toBe(2);
    expect(decoded.messageCount).toBe(3);
    expect(decoded.memory).toEqual(first.memory);
    expect(decoded.changed).toEqual(
      first.changed.map((s) => ({ id: s.id, topic: s.topic, count: s.count, rate: s.rate, last: s.last, retained: s.retained })),
    );
    expect(decoded.changed[0]).toMatchObject({ topic: 'home/hall/temp', count: 2, retained: true, last: { qos: 0, retain: false, size: 33 } });
    expect(new TextDecoder().decode(decoded.changed[0]!.last.preview)).toBe('a payload longer');

    // A known topic comes by id only; a removed one by its id.
    store.add({ topic: 'home/hall/temp', payload: bytes('22'), qos: 0, retain: false, receivedAt: 4000 });
    store.remove('home/ü🙂/binary');
    const second = decodeTopicDiff(encodeTopicDiff(store.takeDiff()));
    expect(second.changed).toHaveLength(1);
    expect(second.changed[0]!.topic).toBeUndefined();
    expect(second.changed[0]!.id).toBe(decoded.changed[0]!.id);
    expect(second.removedIds).toEqual([decoded.changed[1]!.id]);
  });

  it('reads the same entries in place (visit) as built ones (next), in slices', () => {
    const block = encodeTopicDiff(storeWithTraffic().takeDiff());
    const built = decodeTopicDiff(block).changed;
    const reader = new TopicDiffReader(block);
    const visited: unknown[] = [];
    while (reader.remaining > 0) {
      reader.visit(1, (e) => {
        const preview = new Uint8Array(e.previewLength);
        e.copyPreview(preview);
        visited.push({ id: e.id, ...(e.topic !== undefined ? { topic: e.topic } : {}), count: e.count, rate: e.rate, retained: e.retained, last: { seq: e.seq, preview, size: e.size, qos: e.qos, retain: e.retain, receivedAt: e.receivedAt } });
      });
    }
    expect(visited).toEqual(built);
  });

  it('carries reset', () => {
    const store = storeWithTraffic();
    store.takeDiff();
    store.clear();
    store.add({ topic: 'after', payload: bytes('x'), qos: 0, retain: false, receivedAt: 1 });
    const diff = decodeTopicDiff(encodeTopicDiff(store.takeDiff()));
    expect(diff.reset).toBe(true);
    expect(diff.changed.map((c) => c.topic)).toEqual(['after']);
  });

  it('refuses any block it did not write: cut short, trailing bytes, wrong version, impossible values, names that are not UTF-8', () => {
    const good = encodeTopicDiff(storeWithTraffic().takeDiff());
    for (let cut = 0; cut < good.length; cut += 7) expect(() => decodeTopicDiff(good.subarray(0, cut)), `cut at ${cut}`).toThrow(DiffCodecError);
    expect(() => decodeTopicDiff(new Uint8Array([...good, 0]))).toThrow(/after its end/);
    const wrongVersion = good.slice();
    wrongVersion[0] = 9;
    expect(() => decodeTopicDiff(wrongVersion)).toThrow(/version 9/);
    const negative = good.slice();
    new DataView(negative.buffer).setFloat64(6, -1, true);
    expect(() => decodeTopicDiff(negative)).toThrow(/impossible message count/);
    const huge = good.slice();
    new DataView(huge.buffer).setUint32(50, 0xffffffff, true);
    expect(() => decodeTopicDiff(huge)).toThrow(/more changes than it holds/);
    const badName = good.slice();
    // The first entry's name starts after its id and length: 54 + 4 + 4.
    badName[62] = 0xff;
    expect(() => decodeTopicDiff(badName)).toThrow(/not UTF-8/);
  });

  it('decodes random bytes without anything but DiffCodecError', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) & 0xff);
    for (let i = 0; i < 2000; i++) {
      const junk = Uint8Array.from({ length: 1 + (i % 200) }, next);
      junk[0] = 1;
      try {
        decodeTopicDiff(junk);
      } catch (err) {
        expect(err).toBeInstanceOf(DiffCodecError);
      }
    }
  });

  it('checks topic names as UTF-8 exactly as a strict decoder does', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    const valid = (b: Uint8Array) => {
      try {
        strict.decode(b);
        return true;
      } catch {
        return false;
      }
    };
    let seed = 11;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) & 0xff;
    // Mostly lead and continuation bytes, so multi-byte sequences, overlongs and surrogates come up often.
    const pick = () => [0x41, 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xa0, 0x9f, 0x90, 0x8f][next() & 15]!;
    for (let i = 0; i < 20_000; i++) {
      const bytes = Uint8Array.from({ length: 1 + (i % 7) }, () => (next() & 1 ? pick() : next()));
      expect(isUtf8(bytes), Array.from(bytes, (b) => b.toString(16)).join(' ')).toBe(valid(bytes));
    }
    expect(isUtf8(new TextEncoder().encode('home/ü🙂/ok'))).toBe(true);
  });
});
