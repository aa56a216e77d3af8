/**
 * One live MQTT connection of the explorer (mqtt.js 5 in the main process):
 * its state for the UI (connecting, connected, retrying in N s and why,
 * failed), reconnecting with backoff and making its subscriptions again, and
 * the TopicStore every message goes into. The renderer gets the store's diffs
 * at most ten times a second, never single messages.
 *
 * mqtt.js reconnects at a fixed period; we reconnect ourselves so the wait
 * grows (1, 2, 4 ... 30 s) and the UI can say when the next try is.
 */
import { randomBytes } from 'node:crypto';
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import type { MqttConnectionDto, SubscriptionDto } from '../../../common/api/domains/mqtt.js';
import { ApiError } from '../../../common/api/errors.js';
import { TopicStore, type MessageProperties, type QoS, type TopicDiff } from '../../../common/mqtt/TopicStore.js';
import { topicMatches } from '../../../common/mqtt/topics.js';
import { errorMessage } from '../../../common/util/format.js';
import type { CsvRecorder } from './CsvRecorder.js';
import type { OpenedProfile } from './MqttProfileStore.js';

/** Diffs leave at most this often (the ten a second). */
export const DIFF_INTERVAL_MS = 100;
/**
 * A diff of many topics holds the next one back by this many ms per changed
 * topic (up to DIFF_BACKOFF_MAX_MS): under a flood of 10,000 busy topics the
 * window gets two or three diffs a second instead of ten, each no bigger
 * (changes of one topic merge), which halves the work at both ends.
 */
const DIFF_BACKOFF_MS_PER_TOPIC = 0.05;
const DIFF_BACKOFF_MAX_MS = 400;
export const CONNECT_TIMEOUT_MS = 10_000;
export const RETRY_FIRST_MS = 1_000;
export const RETRY_MAX_MS = 30_000;

type SubscriptionState = MqttConnectionDto['subscriptions'][number];

export interface MqttConnectionOptions {
  id: string;
  profile: OpenedProfile;
  historyLength: number;
  memoryCapBytes: number;
  onChange(connection: MqttConnectionDto): void;
  onDiff(diff: TopicDiff): void;
  /** The subscriptions changed (the profile remembers them). */
  onSubscriptions(subscriptions: SubscriptionDto[]): void;
  connect?: (url: string, options: IClientOptions) => MqttClient;
  retryFirstMs?: number;
  retryMaxMs?: number;
  diffIntervalMs?: number;
}

/** CONNACK refusals say what is wrong with the settings: trying again cannot help. */
function isRefusal(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' && code !== 0;
}

/** The broker's reason in words a person can act on. */
export function describeConnectError(err: unknown, url: string): string {
  const message = errorMessage(err).replace(/^Connection refused: /, '');
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'number') {
    // Mosquitto answers every failed login "not authorized" (5, MQTT 5: 135), never "bad username or password" (4/134).
    if (code === 4 || code === 5 || code === 134 || code === 135) return `The broker refused the login (${message}): check the username and password, or whether this user may connect.`;
    // 1 in MQTT 3.1.1, 0x84 in MQTT 5 (the embedded broker, aedes, speaks only 3.1.1).
    if (code === 1 || code === 132) return `The broker does not speak this MQTT version (${message}): pick another version in the connection's settings.`;
    return `The broker refused the connection: ${message} (code ${code}).`;
  }
  switch (code) {
    case 'ECONNREFUSED':
      return `Nothing is listening at ${url} (connection refused). Is the broker running, and is the port right?`;
    case 'ECONNRESET':
      return `The broker at ${url} closed the connection at once: does the port expect ${url.startsWith('mqtts') || url.startsWith('wss') ? 'plain MQTT (mqtt://)' : 'TLS (mqtts://)'}?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The host name in ${url} could not be found.`;
    case 'ETIMEDOUT':
      return `The broker at ${url} did not answer in time.`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'CERT_SIGNATURE_FAILURE':
      return `The broker's certificate is not signed by a CA this connection trusts: give its CA certificate in the settings, or turn off certificate checks. (${message})`;
    case 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED':
      return 'The broker requires a client certificate: add one and its key in the connection settings.';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `The broker's certificate is for another host name than the one in ${url}. (${message})`;
    case 'CERT_HAS_EXPIRED':
      return `The broker's certificate has expired. (${message})`;
    default:
      return message;
  }
}

