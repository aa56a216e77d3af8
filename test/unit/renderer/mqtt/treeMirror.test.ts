// The topic-tree worker's state (TreeMirror), driven as the window drives it: frames at most ten a
// second under a stream of diffs, none for a connection nobody looks at, commands answered after
// the frame that shows them.
import { describe, expect, it } from 'vitest';
import { encodeTopicDiff } from '../../../../electron/common/mqtt/diffCodec.js';
import { TopicStore } from '../../../../electron/common/mqtt/TopicStore.js';
import { FRAME_INTERVAL_MS, TreeMirror } from '../../../../renderer/features/mqtt/tree/TreeMirror.js';
import type { FromTreeWorker, TreeFrame } from '../../../../renderer/features/mqtt/tree/treeProtocol.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function setup() {
  const sent: Array<{ at: number; message: FromTreeWorker }> = [];
  const mirror = new TreeMirror((message) => sent.push({ at: performance.now(), message: structuredClone(message) }));
  const store = new TopicStore({ now: () => 1000 });
  const add = (topic: string, text: string) => store.add({ topic, payload: new TextEncoder().encode(text), qos: 0, retain: false, receivedAt: 1000 });
  const diff = (connectionId = 'c1') => mirror.receive({ kind: 'diff', connectionId, bytes: encodeTopicDiff(store.takeDiff()) });
  const frames = () => sent.filter((s) => s.message.kind === 'frame').map((s) => ({ at: s.at, frame: (s.message as { frame: TreeFrame }).frame }));
  return { mirror, sent, add, diff, frames };
}

describe('TreeMirror', () => {
  it('sends at most one frame per interval however many diffs arrive, and the last one shows the newest state', async () => {
    const { mirror, add, diff, frames } = setup();
    mirror.receive({ kind: 'viewport', viewport: { connectionId: 'c1', filter: '', first: 0, count: 20 } });
    await sleep(10);
    const started = performance.now();
    for (let i = 0; i < 100; i++) {
      add(`room/${i % 5}`, String(i));
      diff();
      await sleep(5);
    }
    const elapsed = performance.now() - started;
    await sleep(FRAME_INTERVAL_MS * 2);
    const data = frames().slice(1);
    expect(data.length).toBeGreaterThan(1);
    expect(data.length).toBeLessThanOrEqual(Math.ceil(elapsed / FRAME_INTERVAL_MS) + 1);
    for (let i = 1; i < data.length; i++) expect(data[i]!.at - data[i - 1]!.at).toBeGreaterThanOrEqual(FRAME_INTERVAL_MS - 2); // timers round to the ms
    const last = data.at(-1)!.frame;
    expect(last.rows).toMatchObject([{ path: 'room', messages: 100, topics: 5 }]);
    expect(last.stats).toMatchObject({ topicCount: 5, messageCount: 100 });
  });

  it('sends nothing for a connection that is neither shown nor watched', async () => {
    const { mirror, add, diff, frames } = setup();
    mirror.receive({ kind: 'viewport', viewport: { connectionId: 'c1', filter: '', first: 0, count: 20 } });
    await sleep(10);
    const before = frames().length;
    add('elsewhere', '1');
    diff('c2');
    await sleep(FRAME_INTERVAL_MS * 2);
    expect(frames().length).toBe(before);
    mirror.receive({ kind: 'watch', topics: [{ connectionId: 'c2', topic: 'elsewhere' }] });
    await sleep(10);
    expect(frames().at(-1)!.frame.watched).toMatchObject([{ connectionId: 'c2', topic: 'elsewhere', hasChildren: false, summary: { count: 1 } }]);
  });

  it('answers an expand after the frame showing it, and rows by index or path under a filter', async () => {
    const { mirror, sent, add, diff } = setup();
    for (const t of ['home/hall/temp', 'home/kitchen/temp', 'garden/temp']) add(t, '1');
    diff();
    mirror.receive({ kind: 'viewport', viewport: { connectionId: 'c1', filter: '', first: 0, count: 20 } });
    mirror.receive({ kind: 'expand', id: 7, connectionId: 'c1', path: 'home', expanded: true });
    await sleep(10);
    const done = sent.findIndex((s) => s.message.kind === 'done' && s.message.id === 7);
    expect(done).toBeGreaterThan(0);
    const frame = sent[done - 1]!.message as { kind: 'frame'; frame: TreeFrame };
    expect(frame.frame.rows.map((r) => r.path)).toEqual(['garden', 'home', 'home/hall', 'home/kitchen']);
    mirror.receive({ kind: 'query', id: 8, connectionId: 'c1', filter: 'kitch', query: { rowAt: 1 } });
    mirror.receive({ kind: 'query', id: 9, connectionId: 'c1', filter: 'kitch', query: { indexOf: 'home/hall' } });
    mirror.receive({ kind: 'query', id: 10, connectionId: 'c1', filter: '', query: { rowAt: 99 } });
    const answers = sent.filter((s) => s.message.kind === 'answer').map((s) => s.message);
    expect(answers).toEqual([
      { kind: 'answer', id: 8, row: expect.objectContaining({ path: 'home/kitchen', match: { start: 5, end: 10 } }) },
      { kind: 'answer', id: 9, index: -1 },
      { kind: 'answer', id: 10 },
    ]);
  });

  it('reports a block it cannot read and keeps the tree', async () => {
    const { mirror, sent, add, diff, frames } = setup();
    add('kept', '1');
    diff();
    mirror.receive({ kind: 'diff', connectionId: 'c1', bytes: new Uint8Array([9, 9, 9]) });
    mirror.receive({ kind: 'viewport', viewport: { connectionId: 'c1', filter: '', first: 0, count: 20 } });
    await sleep(10);
    expect(sent.filter((s) => s.message.kind === 'problem')).toHaveLength(1);
    expect(frames().at(-1)!.frame.rows.map((r) => r.path)).toEqual(['kept']);
  });
});
