/**
 * The MQTT explorer: saved connection profiles (secrets stay in the main
 * process, encrypted at rest), live connections with their state, the
 * subscriptions of each, publishing, and the topic model's changes as batched
 * diffs (`mqtt.topics`, at most ten a second per connection). The model lives
 * in the main process; the renderer asks for history and full payloads.
 */
import { z } from 'zod';
import { checkTopicFilter, checkTopicName } from '../../mqtt/topics.js';
import { Bytes, Empty, NoParams, call, type CallTable, type EventTable } from './schema.js';

const Qos = z.union([z.literal(0), z.literal(1), z.literal(2)]);
const Id = z.string().min(1).max(100);

/** A filter as MQTT allows it; the message says what is wrong ("`#` must be the last level"). */
export const TopicFilter = z.string().superRefine((value, ctx) => {
  const check = checkTopicFilter(value);
  if (!check.ok) ctx.addIssue({ code: 'custom', message: check.error });
});
/** A topic to publish to: no wildcards. */
export const TopicName = z.string().superRefine((value, ctx) => {
  const check = checkTopicName(value);
  if (!check.ok) ctx.addIssue({ code: 'custom', message: check.error });
});

export const MQTT_URL_SCHEMES = ['mqtt', 'mqtts', 'ws', 'wss'] as const;
/** `mqtt://host:port` and the other schemes; the form says which are accepted. */
export const BrokerUrl = z
  .string()
  .max(2048)
  .superRefine((value, ctx) => {
    const problem = brokerUrlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Why a broker URL cannot be used, or undefined when it can (the form checks as the user types). */
export function brokerUrlProblem(value: string): string | undefined {
  const text = value.trim();
  if (text === '') return 'Type the broker address, like mqtt://localhost:1883.';
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (!scheme) return 'Start the address with mqtt://, mqtts://, ws:// or wss://.';
  if (!(MQTT_URL_SCHEMES as readonly string[]).includes(scheme)) return `"${scheme}://" is not an MQTT scheme; use mqtt://, mqtts://, ws:// or wss://.`;
  const rest = text.slice(scheme.length + 3);
  const hostPort = rest.split('/')[0] ?? '';
  if (hostPort === '' || hostPort.startsWith(':')) return 'The address needs a host name, like mqtt://localhost:1883.';
  const port = /^(?:\[[^\]]+\]|[^:]+)(?::(\d*))?$/.exec(hostPort.replace(/^[^@]*@/, ''))?.[1];
  if (port !== undefined && (port === '' || Number(port) < 1 || Number(port) > 65_535)) return 'The port must be a number from 1 to 65535.';
  return undefined;
}

export const SubscriptionDto = z
  .object({
    filter: TopicFilter,
    qos: Qos,
    /** MQTT 5: do not send this connection's own publishes back to it. */
    noLocal: z.boolean().optional(),
    /** MQTT 5: keep the retain flag as published instead of clearing it on live messages. */
    retainAsPublished: z.boolean().optional(),
    /** MQTT 5: 0 send retained messages on subscribe, 1 only for a new subscription, 2 never. */
    retainHandling: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
  })
  .strict();
export type SubscriptionDto = z.infer<typeof SubscriptionDto>;

export const LastWillDto = z.object({ topic: TopicName, payload: z.string().max(64 * 1024), qos: Qos, retain: z.boolean() }).strict();

const Pem = z.string().max(64 * 1024);

/** A path into a JSON payload (object keys and array indexes), for widgets and plots that follow one field. */
const JsonPathDto = z.array(z.union([z.string().max(200), z.number().int().min(0)])).max(20);
const WidgetBase = { id: Id, title: z.string().max(100) };
/**
 * What a dashboard shows, bound to topics (what the seeds' phone app did): a
 * switch that publishes on/off payloads and shows the state topic, a button,
 * a value (a gauge when it has a range) and a line chart.
 */
export const WidgetDto = z.discriminatedUnion('kind', [
  z
    .object({
      ...WidgetBase,
      kind: z.literal('switch'),
      /** Where the state is read (e.g. `room/led/stat`). */
      stateTopic: TopicName,
      /** Where on/off is published (e.g. `room/led/cmd`); the state topic when empty. */
      commandTopic: z.union([TopicName, z.literal('')]),
      onPayload: z.string().max(1024),
      offPayload: z.string().max(1024),
      qos: Qos,
      retain: z.boolean(),
    })
    .strict(),
  z.object({ ...WidgetBase, kind: z.literal('button'), topic: TopicName, payload: z.string().max(64 * 1024), qos: Qos, retain: z.boolean() }).strict(),
  z
    .object({
      ...WidgetBase,
      kind: z.literal('value'),
      topic: TopicName,
      field: JsonPathDto,
      unit: z.string().max(20),
      /** Both set: drawn as a gauge between them. */
      min: z.number().nullable(),
      max: z.number().nullable(),
    })
    .strict(),
  z.object({ ...WidgetBase, kind: z.literal('chart'), topic: TopicName, field: JsonPathDto, unit: z.string().max(20) }).strict(),
]);
export type WidgetDto = z.infer<typeof WidgetDto>;

/** A saved connection as the renderer sees it: secrets are never sent back, only whether they are set. */
export const MqttProfileDto = z.object({
  id: Id,
  name: z.string().min(1).max(200),
  url: BrokerUrl,
  protocolVersion: z.union([z.literal(4), z.literal(5)]),
  /** Empty: a fresh `pinwheel-xxxxxxxx` per connection. */
  clientId: z.string().max(200),
  username: z.string().max(1024),
  hasPassword: z.boolean(),
  tls: z.object({
    /** PEM; empty: the system's CAs. */
    ca: Pem,
    clientCert: Pem,
    hasClientKey: z.boolean(),
    /** False accepts any certificate: the view warns while it is off. */
    verify: z.boolean(),
  }),
  keepaliveSeconds: z.number().int().min(0).max(65_535),
  cleanStart: z.boolean(),
  /** MQTT 5: how long the broker keeps the session after a disconnect. */
  sessionExpirySeconds: z.number().int().min(0).max(4_294_967_295),
  will: LastWillDto.nullable(),
  subscriptions: z.array(SubscriptionDto).max(100),
  /** The profile's dashboard; saved profiles from before dashboards have none. */
  dashboard: z.array(WidgetDto).max(100).default([]),
});
export type MqttProfileDto = z.infer<typeof MqttProfileDto>;

/** What a save sends: the profile plus secrets; a secret left out keeps the saved one, `null` removes it. */
export const MqttProfileInput = MqttProfileDto.omit({ id: true, hasPassword: true, tls: true, dashboard: true })
  .extend({
    id: Id.optional(),
    /** Left out: the saved dashboard stays. */
    dashboard: z.array(WidgetDto).max(100).optional(),
    password: z.string().max(1024).nullable().optional(),
    tls: z.object({ ca: Pem, clientCert: Pem, clientKey: Pem.nullable().optional(), verify: z.boolean() }).strict(),
  })
  .strict();
export type MqttProfileInput = z.input<typeof MqttProfileInput>;

export const MQTT_CONNECTION_STATES = ['connecting', 'connected', 'retrying', 'disconnected', 'failed'] as const;

export const SubscriptionStateDto = SubscriptionDto.extend({
  /** What the broker granted; absent while pending. */
  grantedQos: Qos.optional(),
  /** Why the broker refused it (SUBACK failure), shown beside the filter. */
  error: z.string().optional(),
});

export const MqttConnectionDto = z.object({
  id: Id,
  profileId: Id,
  name: z.string(),
  url: z.string(),
  protocolVersion: z.union([z.literal(4), z.literal(5)]),
  clientId: z.string(),
  state: z.enum(MQTT_CONNECTION_STATES),
  /** Why the last attempt failed or the connection dropped. */
  error: z.string().optional(),
  /** When 'retrying': the next attempt (ms since the epoch). */
  retryAt: z.number().optional(),
  /** Attempts since the last success. */
  attempts: z.number(),
  subscriptions: z.array(SubscriptionStateDto),
  /** TLS certificate verification is off for this connection. */
  insecure: z.boolean(),
  /** Messages being written to a CSV file as they arrive (`mqtt.record`). */
  recording: z.object({ filter: z.string(), path: z.string(), rows: z.number(), error: z.string().optional() }).optional(),
});
export type MqttConnectionDto = z.infer<typeof MqttConnectionDto>;

const PropertiesDto = z
  .object({
    contentType: z.string().optional(),
    responseTopic: z.string().optional(),
    correlationData: Bytes.optional(),
    payloadFormatIndicator: z.boolean().optional(),
    messageExpiryInterval: z.number().optional(),
    topicAlias: z.number().optional(),
    subscriptionIdentifiers: z.array(z.number()).optional(),
    userProperties: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  })
  .strict();

export const StoredMessageDto = z.object({
  seq: z.number(),
  topic: z.string(),
  payload: Bytes,
  size: z.number(),
  truncated: z.boolean(),
  qos: Qos,
  retain: z.boolean(),
  receivedAt: z.number(),
  properties: PropertiesDto.optional(),
});
export type StoredMessageDto = z.infer<typeof StoredMessageDto>;

export const TopicSummaryDto = z.object({
  /** The store's id for the topic: diffs name topics by it. */
  id: z.number(),
  topic: z.string(),
  count: z.number(),
  rate: z.number(),
  last: z.object({ seq: z.number(), preview: Bytes, size: z.number(), qos: Qos, retain: z.boolean(), receivedAt: z.number() }),
  retained: z.boolean(),
});
export type TopicSummaryDto = z.infer<typeof TopicSummaryDto>;

export const MemoryUseDto = z.object({ usedBytes: z.number(), capBytes: z.number(), evictedMessages: z.number(), evictedBytes: z.number() });
export type MemoryUseDto = z.infer<typeof MemoryUseDto>;

export const ModelLimitsDto = z
  .object({
    historyLength: z.number().int().min(1).max(100_000),
    memoryCapBytes: z.number().int().min(1024 * 1024).max(8 * 1024 * 1024 * 1024),
  })
  .strict();

const ConnectionRef = z.object({ connectionId: Id }).strict();

export const mqttCalls = {
  /** The saved connection profiles, and where their secrets are kept (said in the UI). */
  'mqtt.profiles': call(NoParams, z.object({ profiles: z.array(MqttProfileDto), secretsStorage: z.string() })),
  /** Creates (no id) or replaces a profile; returns it as saved. */
  'mqtt.saveProfile': call(MqttProfileInput, MqttProfileDto),
  'mqtt.deleteProfile': call(z.object({ profileId: Id }).strict(), Empty),
  /** The open connections with their states. */
  'mqtt.connections': call(NoParams, z.array(MqttConnectionDto)),
  /**
   * Opens a connection for a saved profile; returns once the first attempt
   * has an outcome (connected, or failed with the broker's reason). A dropped
   * connection is retried with backoff and its subscriptions made again.
   */
  'mqtt.connect': call(z.object({ profileId: Id }).strict(), MqttConnectionDto),
  /** Closes a connection cleanly (no last will) and forgets its model. */
  'mqtt.disconnect': call(ConnectionRef, Empty),
  /** Adds or changes a subscription (the profile remembers it); resolves with the broker's answer. */
  'mqtt.subscribe': call(z.object({ connectionId: Id, subscription: SubscriptionDto }).strict(), SubscriptionStateDto),
  'mqtt.unsubscribe': call(z.object({ connectionId: Id, filter: TopicFilter }).strict(), Empty),
  /** Publishes; resolves once QoS 1/2 are acknowledged. */
  'mqtt.publish': call(
    z
      .object({
        connectionId: Id,
        topic: TopicName,
        payload: Bytes,
        qos: Qos,
        retain: z.boolean(),
        properties: PropertiesDto.omit({ subscriptionIdentifiers: true, topicAlias: true }).optional(),
      })
      .strict(),
    Empty,
  ),
  /**
   * Every topic's summary: what a window that opens late starts from before
   * the diffs. The same binary block as a diff (common/mqtt/diffCodec.ts),
   * with `reset` set and every topic named: 10,000 topics as JSON cost the
   * host a spike that a flood could not afford.
   */
  'mqtt.topics': call(ConnectionRef, z.object({ snapshot: Bytes })),
  /** A topic's kept messages, newest last. */
  'mqtt.history': call(
    z
      .object({
        connectionId: Id,
        topic: z.string(),
        limit: z.number().int().min(1).max(100_000).optional(),
        beforeSeq: z.number().optional(),
        /** Cuts each payload to this many bytes (a list of 1,000 messages needs their starts, not megabytes). */
        payloadBytes: z.number().int().min(0).optional(),
      })
      .strict(),
    z.array(StoredMessageDto),
  ),
  /** One message's full payload, while the model still keeps it (a long payload's tail is kept only for the newest). */
  'mqtt.payload': call(z.object({ connectionId: Id, topic: z.string(), seq: z.number() }).strict(), z.object({ payload: Bytes.nullable() })),
  /**
   * Clears retained messages: publishes an empty retained message to the
   * topic, or with `subtree` to every topic under it the model saw retained.
   * Returns the topics cleared.
   */
  'mqtt.clearRetained': call(z.object({ connectionId: Id, topic: TopicName, subtree: z.boolean() }).strict(), z.object({ cleared: z.array(z.string()) })),
  /** Forgets every message the model holds for a connection (the subscriptions stay). */
  'mqtt.clearModel': call(ConnectionRef, Empty),
  /** Replaces a profile's dashboard. */
  'mqtt.saveDashboard': call(z.object({ profileId: Id, widgets: z.array(WidgetDto).max(100) }).strict(), MqttProfileDto),
  /**
   * Writes every message matching `filter` to a CSV file as it arrives
   * (timestamp, topic, payload, then the first JSON message's fields as
   * columns), until `mqtt.stopRecording`. `path` absent: a new file in the
   * project folder (or ~/Pinwheel recordings). Returns the file's path.
   */
  'mqtt.record': call(z.object({ connectionId: Id, filter: TopicFilter, path: z.string().min(1).max(4096).optional() }).strict(), z.object({ path: z.string() })),
  'mqtt.stopRecording': call(ConnectionRef, z.object({ path: z.string(), rows: z.number() })),
  /** A topic's kept messages (with `subtree`, every topic's under it) as CSV or JSON, for the renderer to save. */
  'mqtt.export': call(
    z.object({ connectionId: Id, topic: z.string(), subtree: z.boolean(), format: z.enum(['csv', 'json']) }).strict(),
    z.object({ fileName: z.string(), content: Bytes, messages: z.number() }),
  ),
  /** How much each connection's model keeps. */
  'mqtt.limits': call(NoParams, ModelLimitsDto),
  'mqtt.setLimits': call(ModelLimitsDto, ModelLimitsDto),
} as const satisfies CallTable;

export const mqttEvents = {
  /** A connection changed state (or opened, or closed: `closed` true and it is gone). */
  'mqtt.connection': MqttConnectionDto.extend({ closed: z.boolean() }),
  /**
   * What changed in a connection's topic model since its previous diff (at
   * most ten a second), in the binary form of common/mqtt/diffCodec.ts: the
   * decoder there checks it whole.
   */
  'mqtt.topics': z.object({ connectionId: Id, diff: Bytes }),
} as const satisfies EventTable;

/** The MQTT broker on this computer. */
export const BrokerStatusDto = z.object({
  running: z.boolean(),
  port: z.number().optional(),
  websocketPort: z.number().optional(),
  lan: z.boolean(),
  /** Where boards connect: LAN addresses when on the LAN, else 127.0.0.1. */
  addresses: z.array(z.string()),
  authenticated: z.boolean(),
  /** A board's config.json for the broker, ready to paste. */
  configJson: z.string().optional(),
  /** The umqtt lines a board runs to connect to it. */
  umqttSnippet: z.string().optional(),
  error: z.string().optional(),
});
export type BrokerStatusDto = z.infer<typeof BrokerStatusDto>;

export const brokerCalls = {
  'broker.status': call(NoParams, BrokerStatusDto),
  /** Starts it on 1883 or the next free port; loopback unless `lan`. */
  'broker.start': call(
    z
      .object({
        port: z.number().int().min(1).max(65_535).optional(),
        lan: z.boolean(),
        username: z.string().max(1024).optional(),
        password: z.string().max(1024).optional(),
        websocket: z.boolean(),
      })
      .strict(),
    BrokerStatusDto,
  ),
  'broker.stop': call(NoParams, BrokerStatusDto),
} as const satisfies CallTable;

export const brokerEvents = {
  'broker.status': BrokerStatusDto,
} as const satisfies EventTable;
