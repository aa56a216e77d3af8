// The explorer's window-side state with its tree worker (in-process here): diffs forwarded, topics
// named again from their ids, held while paused; the window reads rows and watched topics from frames.
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../../../electron/common/api/client.js';
import { encodeTopicDiff } from '../../../../electron/common/mqtt/diffCodec.js';
import { TopicStore } from '../../../../electron/common/mqtt/TopicStore.js';
import type { HostConnection } from '../../../../renderer/app/HostConnection.js';
import { MqttExplorer } from '../../../../renderer/features/mqtt/MqttExplorer.js';
import { inProcessTreePort } from '../../../support/inProcessTreePort.js';

// The window's frame clock, which Node lacks: views render once a frame.
globalThis.requestAnimationFrame ??= (callback: FrameRequestCallback) => setTimeout(() => callback(performance.now()), 16) as unknown as number;

const offline = { state: { status: 'connecting', attempt: 1 }, onDidChangeState: () => () => undefined } as unknown as HostConnection;
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

function setup() {
  const api = new ApiClient(() => undefined);
  const problems: unknown[] = [];
  const explorer = new MqttExplorer(api, offline, inProcessTreePort(), (err) => problems.push(err));
  const connection = { id: 'c1', profileId: 'p1', name: 'n', url: 'mqtt://x', protocolVersion: 4 as const, clientId: 'x', state: 'connected' as const, attempts: 0, subscriptions: [], insecure: false };
  api.receive({ type: 'event', name: 'mqtt.connection', payload: { ...connection, closed: false } });
  const store = new TopicStore({ now: () => 1000 });
  const send = () => api.receive({ type: 'event', name: 'mqtt.topics', payload: { connectionId: 'c1', diff: encodeTopicDiff(store.takeDiff()) } });
  const add = (topic: string, text: string) => store.add({ topic, payload: new TextEncoder().encode(text), qos: 0, retain: false, receivedAt: 1000 });
  return { api, explorer, store, send, add, problems };
}

/** The top rows of the explorer's active tree, as the view gets them. */
function topRows(explorer: MqttExplorer) {
  explorer.tree.setViewport({ connectionId: 'c1', filter: '', first: 0, count: 50 });
  return () => explorer.tree.frame.get().rows;
}

/** A topic's last payload as text, from the frames (watched). */
function watchText(explorer: MqttExplorer, topic: string) {
  explorer.tree.watch('c1', topic);
  return () => {
    const preview = explorer.tree.watched('c1', topic)?.summary?.last.preview;
    return preview && new TextDecoder().decode(preview);
  };
}

