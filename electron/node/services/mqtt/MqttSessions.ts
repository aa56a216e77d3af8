/**
 * The explorer's open connections and their topic models under one memory
 * cap shared between them: the part of the MQTT service that does the heavy
 * work (every message goes through here). It runs in a thread of its own in
 * the app (MqttThread), and in the calling thread for tests that inject a
 * client factory. Saved profiles and their secrets stay with MqttService.
 */
import type { z } from 'zod';
import type { HandlersFor } from '../../../common/api/dispatcher.js';
import type { ModelLimitsDto, mqttCalls, MqttConnectionDto, SubscriptionDto } from '../../../common/api/domains/mqtt.js';
import { MAX_FILE_BYTES } from '../../../common/api/domains/schema.js';
import { ApiError } from '../../../common/api/errors.js';
import { messagesToCsv } from '../../../common/mqtt/csv.js';
import { encodeTopicDiff } from '../../../common/mqtt/diffCodec.js';
import { payloadJson, payloadText } from '../../../common/mqtt/payloads.js';
import type { StoredMessage } from '../../../common/mqtt/TopicStore.js';
import { bytesToBase64 } from '../../../common/util/base64.js';
import { formatBytes } from '../../../common/util/format.js';
import { CsvRecorder } from './CsvRecorder.js';
import { MqttConnection, type MqttConnectionOptions } from './MqttConnection.js';
import type { OpenedProfile } from './MqttProfileStore.js';

export type ModelLimits = z.infer<typeof ModelLimitsDto>;

/** The API calls the sessions answer as they are (the service checked their parameters). */
export const SESSION_API_CALLS = [
  'mqtt.connections',
  'mqtt.disconnect',
  'mqtt.subscribe',
  'mqtt.unsubscribe',
  'mqtt.publish',
  'mqtt.topics',
  'mqtt.history',
  'mqtt.payload',
  'mqtt.clearRetained',
  'mqtt.clearModel',
  'mqtt.stopRecording',
  'mqtt.export',
] as const satisfies ReadonlyArray<keyof typeof mqttCalls>;
export type SessionApiCall = (typeof SESSION_API_CALLS)[number];

/** What the sessions answer: those API calls, plus what only the service asks (it holds the profiles). */
export type MqttSessionCalls = { [K in SessionApiCall]: (params: Parameters<HandlersFor<typeof mqttCalls>[K]>[0]) => ReturnType<HandlersFor<typeof mqttCalls>[K]> } & {
  /** Opens a connection for a profile (its secrets opened), or returns the one already open for it. */
  'sessions.connect'(params: { profile: OpenedProfile; limits: ModelLimits }): Promise<MqttConnectionDto>;
  /** Closes every connection of a profile (it is being deleted). */
  'sessions.closeProfile'(params: { profileId: string }): Promise<Record<string, never>>;
  'sessions.setLimits'(params: ModelLimits): Promise<Record<string, never>>;
  /** Starts recording `filter` to `path` (the service picked the default path). */
  'sessions.record'(params: { connectionId: string; filter: string; path: string }): Promise<{ path: string }>;
  /** Closes every connection: the app is quitting. */
  'sessions.dispose'(params: Record<string, never>): Promise<Record<string, never>>;
};
export type SessionCallName = keyof MqttSessionCalls;

export const SESSION_CALLS: readonly SessionCallName[] = [...SESSION_API_CALLS, 'sessions.connect', 'sessions.closeProfile', 'sessions.setLimits', 'sessions.record', 'sessions.dispose'];

/** What the sessions tell the service (it turns them into API events and profile updates). */
export type SessionEvent =
  | { kind: 'connection'; dto: MqttConnectionDto; closed: boolean }
  | { kind: 'topics'; connectionId: string; diff: Uint8Array }
  | { kind: 'subscriptions'; profileId: string; subscriptions: SubscriptionDto[] };

/** Tests shorten the backoff and the diff interval; `connect` (a client factory) keeps the sessions in the caller's thread. */
export type SessionTimings = Pick<MqttConnectionOptions, 'retryFirstMs' | 'retryMaxMs' | 'diffIntervalMs'>;

export class MqttSessions {
  private readonly connections = new Map<string, MqttConnection>();
  private nextId = 1;
  private limits: ModelLimits | undefined;

  constructor(
    private readonly emit: (event: SessionEvent) => void,
    private readonly connectionOptions: SessionTimings & Pick<MqttConnectionOptions, 'connect'> = {},
  ) {}

  private connection(id: string): MqttConnection {
    const found = this.connections.get(id);
    if (!found) throw new ApiError('NOT_FOUND', 'That MQTT connection is closed.');
    return found;
  }

  /** One cap for all models: each open connection gets an equal share. */
  private rebalance(): void {
    if (!this.limits) return;
    const { historyLength, memoryCapBytes } = this.limits;
    const share = Math.floor(memoryCapBytes / Math.max(1, this.connections.size));
    for (const connection of this.connections.values()) connection.setLimits(historyLength, share);
  }

  private emitClosed(dto: MqttConnectionDto): void {
    this.emit({ kind: 'connection', dto: { ...dto, state: 'disconnected' }, closed: true });
  }

