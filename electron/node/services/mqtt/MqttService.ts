/**
 * The explorer's side of the main process: saved profiles, the open
 * connections (one per profile, several at once), and their topic models
 * under one memory cap shared between them. Events: `mqtt.connection` when a
 * connection's state changes, `mqtt.topics` with each model's batched diffs.
 */
import path from 'node:path';
import type { EventHub } from '../../../common/api/EventHub.js';
import type { HandlersFor } from '../../../common/api/dispatcher.js';
import type { mqttCalls, MqttConnectionDto } from '../../../common/api/domains/mqtt.js';
import { ApiError } from '../../../common/api/errors.js';
import { MAX_FILE_BYTES } from '../../../common/api/domains/schema.js';
import { messagesToCsv } from '../../../common/mqtt/csv.js';
import { encodeTopicDiff } from '../../../common/mqtt/diffCodec.js';
import { payloadJson, payloadText } from '../../../common/mqtt/payloads.js';
import type { StoredMessage } from '../../../common/mqtt/TopicStore.js';
import { bytesToBase64 } from '../../../common/util/base64.js';
import { formatBytes } from '../../../common/util/format.js';
import { CsvRecorder, recordingFileName } from './CsvRecorder.js';
import { MqttConnection, type MqttConnectionOptions } from './MqttConnection.js';
import type { MqttProfileStore } from './MqttProfileStore.js';

export interface MqttServiceOptions {
  events: EventHub;
  profiles: MqttProfileStore;
  /** Where a recording goes when no path is given: the project folder, else ~/Pinwheel recordings. */
  recordingsDir: () => string;
  /** Tests shorten the backoff and the diff interval. */
  connection?: Pick<MqttConnectionOptions, 'connect' | 'retryFirstMs' | 'retryMaxMs' | 'diffIntervalMs'>;
}

export class MqttService {
  private readonly connections = new Map<string, MqttConnection>();
  private nextId = 1;

  constructor(private readonly options: MqttServiceOptions) {}

  private get profiles(): MqttProfileStore {
    return this.options.profiles;
  }

  private connection(id: string): MqttConnection {
    const found = this.connections.get(id);
    if (!found) throw new ApiError('NOT_FOUND', 'That MQTT connection is closed.');
    return found;
  }

  /** One cap for all models: each open connection gets an equal share. */
  private rebalance(): void {
    const { historyLength, memoryCapBytes } = this.profiles.limits();
    const share = Math.floor(memoryCapBytes / Math.max(1, this.connections.size));
    for (const connection of this.connections.values()) connection.setLimits(historyLength, share);
  }

  private emitClosed(dto: MqttConnectionDto): void {
    this.options.events.emit('mqtt.connection', { ...dto, state: 'disconnected', closed: true });
  }

  private async connect(profileId: string): Promise<MqttConnectionDto> {
    for (const existing of this.connections.values()) {
      if (existing.profileId !== profileId) continue;
      if (existing.dto().state !== 'failed') return existing.dto();
      // A failed connection is tried afresh (with the profile as saved now).
      await this.close(existing.id);
    }
    const profile = await this.profiles.opened(profileId);
    const { historyLength, memoryCapBytes } = this.profiles.limits();
    const id = `c${this.nextId++}`;
    const connection = new MqttConnection({
      id,
      profile,
      historyLength,
      memoryCapBytes: Math.floor(memoryCapBytes / (this.connections.size + 1)),
      onChange: (dto) => {
        if (this.connections.get(id) === connection) this.options.events.emit('mqtt.connection', { ...dto, closed: false });
      },
      onDiff: (diff) => this.options.events.emit('mqtt.topics', { connectionId: id, diff: encodeTopicDiff(diff) }),
      onSubscriptions: (subscriptions) => void this.profiles.setSubscriptions(profileId, subscriptions).catch(() => undefined),
      ...this.options.connection,
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

  handlers(): HandlersFor<typeof mqttCalls> {
    return {
      'mqtt.profiles': async () => ({ profiles: this.profiles.list(), secretsStorage: this.profiles.secretsStorage }),
      'mqtt.saveProfile': (input) => this.profiles.save(input),
      'mqtt.deleteProfile': async ({ profileId }) => {
        for (const c of [...this.connections.values()]) if (c.profileId === profileId) await this.close(c.id);
        await this.profiles.delete(profileId);
        return {};
      },
      'mqtt.connections': async () => [...this.connections.values()].map((c) => c.dto()),
      'mqtt.connect': ({ profileId }) => this.connect(profileId),
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
        return messages.map((m) => (m.payload.length <= payloadBytes ? m : { ...m, payload: m.payload.subarray(0, payloadBytes), truncated: true }));
      },
      'mqtt.payload': async ({ connectionId, topic, seq }) => ({ payload: this.connection(connectionId).store.payload(topic, seq) ?? null }),
      'mqtt.clearRetained': async ({ connectionId, topic, subtree }) => ({ cleared: await this.connection(connectionId).clearRetained(topic, subtree) }),
      'mqtt.clearModel': async ({ connectionId }) => {
        this.connection(connectionId).store.clear();
        return {};
      },
      'mqtt.saveDashboard': ({ profileId, widgets }) => this.profiles.setDashboard(profileId, widgets),
      'mqtt.record': async ({ connectionId, filter, path: file }) => {
        const connection = this.connection(connectionId);
        const recorder = await CsvRecorder.open(filter, file ?? path.join(this.options.recordingsDir(), recordingFileName(filter)));
        try {
          connection.startRecording(recorder);
        } catch (err) {
          await recorder.close();
          throw err;
        }
        return { path: recorder.file };
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
      'mqtt.limits': async () => this.profiles.limits(),
      'mqtt.setLimits': async (limits) => {
        await this.profiles.setLimits(limits);
        this.rebalance();
        return this.profiles.limits();
      },
    };
  }

  async dispose(): Promise<void> {
    const open = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(open.map((c) => c.close()));
    await this.profiles.flush();
  }
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