function propertiesOf(packet: IPublishPacket): MessageProperties | undefined {
  const p = packet.properties;
  if (!p) return undefined;
  const out: MessageProperties = {};
  if (p.contentType !== undefined) out.contentType = p.contentType;
  if (p.responseTopic !== undefined) out.responseTopic = p.responseTopic;
  if (p.correlationData !== undefined) out.correlationData = new Uint8Array(p.correlationData);
  if (p.payloadFormatIndicator !== undefined) out.payloadFormatIndicator = p.payloadFormatIndicator;
  if (p.messageExpiryInterval !== undefined) out.messageExpiryInterval = p.messageExpiryInterval;
  if (p.topicAlias !== undefined) out.topicAlias = p.topicAlias;
  if (p.subscriptionIdentifier !== undefined) out.subscriptionIdentifiers = ([] as number[]).concat(p.subscriptionIdentifier);
  if (p.userProperties !== undefined) out.userProperties = { ...p.userProperties };
  return Object.keys(out).length > 0 ? out : undefined;
}

export class MqttConnection {
  readonly store: TopicStore;
  private client: MqttClient | undefined;
  private state: MqttConnectionDto['state'] = 'connecting';
  private error: string | undefined;
  private retryAt: number | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private attempts = 0;
  private everConnected = false;
  private closing = false;
  private readonly subscriptions = new Map<string, SubscriptionState>();
  private readonly diffTimer: ReturnType<typeof setInterval>;
  private readonly clientId: string;
  private firstOutcome: { resolve(): void; reject(err: Error): void } | undefined;
  private recorder: CsvRecorder | undefined;
  /** No diff before this (ms since the epoch): see DIFF_BACKOFF_MS_PER_TOPIC. */
  private nextDiffAt = 0;
  /** Rows the UI was last told about; the count is re-sent about once a second while recording. */
  private reportedRows = 0;
  private lastRowsReport = 0;

  constructor(private readonly options: MqttConnectionOptions) {
    this.store = new TopicStore({ historyLength: options.historyLength, memoryCapBytes: options.memoryCapBytes });
    this.clientId = options.profile.clientId || `pinwheel-${randomBytes(4).toString('hex')}`;
    for (const sub of options.profile.subscriptions) this.subscriptions.set(sub.filter, { ...sub });
    this.diffTimer = setInterval(() => this.sendDiff(), options.diffIntervalMs ?? DIFF_INTERVAL_MS);
  }

  get id(): string {
    return this.options.id;
  }

  get profileId(): string {
    return this.options.profile.id;
  }

  /**
   * Connects. Resolves once connected; rejects with the reason when the
   * first attempt fails (a wrong port or password is a typo to fix, not a
   * broker to wait for). Later drops are retried with backoff.
   */
  start(): Promise<void> {
    const outcome = new Promise<void>((resolve, reject) => (this.firstOutcome = { resolve, reject }));
    this.attempt();
    return outcome;
  }

  private clientOptions(): IClientOptions {
    const { profile } = this.options;
    const options: IClientOptions = {
      clientId: this.clientId,
      protocolVersion: profile.protocolVersion,
      keepalive: profile.keepaliveSeconds,
      clean: profile.cleanStart,
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectPeriod: 0,
      resubscribe: false,
      queueQoSZero: false,
      // mqtt.js otherwise calls its debug logger several times per packet: measurable at tens of thousands a second.
      log: () => undefined,
    };
    if (profile.username !== '') options.username = profile.username;
    if (profile.password !== undefined) options.password = profile.password;
    if (profile.protocolVersion === 5 && profile.sessionExpirySeconds > 0) options.properties = { sessionExpiryInterval: profile.sessionExpirySeconds };
    if (profile.will) options.will = { topic: profile.will.topic, payload: Buffer.from(profile.will.payload), qos: profile.will.qos, retain: profile.will.retain };
    if (profile.tls.ca.trim() !== '') options.ca = profile.tls.ca;
    if (profile.tls.clientCert.trim() !== '') options.cert = profile.tls.clientCert;
    if (profile.clientKey !== undefined) options.key = profile.clientKey;
    options.rejectUnauthorized = profile.tls.verify;
    return options;
  }