describe('MqttExplorer', () => {
  it('names topics from their ids across diffs; the window gets rows, figures and watched topics in frames', async () => {
    const { explorer, send, add, store } = setup();
    const rows = topRows(explorer);
    const dev7 = watchText(explorer, 'fleet/dev7/temp');
    for (let i = 0; i < 5000; i++) add(`fleet/dev${i}/temp`, String(i));
    send();
    await settle();
    expect(rows()).toMatchObject([{ path: 'fleet', topics: 5000, messages: 5000, hasChildren: true, expanded: false }]);
    expect(explorer.stats.get()).toMatchObject({ topicCount: 5000, messageCount: 5000 });
    expect(dev7()).toBe('7');
    // The next diff names a known topic by id only.
    add('fleet/dev7/temp', 'again');
    send();
    await settle();
    expect(dev7()).toBe('again');
    expect(explorer.tree.watched('c1', 'fleet/dev7/temp')!.summary!.count).toBe(2);
    store.remove('fleet/dev8/temp');
    send();
    await settle();
    expect(rows()[0]!.topics).toBe(4999);
    // Expanding answers once a frame shows it; a row far down is asked for by index.
    await explorer.tree.expand('c1', 'fleet', true);
    expect(rows()).toHaveLength(50);
    expect(rows()[1]).toMatchObject({ path: 'fleet/dev0', depth: 1 });
    expect(explorer.tree.frame.get().rowCount).toBe(1 + 4999);
    await expect(explorer.tree.rowAt('c1', '', 4999)).resolves.toMatchObject({ path: 'fleet/dev4999' });
    await expect(explorer.tree.indexOf('c1', '', 'fleet/dev9')).resolves.toBe(9);
    await expect(explorer.tree.indexOf('c1', '', 'fleet/dev8')).resolves.toBe(-1);
  });

  it('holds diffs while paused, merged per topic, and applies them on resume', async () => {
    const { explorer, send, add } = setup();
    const rows = topRows(explorer);
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
    expect(rows().map((r) => r.path)).toEqual(['a']);
    expect(rows()[0]!.summary!.count).toBe(1);
    explorer.setPaused(false);
    await settle();
    expect(rows().map((r) => [r.path, r.summary!.count])).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
    expect(explorer.heldCount.get()).toBe(0);
  });

  it('reports a diff it cannot read and keeps the tree as it was', async () => {
    const { explorer, api, send, add, problems } = setup();
    const rows = topRows(explorer);
    add('kept', 'x');
    send();
    await settle();
    api.receive({ type: 'event', name: 'mqtt.topics', payload: { connectionId: 'c1', diff: new Uint8Array([1, 0, 5]) } });
    await settle();
    expect(problems).toHaveLength(1);
    expect(String(problems[0])).toMatch(/topic diff/);
    expect(rows().map((r) => r.path)).toEqual(['kept']);
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
    const explorer = new MqttExplorer(api, online, inProcessTreePort());
    const rows = topRows(explorer);
    const hall = watchText(explorer, 'home/hall/temp');
    await settle();
    expect(rows()).toMatchObject([{ path: 'home', topics: 2 }]);
    expect(explorer.stats.get()).toMatchObject({ topicCount: 2, messageCount: 2 });
    // A later diff names the known topic by id only; the snapshot taught its name.
    add('home/hall/temp', '22');
    listeners.get('mqtt.topics')!({ connectionId: 'c1', diff: encodeTopicDiff(store.takeDiff()) });
    await settle();
    expect(hall()).toBe('22');
  });
});

describe('MqttExplorer, a refresh overtaken by a change made in the window', () => {
  it('keeps a profile saved while the first answers were on their way (the dashboard of a new connection lived in it)', async () => {
    const saved = { id: 'p1', name: '127.0.0.1:1883', url: 'mqtt://127.0.0.1:1883', dashboard: [] };
    const connection = { id: 'c1', profileId: 'p1', name: 'n', url: saved.url, protocolVersion: 4 as const, clientId: 'x', state: 'connected' as const, attempts: 0, subscriptions: [], insecure: false };
    let hostProfiles: unknown[] = [];
    let hostConnections: unknown[] = [];
    let firstAnswer: (() => void) | undefined;
    const api = {
      call: async (method: string) => {
        if (method === 'mqtt.profiles') {
          const answer = { profiles: hostProfiles, secretsStorage: '' };
          // The first answer is slow (the MQTT thread starting): it leaves before the profile is saved, arrives after.
          if (!firstAnswer) await new Promise<void>((resolve) => (firstAnswer = resolve));
          return answer;
        }
        if (method === 'mqtt.connections') return hostConnections;
        if (method === 'broker.status') return { running: false, lan: false, addresses: [], authenticated: false };
        if (method === 'mqtt.saveProfile') return ((hostProfiles = [saved]), saved);
        if (method === 'mqtt.connect') return ((hostConnections = [connection]), connection);
        if (method === 'mqtt.topics') return { snapshot: encodeTopicDiff({ changed: [], removed: [], removedIds: [], firstNewId: 0, reset: true, memory: { usedBytes: 0, capBytes: 1, evictedMessages: 0, evictedBytes: 0 }, topicCount: 0, messageCount: 0 }) };
        throw new Error(`unexpected ${method}`);
      },
      on: () => ({ dispose: () => undefined }),
    } as unknown as ApiClient;
    const online = { state: { status: 'connected', host: 'web' }, onDidChangeState: () => () => undefined } as unknown as HostConnection;
    const explorer = new MqttExplorer(api, online, inProcessTreePort());
    await explorer.connectUrl(saved.url);
    expect(explorer.profiles.get().map((p) => p.id)).toEqual(['p1']);
    firstAnswer!();
    await settle();
    expect(explorer.profiles.get().map((p) => p.id)).toEqual(['p1']);
    expect(explorer.connections.get().map((c) => c.id)).toEqual(['c1']);
  });
});
