// The explorer's window-side state: diffs decoded, topics named again from their ids, applied to
// the tree in slices (a flood's first diff creates thousands of topics), held while paused.
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../../../electron/common/api/client.js';
import { encodeTopicDiff } from '../../../../electron/common/mqtt/diffCodec.js';
import { TopicStore } from '../../../../electron/common/mqtt/TopicStore.js';
import type { HostConnection } from '../../../../renderer/app/HostConnection.js';
import { MqttExplorer } from '../../../../renderer/features/mqtt/MqttExplorer.js';

// The window's frame clock, which Node lacks: views render once a frame.
globalThis.requestAnimationFrame ??= (callback: FrameRequestCallback) => setTimeout(() => callback(performance.now()), 16) as unknown as number;

const offline = { state: { status: 'connecting', attempt: 1 }, onDidChangeState: () => () => undefined } as unknown as HostConnection;
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

function setup() {
  const api = new ApiClient(() => undefined);
  const problems: unknown[] = [];
  const explorer = new MqttExplorer(api, offline, (err) => problems.push(err));
  const connection = { id: 'c1', profileId: 'p1', name: 'n', url: 'mqtt://x', protocolVersion: 4 as const, clientId: 'x', state: 'connected' as const, attempts: 0, subscriptions: [], insecure: false };
  api.receive({ type: 'event', name: 'mqtt.connection', payload: { ...connection, closed: false } });
  const store = new TopicStore({ now: () => 1000 });
  const send = () => api.receive({ type: 'event', name: 'mqtt.topics', payload: { connectionId: 'c1', diff: encodeTopicDiff(store.takeDiff()) } });
  const add = (topic: string, text: string) => store.add({ topic, payload: new TextEncoder().encode(text), qos: 0, retain: false, receivedAt: 1000 });
  return { api, explorer, store, send, add, problems };
}

describe('MqttExplorer', () => {
  it('names topics from their ids across diffs, and builds the tree in slices', async () => {
    const { explorer, send, add, store } = setup();
    for (let i = 0; i < 5000; i++) add(`fleet/dev${i}/temp`, String(i));
    send();
    await settle();
    const tree = explorer.tree('c1');
    expect(tree.node('fleet')?.topics).toBe(5000);
    expect(explorer.stats.get()).toMatchObject({ topicCount: 5000, messageCount: 5000 });
    // The next diff names a known topic by id only.
    add('fleet/dev7/temp', 'again');
    send();
    await settle();
    expect(new TextDecoder().decode(tree.node('fleet/dev7/temp')!.summary!.last.preview)).toBe('again');
    expect(tree.node('fleet/dev7/temp')!.summary!.count).toBe(2);
    store.remove('fleet/dev8/temp');
    send();
    await settle();
    expect(tree.node('fleet/dev8/temp')).toBeUndefined();
  });

  it('holds diffs while paused, merged per topic, and applies them on resume', async () => {
    const { explorer, send, add } = setup();
    add('a', '1');
    send();
    await settle();
    explorer.setPaused(true);
    add('a', '2');
    add('b', '1');
    send();
    add('a', '3');
    send();
    await settle();
    expect(explorer.heldCount.get()).toBe(2);
    expect(explorer.tree('c1').node('b')).toBeUndefined();
    explorer.setPaused(false);
    await settle();
    expect(explorer.tree('c1').node('a')!.summary!.count).toBe(3);
    expect(explorer.tree('c1').node('b')).toBeDefined();
  });

  it('reports a diff it cannot read and keeps the tree as it was', async () => {
    const { explorer, api, send, add, problems } = setup();
    add('kept', 'x');
    send();
    await settle();
    api.receive({ type: 'event', name: 'mqtt.topics', payload: { connectionId: 'c1', diff: new Uint8Array([1, 0, 5]) } });
    await settle();
    expect(problems).toHaveLength(1);
    expect(explorer.tree('c1').node('kept')).toBeDefined();
  });
});

describe('MqttExplorer, opening while connections exist', () => {
  it("starts from the host's snapshot (every topic named, one binary block), then follows diffs by id", async () => {
    const store = new TopicStore({ now: () => 1000 });
    const add = (topic: string, text: string) => store.add({ topic, payload: new TextEncoder().encode(text), qos: 0, retain: false, receivedAt: 1000 });
    add('home/hall/temp', '21');
    add('home/kitchen/temp', '19');
    store.takeDiff();
    const connection = { id: 'c1', profileId: 'p1', name: 'n', url: 'mqtt://x', protocolVersion: 4 as const, clientId: 'x', state: 'connected' as const, attempts: 0, subscriptions: [], insecure: false };
    const topics = store.topics();
    const answers: Record<string, unknown> = {
      'mqtt.profiles': { profiles: [], secretsStorage: '' },
      'mqtt.connections': [connection],
      'broker.status': { running: false, lan: false, addresses: [], authenticated: false },
      'mqtt.topics': { snapshot: encodeTopicDiff({ changed: topics, removed: [], removedIds: [], firstNewId: 0, reset: true, memory: store.memory, topicCount: topics.length, messageCount: store.messageCount }) },
    };
    const listeners = new Map<string, (payload: unknown) => void>();
    const api = {
      call: async (method: string) => answers[method],
      on: (name: string, listener: (payload: unknown) => void) => (listeners.set(name, listener), { dispose: () => undefined }),
    } as unknown as ApiClient;
    const online = { state: { status: 'connected', host: 'web' }, onDidChangeState: () => () => undefined } as unknown as HostConnection;
    const explorer = new MqttExplorer(api, online);
    await settle();
    const tree = explorer.tree('c1');
    expect(tree.node('home')?.topics).toBe(2);
    expect(explorer.stats.get()).toMatchObject({ topicCount: 2, messageCount: 2 });
    // A later diff names the known topic by id only; the snapshot taught its name.
    add('home/hall/temp', '22');
    listeners.get('mqtt.topics')!({ connectionId: 'c1', diff: encodeTopicDiff(store.takeDiff()) });
    await settle();
    expect(new TextDecoder().decode(tree.node('home/hall/temp')!.summary!.last.preview)).toBe('22');
  });
});