  private attempt(): void {
    this.retryTimer = undefined;
    this.retryAt = undefined;
    this.attempts++;
    this.setState('connecting');
    if (this.client) {
      this.client.reconnect();
      return;
    }
    const connect = this.options.connect ?? ((url: string, options: IClientOptions) => mqtt.connect(url, options));
    const client = connect(this.options.profile.url.trim(), this.clientOptions());
    this.client = client;
    client.on('connect', (connack) => {
      this.attempts = 0;
      this.everConnected = true;
      this.error = undefined;
      this.setState('connected');
      this.firstOutcome?.resolve();
      this.firstOutcome = undefined;
      // A session the broker kept still has its subscriptions; a new one needs them made again.
      if (!connack.sessionPresent) for (const sub of this.subscriptions.values()) void this.sendSubscribe(sub).catch(() => undefined);
    });
    client.on('message', (topic, payload, packet) => {
      const properties = propertiesOf(packet);
      const receivedAt = Date.now();
      this.store.add({ topic, payload, qos: packet.qos as QoS, retain: packet.retain, receivedAt, ...(properties ? { properties } : {}) });
      this.recorder?.write({ topic, payload, receivedAt });
    });
    client.on('error', (err) => {
      this.error = describeConnectError(err, this.options.profile.url);
      if (isRefusal(err) || !this.everConnected) this.fail(this.error);
    });
    client.on('disconnect', (packet) => {
      // An MQTT 5 broker says why it ends the session (taken over by another client with our id, shutting down...).
      const reason = packet.properties?.reasonString ?? (packet.reasonCode !== undefined ? `reason code ${packet.reasonCode}` : undefined);
      if (reason) this.error = `The broker closed the connection: ${reason}.`;
    });
    client.on('close', () => this.onClose());
  }

  private onClose(): void {
    if (this.closing || this.state === 'failed') return;
    if (!this.everConnected) {
      this.fail(this.error ?? `Could not connect to ${this.options.profile.url}.`);
      return;
    }
    this.error ??= 'The connection was lost.';
    const first = this.options.retryFirstMs ?? RETRY_FIRST_MS;
    const max = this.options.retryMaxMs ?? RETRY_MAX_MS;
    const delay = Math.min(max, first * 2 ** Math.max(0, this.attempts - 1));
    this.retryAt = Date.now() + delay;
    this.retryTimer = setTimeout(() => this.attempt(), delay);
    this.setState('retrying');
  }

  private fail(reason: string): void {
    if (this.state === 'failed') return;
    this.error = reason;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.retryAt = undefined;
    this.setState('failed');
    this.client?.end(true);
    const first = this.firstOutcome;
    this.firstOutcome = undefined;
    first?.reject(new ApiError('BAD_REQUEST', reason));
  }

  private setState(state: MqttConnectionDto['state']): void {
    this.state = state;
    if (state !== 'retrying') this.retryAt = undefined;
    this.options.onChange(this.dto());
  }

  dto(): MqttConnectionDto {
    const { profile } = this.options;
    return {
      id: this.id,
      profileId: profile.id,
      name: profile.name,
      url: profile.url,
      protocolVersion: profile.protocolVersion,
      clientId: this.clientId,
      state: this.state,
      ...(this.error !== undefined && this.state !== 'connected' ? { error: this.error } : {}),
      ...(this.retryAt !== undefined ? { retryAt: this.retryAt } : {}),
      attempts: this.attempts,
      subscriptions: [...this.subscriptions.values()],
      insecure: profile.url.trim().toLowerCase().startsWith('mqtts') || profile.url.trim().toLowerCase().startsWith('wss') ? !profile.tls.verify : false,
      ...(this.recorder ? { recording: this.recorder.state } : {}),
    };
  }

  private sendDiff(): void {
    if (Date.now() < this.nextDiffAt) return;
    const diff = this.store.takeDiff();
    if (diff.changed.length > 0 || diff.removed.length > 0 || diff.reset) this.options.onDiff(diff);
    this.nextDiffAt = Date.now() + Math.min(DIFF_BACKOFF_MAX_MS, diff.changed.length * DIFF_BACKOFF_MS_PER_TOPIC);
    const recording = this.recorder?.state;
    if (recording && (recording.rows !== this.reportedRows || recording.error) && Date.now() - this.lastRowsReport >= 1000) {
      this.reportedRows = recording.rows;
      this.lastRowsReport = Date.now();
      this.options.onChange(this.dto());
    }
  }

  /** Starts writing matching messages to `recorder`'s file (one recording per connection). */
  startRecording(recorder: CsvRecorder): void {
    if (this.recorder) throw new ApiError('BUSY', `Already recording "${this.recorder.filter}" to ${this.recorder.file}; stop that first.`);
    this.recorder = recorder;
    this.reportedRows = 0;
    this.options.onChange(this.dto());
  }

  async stopRecording(): Promise<{ path: string; rows: number }> {
    const recorder = this.recorder;
    if (!recorder) throw new ApiError('NOT_FOUND', 'This connection is not recording.');
    this.recorder = undefined;
    await recorder.close();
    this.options.onChange(this.dto());
    return { path: recorder.file, rows: recorder.state.rows };
  }

