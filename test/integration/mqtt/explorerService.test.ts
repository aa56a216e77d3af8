// The explorer's backend (the mqtt and broker API domains, as both hosts serve them) against a real
// mosquitto and the embedded broker: profiles with sealed secrets, connect and its refusals, wildcard
// semantics, retained, QoS, last will, MQTT 5 properties, reconnect-and-resubscribe, TLS, and interop
// with mosquitto_pub/mosquitto_sub both ways.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MqttConnectionDto, MqttProfileInput } from '../../../electron/common/api/contract.js';
import { decodeTopicDiff, type WireTopicChange, type WireTopicDiff } from '../../../electron/common/mqtt/diffCodec.js';
import { profileForUrl } from '../../../electron/common/mqtt/profileDefaults.js';
import { lanAddresses } from '../../../electron/node/mqtt/EmbeddedBroker.js';
import { freePort, Mosquitto } from '../../support/mosquitto.js';
import { startTestBackend, type TestBackend } from '../services/harness.js';

let broker: Mosquitto;
let tlsBroker: Mosquitto;
let authBroker: Mosquitto;
let certBroker: Mosquitto;
let t: TestBackend;
/** The mqtt.js clients the backend made, newest last (the will test drops one's socket). */
const made: MqttClient[] = [];

function profile(url: string, extra: Partial<MqttProfileInput> = {}): MqttProfileInput {
  return { ...profileForUrl(url), name: url, keepaliveSeconds: 30, ...extra };
}

async function connect(input: MqttProfileInput): Promise<MqttConnectionDto> {
  const saved = await t.client.call('mqtt.saveProfile', input);
  return t.client.call('mqtt.connect', { profileId: saved.id });
}

function mosquittoPub(port: number, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => execFile('mosquitto_pub', ['-p', String(port), ...args], (err) => (err ? reject(err) : resolve())));
}

function mosquittoSub(port: number, args: string[]): { done: Promise<{ code: number | null; stdout: string }>; kill(): void } {
  const child = spawn('mosquitto_sub', ['-p', String(port), ...args]);
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  return { done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout }))), kill: () => child.kill('SIGKILL') };
}

/**
 * The diffs as the renderer reads them: decoded, topics named again from the ids (a diff names a topic
 * only when it is new), in event order. Each event payload is decoded once.
 */
const readDiffs = new WeakMap<object, { changed: (WireTopicChange & { topic: string })[]; diff: WireTopicDiff }>();
const topicNames = new Map<string, Map<number, string>>();
let diffsRead = 0;
function readDiff(payload: { connectionId: string; diff: Uint8Array }) {
  for (; diffsRead < t.events.all.length; diffsRead++) {
    const event = t.events.all[diffsRead]!;
    if (event.name !== 'mqtt.topics') continue;
    const { connectionId, diff: bytes } = event.payload as { connectionId: string; diff: Uint8Array };
    const diff = decodeTopicDiff(bytes);
    let names = topicNames.get(connectionId);
    if (!names) topicNames.set(connectionId, (names = new Map()));
    for (const c of diff.changed) if (c.topic !== undefined) names.set(c.id, c.topic);
    readDiffs.set(event.payload as object, { diff, changed: diff.changed.map((c) => ({ ...c, topic: names.get(c.id) ?? `#${c.id}` })) });
  }
  return readDiffs.get(payload)!;
}

/** The `mqtt.topics` snapshot, read: every topic named. */
async function snapshot(connectionId: string) {
  const diff = decodeTopicDiff((await t.client.call('mqtt.topics', { connectionId })).snapshot);
  expect(diff.reset).toBe(true);
  return { topics: diff.changed, memory: diff.memory, messageCount: diff.messageCount };
}

