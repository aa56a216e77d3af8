/**
 * The explorer's connections in their own thread (what the app runs): the
 * same calls as in-process, answered over messages, against a real
 * mosquitto; errors keep their codes across; a thread that dies says so and
 * the next call starts a new one; on Linux it runs below normal priority.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/common/api/errors.js';
import { decodeTopicDiff } from '../../../electron/common/mqtt/diffCodec.js';
import { profileForUrl } from '../../../electron/common/mqtt/profileDefaults.js';
import { KeyFileSecretBox } from '../../../electron/node/mqtt/SecretBox.js';
import { BULK_WORK_NICE } from '../../../electron/node/workers.js';
import { MqttProfileStore } from '../../../electron/node/services/mqtt/MqttProfileStore.js';
import type { SessionEvent } from '../../../electron/node/services/mqtt/MqttSessions.js';
import { MqttThread } from '../../../electron/node/services/mqtt/MqttThread.js';
import { Mosquitto } from '../../support/mosquitto.js';

const LIMITS = { historyLength: 100, memoryCapBytes: 16 * 1024 * 1024 };

let broker: Mosquitto;
let dir: string;
let profiles: MqttProfileStore;
let thread: MqttThread | undefined;
const events: SessionEvent[] = [];

function mosquittoPub(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => execFile('mosquitto_pub', ['-p', String(broker.port), ...args], (err) => (err ? reject(err) : resolve())));
}

async function waitFor<T>(what: string, find: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function openedProfile(url: string) {
  const saved = await profiles.save({ ...profileForUrl(url), name: url });
  return profiles.opened(saved.id);
}

/** Nice values of this process's threads (Linux). */
function threadNices(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

beforeAll(async () => {
  broker = await Mosquitto.start();
  dir = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-mqtt-thread-'));
  profiles = await MqttProfileStore.open(dir, KeyFileSecretBox.inDir(dir));
});

afterEach(async () => {
  await thread?.dispose();
  thread = undefined;
  events.length = 0;
});

afterAll(async () => {
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the MQTT thread', () => {
  it('connects, builds the model from what mosquitto_pub sends, and answers history, payload and export calls', async () => {
    thread = new MqttThread((event) => events.push(event), { diffIntervalMs: 20 });
    const connection = await thread.calls['sessions.connect']({ profile: await openedProfile(`mqtt://127.0.0.1:${broker.port}`), limits: LIMITS });
    expect(connection.state).toBe('connected');
    await waitFor('the SUBACK', () => events.find((e) => e.kind === 'connection' && e.dto.subscriptions[0]?.grantedQos === 0));
    for (const value of ['1', '2', '3']) await mosquittoPub(['-t', 'lab/thread', '-m', value]);

    // Diffs arrive as bytes moved across, read as the window reads them.
    await waitFor('three messages in a diff', () =>
      events.find((e) => e.kind === 'topics' && decodeTopicDiff(e.diff).changed.some((c) => c.count === 3)),
    );
    const history = await thread.calls['mqtt.history']({ connectionId: connection.id, topic: 'lab/thread' });
    expect(history.map((m) => new TextDecoder().decode(m.payload))).toEqual(['1', '2', '3']);
    const { payload } = await thread.calls['mqtt.payload']({ connectionId: connection.id, topic: 'lab/thread', seq: history[1]!.seq });
    expect(new TextDecoder().decode(payload!)).toBe('2');
    const snapshot = decodeTopicDiff((await thread.calls['mqtt.topics']({ connectionId: connection.id })).snapshot);
    expect(snapshot.changed.map((c) => c.topic)).toEqual(['lab/thread']);
    const exported = await thread.calls['mqtt.export']({ connectionId: connection.id, topic: 'lab', subtree: true, format: 'csv' });
    expect(exported.messages).toBe(3);

    await thread.calls['mqtt.disconnect']({ connectionId: connection.id });
    expect(events.some((e) => e.kind === 'connection' && e.closed && e.dto.id === connection.id)).toBe(true);
  });

  it('keeps the error codes and reasons of failed calls', async () => {
    thread = new MqttThread((event) => events.push(event));
    const closed = thread.calls['mqtt.history']({ connectionId: 'c404', topic: 'x' });
    await expect(closed).rejects.toBeInstanceOf(ApiError);
    await expect(closed).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'That MQTT connection is closed.' });

    const port = broker.port + 1;
    const refused = thread.calls['sessions.connect']({ profile: await openedProfile(`mqtt://127.0.0.1:${port}`), limits: LIMITS });
    await expect(refused).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining(`Nothing is listening at mqtt://127.0.0.1:${port}`) });
    expect(await thread.calls['mqtt.connections']({})).toEqual([]);
  });

  it('when the thread dies, says its connections closed and why, fails the calls in flight, and the next call starts a new thread', async () => {
    thread = new MqttThread((event) => events.push(event));
    const profile = await openedProfile(`mqtt://127.0.0.1:${broker.port}`);
    const first = await thread.calls['sessions.connect']({ profile, limits: LIMITS });
    // A "broker" that takes the connection and never answers keeps a connect in flight (for 10 s) when the thread dies.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const inFlight = thread.calls['sessions.connect']({ profile: await openedProfile(`mqtt://127.0.0.1:${(silent.address() as net.AddressInfo).port}`), limits: LIMITS });
    await new Promise((r) => setTimeout(r, 200));
    await thread.crashForTest();
    silent.close();
    await expect(inFlight).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/^The MQTT thread ended/) });
    const closed = await waitFor('the closed event', () => events.find((e) => e.kind === 'connection' && e.closed && e.dto.id === first.id));
    expect(closed.kind === 'connection' && closed.dto.error).toMatch(/^The MQTT thread ended/);

    const again = await thread.calls['sessions.connect']({ profile, limits: LIMITS });
    expect(again.state).toBe('connected');
    expect((await thread.calls['mqtt.connections']({})).map((c) => c.id)).toEqual([again.id]);
  });

  it.runIf(process.platform === 'linux')('runs below normal priority on Linux, and the calling thread does not', async () => {
    const before = threadNices().filter((n) => n === BULK_WORK_NICE).length;
    thread = new MqttThread((event) => events.push(event));
    await thread.calls['mqtt.connections']({});
    expect(threadNices().filter((n) => n === BULK_WORK_NICE).length).toBe(before + 1);
    expect(os.getPriority()).toBe(0);
  });
});