  /** Adds or changes a subscription; made at once when connected, else on the next connect. */
  async subscribe(subscription: SubscriptionDto): Promise<SubscriptionState> {
    const entry: SubscriptionState = { ...subscription };
    this.subscriptions.set(subscription.filter, entry);
    this.options.onSubscriptions(this.subscriptionList());
    this.options.onChange(this.dto());
    if (this.state !== 'connected') return entry;
    return this.sendSubscribe(entry);
  }

  private subscriptionList(): SubscriptionDto[] {
    return [...this.subscriptions.values()].map(({ grantedQos: _g, error: _e, ...sub }) => sub);
  }

  private async sendSubscribe(entry: SubscriptionState): Promise<SubscriptionState> {
    const client = this.client!;
    const v5 = this.options.profile.protocolVersion === 5;
    const granted = await client.subscribeAsync({
      [entry.filter]: {
        qos: entry.qos,
        ...(v5 && entry.noLocal !== undefined ? { nl: entry.noLocal } : {}),
        ...(v5 && entry.retainAsPublished !== undefined ? { rap: entry.retainAsPublished } : {}),
        ...(v5 && entry.retainHandling !== undefined ? { rh: entry.retainHandling } : {}),
      },
    });
    const answer = granted[0];
    // Unsubscribed (or replaced) while the SUBACK was on its way: that newer state stands.
    if (this.subscriptions.get(entry.filter) !== entry) return entry;
    delete entry.error;
    delete entry.grantedQos;
    if (!answer || answer.qos >= 0x80) entry.error = 'The broker refused this subscription (not authorized, or the filter is not supported).';
    else entry.grantedQos = answer.qos as QoS;
    this.options.onChange(this.dto());
    return { ...entry };
  }

  async unsubscribe(filter: string): Promise<void> {
    if (!this.subscriptions.delete(filter)) throw new ApiError('NOT_FOUND', `This connection has no subscription to "${filter}".`);
    this.options.onSubscriptions(this.subscriptionList());
    this.options.onChange(this.dto());
    if (this.state === 'connected') await this.client!.unsubscribeAsync(filter);
  }

  private requireConnected(): MqttClient {
    if (this.state !== 'connected' || !this.client) {
      const when = this.retryAt !== undefined ? ` (next try in ${Math.max(1, Math.round((this.retryAt - Date.now()) / 1000))} s)` : '';
      throw new ApiError('BUSY', `"${this.options.profile.name}" is not connected${when}; nothing was sent.`);
    }
    return this.client;
  }

  async publish(topic: string, payload: Uint8Array, qos: QoS, retain: boolean, properties?: MessageProperties): Promise<void> {
    const client = this.requireConnected();
    const v5 = this.options.profile.protocolVersion === 5;
    await client.publishAsync(topic, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), {
      qos,
      retain,
      ...(v5 && properties
        ? {
            properties: {
              ...(properties.contentType !== undefined ? { contentType: properties.contentType } : {}),
              ...(properties.responseTopic !== undefined ? { responseTopic: properties.responseTopic } : {}),
              ...(properties.correlationData !== undefined ? { correlationData: Buffer.from(properties.correlationData) } : {}),
              ...(properties.payloadFormatIndicator !== undefined ? { payloadFormatIndicator: properties.payloadFormatIndicator } : {}),
              ...(properties.messageExpiryInterval !== undefined ? { messageExpiryInterval: properties.messageExpiryInterval } : {}),
              ...(properties.userProperties !== undefined ? { userProperties: properties.userProperties } : {}),
            },
          }
        : {}),
    });
  }

  /**
   * Clears retained messages by publishing an empty retained message: to the
   * topic, and with `subtree` to each topic under it the model saw retained.
   */
  async clearRetained(topic: string, subtree: boolean): Promise<string[]> {
    this.requireConnected();
    const targets = new Set<string>([topic]);
    if (subtree) for (const summary of this.store.topics()) if (summary.retained && topicMatches(`${topic}/#`, summary.topic)) targets.add(summary.topic);
    for (const target of targets) await this.publish(target, new Uint8Array(0), 1, true);
    return [...targets];
  }

  setLimits(historyLength: number, memoryCapBytes: number): void {
    this.store.setLimits({ historyLength, memoryCapBytes });
  }

  /** Disconnects cleanly (the broker does not publish the last will) and stops the timers. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.diffTimer);
    await this.recorder?.close();
    this.recorder = undefined;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.firstOutcome?.reject(new ApiError('CANCELLED', 'The connection was closed before it was made.'));
    this.firstOutcome = undefined;
    const client = this.client;
    if (!client) return;
    // A clean DISCONNECT only where there is a session to end; a broker that no longer answers must not hold the close up.
    if (this.state === 'connected') await Promise.race([client.endAsync(false), new Promise((resolve) => setTimeout(resolve, 2000))]);
    client.end(true);
  }
}