/** The summary of `topic` once a diff of `connectionId` reports it matching `test`. */
function topicEvent(connectionId: string, topic: string, test: (s: WireTopicChange) => boolean = () => true, timeoutMs = 5000): Promise<WireTopicChange> {
  const match = (e: { connectionId: string; diff: Uint8Array }) => (e.connectionId === connectionId ? readDiff(e).changed.find((s) => s.topic === topic && test(s)) : undefined);
  return t.events.waitFor('mqtt.topics', (e) => match(e) !== undefined, timeoutMs, 0).then((e) => match(e)!);
}

function stateEvent(connectionId: string, state: MqttConnectionDto['state'], from: number, timeoutMs = 10_000) {
  return t.events.waitFor('mqtt.connection', (e) => e.id === connectionId && e.state === state, timeoutMs, from);
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

beforeAll(async () => {
  [broker, tlsBroker, authBroker, certBroker] = await Promise.all([
    Mosquitto.start(),
    Mosquitto.start({ tls: {} }),
    Mosquitto.start({ auth: { username: 'maker', password: 'led-on' } }),
    Mosquitto.start({ tls: { requireClientCert: true } }),
  ]);
  t = await startTestBackend({
    brokerPort: await freePort(),
    mqttConnection: {
      retryFirstMs: 200,
      retryMaxMs: 400,
      connect: (url: string, options: IClientOptions) => {
        const client = mqtt.connect(url, options);
        made.push(client);
        return client;
      },
    },
  });
});

afterEach(async () => {
  for (const c of await t.client.call('mqtt.connections', {})) await t.client.call('mqtt.disconnect', { connectionId: c.id });
});

afterAll(async () => {
  await t?.close();
  await Promise.all([broker?.stop(), tlsBroker?.stop(), authBroker?.stop(), certBroker?.stop()]);
});

describe('the MQTT explorer backend', () => {
  it('connects, watches # and builds the model from what mosquitto_pub sends; history and payloads on demand', async () => {
    const c = await connect(profile(`mqtt://127.0.0.1:${broker.port}`));
    expect(c.state).toBe('connected');
    expect(c.clientId).toMatch(/^pinwheel-[0-9a-f]{8}$/);
    await t.events.waitFor('mqtt.connection', (e) => e.id === c.id && e.subscriptions[0]?.grantedQos === 0, 5000, 0);
    for (const value of ['21.5', '21.7', '22.0']) await mosquittoPub(broker.port, ['-t', 'house/kitchen/temp', '-m', value]);
    const summary = await topicEvent(c.id, 'house/kitchen/temp', (s) => s.count === 3);
    expect(text(summary.last.preview)).toBe('22.0');
    const history = await t.client.call('mqtt.history', { connectionId: c.id, topic: 'house/kitchen/temp' });
    expect(history.map((m) => text(m.payload))).toEqual(['21.5', '21.7', '22.0']);
    const full = await t.client.call('mqtt.payload', { connectionId: c.id, topic: 'house/kitchen/temp', seq: history[2]!.seq });
    expect(text(full.payload!)).toBe('22.0');
  });

  it('follows MQTT wildcard semantics: + one level, # the rest and the parent, $SYS only when asked', async () => {
    const c = await connect(profile(`mqtt://127.0.0.1:${broker.port}`, { subscriptions: [] }));
    const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`);
    const topics = ['w/a', 'w/a/b', 'w/a/b/c', 'w/x/b', 'w/b', 'w'];
    const cases: [string, string[]][] = [
      ['w/+/b', ['w/a/b', 'w/x/b']],
      ['w/#', ['w', 'w/a', 'w/a/b', 'w/a/b/c', 'w/x/b', 'w/b']],
      ['w/+', ['w/a', 'w/b']],
      ['+/a', ['w/a']],
    ];
    try {
      for (const [filter, expected] of cases) {
        await t.client.call('mqtt.clearModel', { connectionId: c.id });
        await t.client.call('mqtt.subscribe', { connectionId: c.id, subscription: { filter, qos: 1 } });
        for (const topic of topics) await publisher.publishAsync(topic, filter, { qos: 1 });
        // The last topic each filter matches arrives after every earlier one (one publisher, QoS 1, in order).
        await topicEvent(c.id, expected[expected.length - 1]!, (s) => text(s.last.preview) === filter);
        const { topics: seen } = await snapshot(c.id);
        expect(seen.map((s) => s.topic).sort(), filter).toEqual([...expected].sort());
        await t.client.call('mqtt.unsubscribe', { connectionId: c.id, filter });
      }
      // `#` does not include $SYS; `$SYS/#` brings mosquitto's own statistics.
      await t.client.call('mqtt.clearModel', { connectionId: c.id });
      await t.client.call('mqtt.subscribe', { connectionId: c.id, subscription: { filter: '#', qos: 0 } });
      await publisher.publishAsync('w/after', 'x', { qos: 1 });
      await topicEvent(c.id, 'w/after');
      expect((await snapshot(c.id)).topics.some((s) => s.topic!.startsWith('$SYS'))).toBe(false);
      await t.client.call('mqtt.subscribe', { connectionId: c.id, subscription: { filter: '$SYS/#', qos: 0 } });
      await t.events.waitFor('mqtt.topics', (e) => e.connectionId === c.id && readDiff(e).changed.some((s) => s.topic.startsWith('$SYS/broker/')), 5000, 0);
    } finally {
      await publisher.endAsync();
    }
  });

  it('refuses a malformed filter or topic with the reason, and the connection stays up', async () => {
    const c = await connect(profile(`mqtt://127.0.0.1:${broker.port}`));
    await expect(t.client.call('mqtt.subscribe', { connectionId: c.id, subscription: { filter: 'a/#/b', qos: 0 } })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('#') });
    await expect(t.client.call('mqtt.subscribe', { connectionId: c.id, subscription: { filter: 'a/b+', qos: 0 } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(t.client.call('mqtt.publish', { connectionId: c.id, topic: 'a/+', payload: new Uint8Array(1), qos: 0, retain: false })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(t.client.call('mqtt.saveProfile', profile('http://example.com'))).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('mqtt://') });
    expect((await t.client.call('mqtt.connections', {}))[0]?.state).toBe('connected');
    await mosquittoPub(broker.port, ['-t', 'still/up', '-m', 'yes']);
    await topicEvent(c.id, 'still/up');
  });

  it('shows retained messages with their flag, and clears one topic or a subtree for every subscriber', async () => {
    await mosquittoPub(broker.port, ['-t', 'ret/a', '-m', 'A', '-r']);
    await mosquittoPub(broker.port, ['-t', 'ret/a/deep', '-m', 'B', '-r']);
    await mosquittoPub(broker.port, ['-t', 'ret/b', '-m', 'C', '-r']);
    const c = await connect(profile(`mqtt://127.0.0.1:${broker.port}`, { subscriptions: [{ filter: 'ret/#', qos: 1 }] }));
    const a = await topicEvent(c.id, 'ret/a');
    expect(a.retained).toBe(true);
    expect(a.last.retain).toBe(true);
    await topicEvent(c.id, 'ret/b');
    await topicEvent(c.id, 'ret/a/deep');

    const { cleared } = await t.client.call('mqtt.clearRetained', { connectionId: c.id, topic: 'ret/a', subtree: true });
    expect(cleared.sort()).toEqual(['ret/a', 'ret/a/deep']);
    await topicEvent(c.id, 'ret/a', (s) => !s.retained && s.last.size === 0);
    // A fresh subscriber gets only what is still retained.
    const fresh = mosquittoSub(broker.port, ['-t', 'ret/#', '-v', '-W', '1']);
    expect((await fresh.done).stdout.trim()).toBe('ret/b C');
  });

  it('subscribes at QoS 0, 1 and 2 and gets each message at the lower of the two', async () => {
    const c = await connect(profile(`mqtt://127.0.0.1:${broker.port}`, { subscriptions: [] }));
    for (const qos of [0, 1, 2] as const) {
      const granted = await t.client.call('mqtt.subscribe', { connectionId: c.id, subscription: { filter: `q/${qos}`, qos } });
      expect(granted.grantedQos).toBe(qos);
    }
    for (const qos of [0, 1, 2]) await mosquittoPub(broker.port, ['-t', `q/${qos}`, '-m', 'x', '-q', '2']);
    for (const qos of [0, 1, 2]) expect((await topicEvent(c.id, `q/${qos}`)).last.qos).toBe(qos);
    await mosquittoPub(broker.port, ['-t', 'q/2', '-m', 'y', '-q', '1']);
    expect((await topicEvent(c.id, 'q/2', (s) => s.count === 2)).last.qos).toBe(1);
  });

  it("shows another client's last will when it drops, and sends its own will when its link dies (then reconnects)", async () => {
    const c = await connect(
      profile(`mqtt://127.0.0.1:${broker.port}`, { subscriptions: [{ filter: 'lwt/#', qos: 1 }], will: { topic: 'lwt/explorer', payload: 'explorer gone', qos: 1, retain: false } }),
    );
    await t.events.waitFor('mqtt.connection', (e) => e.id === c.id && e.subscriptions[0]?.grantedQos === 1, 5000, 0);
    // A device that drops without DISCONNECT (SIGKILL): the broker publishes its will.
    const device = mosquittoSub(broker.port, ['-t', 'nothing', '--will-topic', 'lwt/device', '--will-payload', 'offline', '-i', 'device-1']);
    await new Promise((r) => setTimeout(r, 300));
    device.kill();
    expect(text((await topicEvent(c.id, 'lwt/device')).last.preview)).toBe('offline');

    // Our own link dies: a watcher gets our will, and we come back by ourselves.
    const watcher = mosquittoSub(broker.port, ['-t', 'lwt/explorer', '-C', '1', '-W', '10']);
    await new Promise((r) => setTimeout(r, 300));
    const from = t.events.all.length;
    made[made.length - 1]!.stream.destroy();
    expect((await watcher.done).stdout.trim()).toBe('explorer gone');
    const retrying = await stateEvent(c.id, 'retrying', from);
    expect(retrying.retryAt).toBeGreaterThan(Date.now() - 1000);
    await stateEvent(c.id, 'connected', from);
  });

  it('carries MQTT 5 properties both ways (mosquitto_sub -V 5 prints what we publish)', async () => {
    const c = await connect(profile(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 5, subscriptions: [{ filter: 'v5/#', qos: 1 }] }));
    const sub = mosquittoSub(broker.port, ['-V', '5', '-t', 'v5/props', '-C', '1', '-W', '10', '-F', '%t|%p|%P']);
    await new Promise((r) => setTimeout(r, 300));
    await t.client.call('mqtt.publish', {
      connectionId: c.id,
      topic: 'v5/props',
      payload: new TextEncoder().encode('{"on":true}'),
      qos: 1,
      retain: false,
      properties: { contentType: 'application/json', userProperties: { room: 'kitchen' } },
    });
    expect((await sub.done).stdout.trim()).toBe('v5/props|{"on":true}|room:kitchen');
    await topicEvent(c.id, 'v5/props');
    const [message] = await t.client.call('mqtt.history', { connectionId: c.id, topic: 'v5/props' });
    expect(message!.properties).toMatchObject({ contentType: 'application/json', userProperties: { room: 'kitchen' } });
  });

  it('retries with backoff when the broker goes away and makes its subscriptions again when it is back', async () => {
    const c = await connect(profile(`mqtt://127.0.0.1:${broker.port}`, { subscriptions: [{ filter: 'back/#', qos: 1 }] }));
    await t.events.waitFor('mqtt.connection', (e) => e.id === c.id && e.subscriptions[0]?.grantedQos === 1, 5000, 0);
    const from = t.events.all.length;
    await broker.restart();
    const retrying = await stateEvent(c.id, 'retrying', from);
    expect(retrying.error).toBeDefined();
    await stateEvent(c.id, 'connected', from);
    await mosquittoPub(broker.port, ['-t', 'back/again', '-m', 'hello']);
    await topicEvent(c.id, 'back/again');
  });

  it('says why the broker refused: a wrong password, nothing listening, an untrusted certificate', async () => {
    await expect(connect(profile(`mqtt://127.0.0.1:${authBroker.port}`, { username: 'maker', password: 'wrong' }))).rejects.toMatchObject({
      message: expect.stringMatching(/refused the login.*username and password/),
    });
    const ok = await connect(profile(`mqtt://127.0.0.1:${authBroker.port}`, { name: 'auth ok', username: 'maker', password: 'led-on' }));
    expect(ok.state).toBe('connected');
    const closedPort = await freePort();
    await expect(connect(profile(`mqtt://127.0.0.1:${closedPort}`))).rejects.toMatchObject({ message: expect.stringContaining('Nothing is listening') });
    const tls = `mqtts://localhost:${tlsBroker.tlsPort}`;
    await expect(connect(profile(tls, { name: 'no ca' }))).rejects.toMatchObject({ message: expect.stringContaining('not signed by a CA this connection trusts') });
    const trusted = await connect(profile(tls, { name: 'with ca', tls: { ca: tlsBroker.certs!.caPem, clientCert: '', verify: true } }));
    expect(trusted).toMatchObject({ state: 'connected', insecure: false });
    const unchecked = await connect(profile(tls, { name: 'unchecked', tls: { ca: '', clientCert: '', verify: false } }));
    expect(unchecked).toMatchObject({ state: 'connected', insecure: true });
    // No connection is left behind by a refusal.
    expect((await t.client.call('mqtt.connections', {})).map((c) => c.name).sort()).toEqual(['auth ok', 'unchecked', 'with ca']);
  });

  it('logs in with a TLS client certificate and its key (sealed like a password), and says when one is required', async () => {
    const url = `mqtts://localhost:${certBroker.tlsPort}`;
    const certs = certBroker.certs!;
    await expect(connect(profile(url, { name: 'no cert', tls: { ca: certs.caPem, clientCert: '', verify: true } }))).rejects.toMatchObject({
      message: expect.stringContaining('requires a client certificate'),
    });
    const withCert = await connect(profile(url, { name: 'with cert', tls: { ca: certs.caPem, clientCert: certs.clientCertPem!, clientKey: certs.clientKeyPem!, verify: true } }));
    expect(withCert.state).toBe('connected');
    const keyLine = certs.clientKeyPem!.split('\n')[1]!;
    expect(readFileSync(path.join(t.dataDir, 'mqtt', 'profiles.json'), 'utf8')).not.toContain(keyLine);
    expect((await t.client.call('mqtt.profiles', {})).profiles.find((p) => p.name === 'with cert')?.tls.hasClientKey).toBe(true);
  });

  it('MQTT 5: No local keeps our own messages away; a session with an expiry keeps QoS 1 messages while we are gone', async () => {
    const c = await connect(profile(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 5, subscriptions: [] }));
    await t.client.call('mqtt.subscribe', { connectionId: c.id, subscription: { filter: 'nl/#', qos: 1, noLocal: true } });
    await t.client.call('mqtt.publish', { connectionId: c.id, topic: 'nl/mine', payload: new TextEncoder().encode('from us'), qos: 1, retain: false });
    await mosquittoPub(broker.port, ['-t', 'nl/theirs', '-m', 'from them', '-q', '1']);
    await topicEvent(c.id, 'nl/theirs');
    expect((await snapshot(c.id)).topics.map((s) => s.topic)).toEqual(['nl/theirs']);
    await t.client.call('mqtt.disconnect', { connectionId: c.id });

    const kept = profile(`mqtt://127.0.0.1:${broker.port}`, { name: 'kept session', protocolVersion: 5, clientId: 'pinwheel-kept-1', cleanStart: false, sessionExpirySeconds: 300, subscriptions: [{ filter: 'away/#', qos: 1 }] });
    const first = await connect(kept);
    await t.events.waitFor('mqtt.connection', (e) => e.id === first.id && e.subscriptions[0]?.grantedQos === 1, 5000, 0);
    await t.client.call('mqtt.disconnect', { connectionId: first.id });
    await mosquittoPub(broker.port, ['-t', 'away/while', '-m', 'queued', '-q', '1']);
    const again = await t.client.call('mqtt.connect', { profileId: (await t.client.call('mqtt.profiles', {})).profiles.find((p) => p.name === 'kept session')!.id });
    expect(again.clientId).toBe('pinwheel-kept-1');
    expect(text((await topicEvent(again.id, 'away/while')).last.preview)).toBe('queued');
  });

  it('applies the limits at once: history per topic, and one memory cap shared by the open connections', async () => {
    const before = await t.client.call('mqtt.limits', {});
    expect(before).toEqual({ historyLength: 1000, memoryCapBytes: 256 * 1024 * 1024 });
    try {
      await t.client.call('mqtt.setLimits', { historyLength: 5, memoryCapBytes: 2 * 1024 * 1024 });
      const a = await connect(profile(`mqtt://127.0.0.1:${broker.port}`, { name: 'limits a', subscriptions: [{ filter: 'lim/#', qos: 1 }] }));
      const b = await connect(profile(`mqtt://127.0.0.1:${broker.port}`, { name: 'limits b', subscriptions: [{ filter: 'lim/#', qos: 1 }] }));
      await t.events.waitFor('mqtt.connection', (e) => e.id === b.id && e.subscriptions[0]?.grantedQos === 1, 5000, 0);
      const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`);
      try {
        for (let i = 0; i < 12; i++) await publisher.publishAsync('lim/t', String(i), { qos: 1 });
      } finally {
        await publisher.endAsync();
      }
      const event = await t.events.waitFor('mqtt.topics', (e) => e.connectionId === a.id && readDiff(e).changed.some((s) => s.topic === 'lim/t' && s.count === 12), 5000, 0);
      expect(readDiff(event).diff.memory.capBytes).toBe(1024 * 1024);
      const history = await t.client.call('mqtt.history', { connectionId: a.id, topic: 'lim/t' });
      expect(history.map((m) => text(m.payload))).toEqual(['7', '8', '9', '10', '11']);
      await t.client.call('mqtt.disconnect', { connectionId: b.id });
      expect((await snapshot(a.id)).memory.capBytes).toBe(2 * 1024 * 1024);
    } finally {
      await t.client.call('mqtt.setLimits', before);
    }
  });

  it('keeps passwords sealed at rest and never sends them back to the renderer', async () => {
    const saved = await t.client.call('mqtt.saveProfile', profile(`mqtt://127.0.0.1:${authBroker.port}`, { name: 'sealed', username: 'maker', password: 'led-on' }));
    expect(saved.hasPassword).toBe(true);
    expect(JSON.stringify(saved)).not.toContain('led-on');
    const file = path.join(t.dataDir, 'mqtt', 'profiles.json');
    expect(readFileSync(file, 'utf8')).not.toContain('led-on');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(t.dataDir, 'secrets.key')).mode & 0o777).toBe(0o600);
    expect((await t.client.call('mqtt.profiles', {})).secretsStorage).toContain('readable only by your user');
    // Saving again without a password keeps the sealed one: it still logs in.
    const { id, hasPassword: _h, tls, ...rest } = saved;
    await t.client.call('mqtt.saveProfile', { ...rest, id, tls: { ca: tls.ca, clientCert: tls.clientCert, verify: tls.verify } });
    expect((await t.client.call('mqtt.connect', { profileId: id })).state).toBe('connected');
  });

  it('records a filter to CSV as messages arrive (JSON fields as columns), and exports a subtree as CSV and JSON', async () => {
    const c = await connect(profile(`mqtt://127.0.0.1:${broker.port}`));
    await t.events.waitFor('mqtt.connection', (e) => e.id === c.id && e.subscriptions[0]?.grantedQos === 0, 5000, 0);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-recording-'));
    try {
      const file = path.join(dir, 'sensors.csv');
      expect(await t.client.call('mqtt.record', { connectionId: c.id, filter: 'rec/+/data', path: file })).toEqual({ path: file });
      await expect(t.client.call('mqtt.record', { connectionId: c.id, filter: '#', path: path.join(dir, 'other.csv') })).rejects.toMatchObject({ code: 'BUSY' });
      await mosquittoPub(broker.port, ['-t', 'rec/kitchen/data', '-m', '{"t": 21.5, "h": 40}']);
      await mosquittoPub(broker.port, ['-t', 'rec/other/info', '-m', 'not recorded']);
      await mosquittoPub(broker.port, ['-t', 'rec/hall/data', '-m', '{"t": 19, "h": 51, "lux": 300}']);
      await mosquittoPub(broker.port, ['-t', 'rec/hall/data', '-m', 'say "hi", twice']);
      await topicEvent(c.id, 'rec/hall/data', (s) => s.count === 2);
      await t.events.waitFor('mqtt.connection', (e) => e.id === c.id && e.recording?.rows === 3, 5000, 0);
      expect(await t.client.call('mqtt.stopRecording', { connectionId: c.id })).toEqual({ path: file, rows: 3 });
      const lines = readFileSync(file, 'utf8').trimEnd().split('\r\n');
      expect(lines[0]).toBe('timestamp,topic,payload,t,h,other_fields');
      expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z,rec\/kitchen\/data,"{""t"": 21.5, ""h"": 40}",21.5,40,$/);
      expect(lines[2]).toMatch(/,rec\/hall\/data,"{""t"": 19, ""h"": 51, ""lux"": 300}",19,51,"{""lux"":300}"$/);
      expect(lines[3]).toMatch(/,rec\/hall\/data,"say ""hi"", twice",,,$/);
      expect(lines).toHaveLength(4);
      // A recording never replaces a file.
      await expect(t.client.call('mqtt.record', { connectionId: c.id, filter: '#', path: file })).rejects.toMatchObject({ message: expect.stringContaining('already exists') });

      const csv = await t.client.call('mqtt.export', { connectionId: c.id, topic: 'rec', subtree: true, format: 'csv' });
      expect(csv.messages).toBe(4);
      expect(csv.fileName).toBe('rec-all.csv');
      const csvLines = text(csv.content).trimEnd().split('\r\n');
      expect(csvLines[0]).toBe('timestamp,topic,payload,t,h,lux,other_fields');
      expect(csvLines.slice(1).map((l) => l.split(',')[1])).toEqual(['rec/kitchen/data', 'rec/other/info', 'rec/hall/data', 'rec/hall/data']);
      const json = await t.client.call('mqtt.export', { connectionId: c.id, topic: 'rec/kitchen/data', subtree: false, format: 'json' });
      expect(JSON.parse(text(json.content))).toEqual([{ time: expect.any(String), topic: 'rec/kitchen/data', qos: 0, retain: false, payload: '{"t": 21.5, "h": 40}', json: { t: 21.5, h: 40 } }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('saves a dashboard with its profile', async () => {
    const saved = await t.client.call('mqtt.saveProfile', profile(`mqtt://127.0.0.1:${broker.port}`, { name: 'with dashboard' }));
    expect(saved.dashboard).toEqual([]);
    const led = { id: 'w1', title: 'LED', kind: 'switch' as const, stateTopic: 'room/led/stat', commandTopic: 'room/led/cmd', onPayload: '1', offPayload: '0', qos: 1 as const, retain: false };
    const widgets = [led, { id: 'w2', title: 'Temperature', kind: 'value' as const, topic: 'room/sensor', field: ['t'], unit: '°C', min: -10, max: 40 }];
    await t.client.call('mqtt.saveDashboard', { profileId: saved.id, widgets });
    await expect(t.client.call('mqtt.saveDashboard', { profileId: saved.id, widgets: [{ ...led, stateTopic: 'room/+/stat' }] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    // Saving the profile's settings again keeps the dashboard.
    const { id, hasPassword: _h, tls, dashboard: _d, ...rest } = saved;
    await t.client.call('mqtt.saveProfile', { ...rest, id, name: 'renamed', tls: { ca: tls.ca, clientCert: tls.clientCert, verify: tls.verify } });
    const { profiles } = await t.client.call('mqtt.profiles', {});
    expect(profiles.find((p) => p.id === id)).toMatchObject({ name: 'renamed', dashboard: widgets });
  });

  it('runs the embedded broker: one click to start, the explorer and mosquitto clients on it, over WebSocket too, retained kept across restarts', async () => {
    const status = await t.client.call('broker.start', { lan: false, websocket: true });
    expect(status).toMatchObject({ running: true, lan: false, addresses: ['127.0.0.1'] });
    // A board cannot reach loopback: nothing to paste until the broker is on the LAN.
    expect(status.umqttSnippet).toBeUndefined();
    const c = await connect(profile(`mqtt://127.0.0.1:${status.port}`));
    await t.events.waitFor('mqtt.connection', (e) => e.id === c.id && e.subscriptions[0]?.grantedQos === 0, 5000, 0);
    await mosquittoPub(status.port!, ['-t', 'emb/led', '-m', '1', '-r']);
    await topicEvent(c.id, 'emb/led');
    // aedes speaks MQTT 3.1.1 only: a 5.0 profile is told to pick another version.
    await expect(connect(profile(`ws://127.0.0.1:${status.websocketPort}`, { name: 'v5 on aedes', protocolVersion: 5 }))).rejects.toMatchObject({
      message: expect.stringContaining('does not speak this MQTT version'),
    });
    const ws = await connect(profile(`ws://127.0.0.1:${status.websocketPort}`, { name: 'over ws' }));
    expect(text((await topicEvent(ws.id, 'emb/led')).last.preview)).toBe('1');

    await t.client.call('broker.stop', {});
    const again = await t.client.call('broker.start', { lan: false, websocket: false });
    const sub = mosquittoSub(again.port!, ['-t', 'emb/#', '-v', '-C', '1', '-W', '5']);
    expect((await sub.done).stdout.trim()).toBe('emb/led 1');
    await t.client.call('broker.stop', {});
    expect((await t.client.call('broker.status', {})).running).toBe(false);
  });

  it('on the LAN, with a login, gives boards its network address and credentials to paste, and refuses clients without them', async () => {
    const lanAddress = lanAddresses()[0];
    expect(lanAddress, 'this machine needs a network address for this test').toBeDefined();
    await expect(t.client.call('broker.start', { lan: true, websocket: false, username: 'board' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const status = await t.client.call('broker.start', { lan: true, websocket: false, username: 'board', password: 's3cret' });
    try {
      expect(status).toMatchObject({ running: true, lan: true, authenticated: true });
      expect(status.addresses).toContain(lanAddress);
      expect(JSON.parse(status.configJson!)).toEqual({ mqtt: { broker: status.addresses[0], port: status.port, user: 'board', password: 's3cret' } });
      expect(status.umqttSnippet).toContain(`MQTTClient("board-1", "${status.addresses[0]}", port=${status.port}, user="board", password="s3cret")`);
      // A client on the LAN address: refused without the login, let in with it.
      await expect(connect(profile(`mqtt://${lanAddress}:${status.port}`, { name: 'no login' }))).rejects.toMatchObject({ message: expect.stringContaining('refused the login') });
      const ok = await connect(profile(`mqtt://${lanAddress}:${status.port}`, { name: 'board login', username: 'board', password: 's3cret' }));
      expect(ok.state).toBe('connected');
    } finally {
      await t.client.call('broker.stop', {});
    }
  });
});