  private async connect(profile: OpenedProfile, limits: ModelLimits): Promise<MqttConnectionDto> {
    this.limits = limits;
    for (const existing of this.connections.values()) {
      if (existing.profileId !== profile.id) continue;
      if (existing.dto().state !== 'failed') return existing.dto();
      // A failed connection is tried afresh (with the profile as saved now).
      await this.close(existing.id);
    }
    const id = `c${this.nextId++}`;
    const connection = new MqttConnection({
      id,
      profile,
      historyLength: limits.historyLength,
      memoryCapBytes: Math.floor(limits.memoryCapBytes / (this.connections.size + 1)),
      onChange: (dto) => {
        if (this.connections.get(id) === connection) this.emit({ kind: 'connection', dto, closed: false });
      },
      onDiff: (diff) => this.emit({ kind: 'topics', connectionId: id, diff: encodeTopicDiff(diff) }),
      onSubscriptions: (subscriptions) => this.emit({ kind: 'subscriptions', profileId: profile.id, subscriptions }),
      ...this.connectionOptions,
    });
    this.connections.set(id, connection);
    this.rebalance();
    try {
      await connection.start();
    } catch (err) {
      const dto = connection.dto();
      this.connections.delete(id);
      this.rebalance();
      await connection.close();
      this.emitClosed(dto);
      throw err;
    }
    return connection.dto();
  }

  private async close(id: string): Promise<void> {
    const connection = this.connection(id);
    this.connections.delete(id);
    const dto = connection.dto();
    await connection.close();
    this.rebalance();
    this.emitClosed(dto);
  }

  readonly calls: MqttSessionCalls = {
    'mqtt.connections': async () => [...this.connections.values()].map((c) => c.dto()),
    'mqtt.disconnect': async ({ connectionId }) => {
      await this.close(connectionId);
      return {};
    },
    'mqtt.subscribe': ({ connectionId, subscription }) => this.connection(connectionId).subscribe(subscription),
    'mqtt.unsubscribe': async ({ connectionId, filter }) => {
      await this.connection(connectionId).unsubscribe(filter);
      return {};
    },
    'mqtt.publish': async ({ connectionId, topic, payload, qos, retain, properties }) => {
      await this.connection(connectionId).publish(topic, payload, qos, retain, properties);
      return {};
    },
    'mqtt.topics': async ({ connectionId }) => {
      const { store } = this.connection(connectionId);
      const topics = store.topics();
      const snapshot = encodeTopicDiff({ changed: topics, removed: [], removedIds: [], firstNewId: 0, reset: true, memory: store.memory, topicCount: topics.length, messageCount: store.messageCount });
      return { snapshot };
    },
    'mqtt.history': async ({ connectionId, topic, limit, beforeSeq, payloadBytes }) => {
      const messages = this.connection(connectionId).store.history(topic, { ...(limit !== undefined ? { limit } : {}), ...(beforeSeq !== undefined ? { beforeSeq } : {}) });
      if (payloadBytes === undefined) return messages;
      // A copy of the head, not a view: a view would take its whole payload along across the thread and the wire.
      return messages.map((m) => (m.payload.length <= payloadBytes ? m : { ...m, payload: m.payload.slice(0, payloadBytes), truncated: true }));
    },
    'mqtt.payload': async ({ connectionId, topic, seq }) => ({ payload: this.connection(connectionId).store.payload(topic, seq) ?? null }),
    'mqtt.clearRetained': async ({ connectionId, topic, subtree }) => ({ cleared: await this.connection(connectionId).clearRetained(topic, subtree) }),
    'mqtt.clearModel': async ({ connectionId }) => {
      this.connection(connectionId).store.clear();
      return {};
    },
    'mqtt.stopRecording': ({ connectionId }) => this.connection(connectionId).stopRecording(),
    'mqtt.export': async ({ connectionId, topic, subtree, format }) => {
      const { store } = this.connection(connectionId);
      const topics = subtree ? store.topics().filter((s) => s.topic === topic || s.topic.startsWith(`${topic}/`)).map((s) => s.topic) : [topic];
      const messages = topics.flatMap((t) => store.history(t)).sort((a, b) => a.seq - b.seq);
      const text = format === 'csv' ? messagesToCsv(messages) : JSON.stringify(messages.map(exportedMessage), null, 2) + '\n';
      const content = new TextEncoder().encode(text);
      if (content.length > MAX_FILE_BYTES) {
        throw new ApiError('BAD_REQUEST', `That export would be ${formatBytes(content.length)}, more than ${formatBytes(MAX_FILE_BYTES)}: export a smaller part of the tree, or record it to CSV as it arrives.`);
      }
      const base = (topic === '' ? 'topics' : topic).replace(/[^\w.-]+/g, '_').slice(0, 60);
      return { fileName: `${base}${subtree ? '-all' : ''}.${format}`, content, messages: messages.length };
    },
    'sessions.connect': ({ profile, limits }) => this.connect(profile, limits),
    'sessions.closeProfile': async ({ profileId }) => {
      for (const c of [...this.connections.values()]) if (c.profileId === profileId) await this.close(c.id);
      return {};
    },
    'sessions.setLimits': async (limits) => {
      this.limits = limits;
      this.rebalance();
      return {};
    },
    'sessions.record': async ({ connectionId, filter, path }) => {
      const connection = this.connection(connectionId);
      const recorder = await CsvRecorder.open(filter, path);
      try {
        connection.startRecording(recorder);
      } catch (err) {
        await recorder.close();
        throw err;
      }
      return { path: recorder.file };
    },
    'sessions.dispose': async () => {
      const open = [...this.connections.values()];
      this.connections.clear();
      await Promise.all(open.map((c) => c.close()));
      return {};
    },
  };
}

/** One message of a JSON export: the payload as text, parsed JSON alongside when it is; bytes that are not UTF-8 as base64. */
function exportedMessage(m: StoredMessage): Record<string, unknown> {
  const { text, valid } = payloadText(m.payload);
  const json = payloadJson(m.payload);
  return {
    time: new Date(m.receivedAt).toISOString(),
    topic: m.topic,
    qos: m.qos,
    retain: m.retain,
    ...(valid ? { payload: text } : { payloadBase64: bytesToBase64(m.payload) }),
    ...(json !== undefined ? { json } : {}),
    ...(m.truncated ? { truncated: true, size: m.size } : {}),
  };
}
