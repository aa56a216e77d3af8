/**
 * `pinwheel mqtt sub` and `pinwheel mqtt pub`: watching and driving devices
 * from a shell, with mosquitto_sub/mosquitto_pub's flags and meanings (-h
 * host, -p port, -t topic, -q QoS, -v topic and payload, -C count, -r
 * retain), so scripts written for those clients read the same. Its own
 * command line: those short flags mean other things in the board commands
 * (-p the serial port, -h help, -v version), and it never chains.
 */
import { parseArgs } from 'node:util';
import type { IClientOptions, MqttClient } from 'mqtt';
import { checkTopicFilter, checkTopicName } from '../../common/mqtt/topics.js';
import { errorMessage } from '../../common/util/format.js';
import { CommandError, EXIT_USAGE, UsageError } from '../CommandError.js';

/** How long connecting may take before the command gives up. */
export const CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_PORT = 1883;

export const MQTT_USAGE = [
  'Usage: pinwheel mqtt sub [-h HOST] [-p PORT] -t FILTER... [-q QOS] [-v] [-C COUNT] [-W SECONDS] [-R]',
  '       pinwheel mqtt pub [-h HOST] [-p PORT] -t TOPIC (-m MESSAGE | -n) [-q QOS] [-r]',
  '',
  'Flags as mosquitto_sub and mosquitto_pub have them:',
  '  -h, --host HOST       broker host (default localhost)',
  '  -p, --port PORT       broker port (default 1883)',
  '  -t, --topic T         sub: a topic filter (+ one level, # the rest), several allowed; pub: the topic',
  '  -q, --qos 0|1|2       quality of service (default 0)',
  '  -v, --verbose         sub: print "topic payload" rather than the payload alone',
  '  -C, --count N         sub: exit after N messages',
  '  -W, --timeout S       sub: give up after S seconds (exit 27, as mosquitto_sub)',
  '  -R, --no-retained     sub: skip retained messages (the stored ones sent on subscribing)',
  '  -m, --message M       pub: the payload',
  '  -n, --null-message    pub: an empty payload (with -r it clears the retained message)',
  '  -r, --retain          pub: the broker keeps it for later subscribers',
  '  -i, --id ID           client id (default pinwheel- and random characters)',
  '  -u, --username U      -P, --pw PASSWORD',
  '  -V, --protocol-version mqttv311|mqttv5 (default mqttv311)',
  '  -d, --debug           say on stderr when connected and subscribed',
].join('\n');

/** mosquitto_sub's exit code when -W ran out. */
export const EXIT_TIMED_OUT = 27;

const FLAGS = {
  host: { type: 'string', short: 'h' },
  port: { type: 'string', short: 'p' },
  topic: { type: 'string', short: 't', multiple: true },
  qos: { type: 'string', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
  count: { type: 'string', short: 'C' },
  timeout: { type: 'string', short: 'W' },
  'no-retained': { type: 'boolean', short: 'R' },
  message: { type: 'string', short: 'm' },
  'null-message': { type: 'boolean', short: 'n' },
  retain: { type: 'boolean', short: 'r' },
  id: { type: 'string', short: 'i' },
  username: { type: 'string', short: 'u' },
  pw: { type: 'string', short: 'P' },
  'protocol-version': { type: 'string', short: 'V' },
  debug: { type: 'boolean', short: 'd' },
  help: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof FLAGS; allowPositionals: true }>>['values'];

export interface MqttIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  signal: AbortSignal;
}

function wholeNumber(value: string | undefined, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${value}".`);
  return n;
}

function qosOf(values: Values): 0 | 1 | 2 {
  return (wholeNumber(values.qos, '-q', 0, 2) ?? 0) as 0 | 1 | 2;
}

/** The broker connection both sub-commands open. */
function clientOptions(values: Values, signalName: string): { url: string; options: IClientOptions } {
  const host = values.host ?? 'localhost';
  const port = wholeNumber(values.port, '-p', 1, 65_535) ?? DEFAULT_PORT;
  const version = values['protocol-version'] ?? 'mqttv311';
  if (!['mqttv311', 'mqttv5', '311', '5'].includes(version)) throw new UsageError(`-V must be mqttv311 or mqttv5, not "${version}".`);
  return {
    url: `mqtt://${host.includes(':') ? `[${host}]` : host}:${port}`,
    options: {
      clientId: values.id ?? `pinwheel-${signalName}-${Math.random().toString(16).slice(2, 10)}`,
      protocolVersion: version.endsWith('5') ? 5 : 4,
      connectTimeout: CONNECT_TIMEOUT_MS,
      // A command line tool reports a lost broker rather than retrying behind the user's back.
      reconnectPeriod: 0,
      ...(values.username !== undefined ? { username: values.username } : {}),
      ...(values.pw !== undefined ? { password: values.pw } : {}),
    },
  };
}

/** Connects, or fails with what the broker or the network said; Ctrl-C gives up the wait. */
async function connect(url: string, options: IClientOptions, signal: AbortSignal): Promise<MqttClient> {
  const mqtt = await import('mqtt');
  const client = mqtt.connect(url, options);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new CommandError(`Could not connect to the broker at ${url}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s.`)), CONNECT_TIMEOUT_MS);
      const done = (err?: Error) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      const onAbort = () => done(new CommandError('Interrupted while connecting to the broker.', 130));
      signal.addEventListener('abort', onAbort, { once: true });
      client.once('connect', () => done());
      client.once('error', (err: Error & { code?: string | number }) =>
        done(
          typeof err.code === 'number'
            ? // A CONNACK refusal: bad credentials, not authorized, an unsupported protocol version.
              new CommandError(`The broker at ${url} refused the connection: ${err.message.replace(/^Connection refused: /, '')}.`)
            : new CommandError(`Could not connect to the broker at ${url}: ${err.message}${err.code === 'ECONNREFUSED' ? ' (is a broker listening there?)' : ''}.`),
        ),
      );
      client.once('close', () => done(new CommandError(`Could not connect to the broker at ${url}: the connection closed (is a broker listening there?).`)));
    });
  } catch (err) {
    client.end(true);
    throw err;
  }
  return client;
}

function end(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.end(false, {}, () => resolve()));
}

export async function mqttMain(argv: string[], io: MqttIo): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || (verb !== 'sub' && verb !== 'pub')) {
    (verb === '--help' ? io.stdout : io.stderr).write(`${MQTT_USAGE}\n`);
    if (verb === '--help') return 0;
    return EXIT_USAGE;
  }
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options: FLAGS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${errorMessage(err)}\n${MQTT_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${MQTT_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`Unexpected "${positionals[0]}". Topics go after -t and payloads after -m.\n${MQTT_USAGE}`);
  return verb === 'sub' ? subscribe(values, io) : publish(values, io);
}

async function subscribe(values: Values, io: MqttIo): Promise<number> {
  const filters = values.topic ?? [];
  if (filters.length === 0) throw new UsageError(`pinwheel mqtt sub needs at least one -t FILTER.\n${MQTT_USAGE}`);
  for (const filter of filters) {
    const check = checkTopicFilter(filter);
    if (!check.ok) throw new UsageError(check.error);
  }
  const qos = qosOf(values);
  const count = wholeNumber(values.count, '-C', 1);
  const timeoutS = wholeNumber(values.timeout, '-W', 1);
  const { url, options } = clientOptions(values, 'sub');
  const client = await connect(url, options, io.signal);
  try {
    const granted = await client.subscribeAsync(Object.fromEntries(filters.map((topic) => [topic, { qos }])));
    const refused = granted.filter((g) => g.qos === 128 || g.qos > 2);
    if (refused.length > 0) throw new CommandError(`The broker refused the subscription to ${refused.map((g) => `"${g.topic}"`).join(', ')} (not authorized, or not supported).`);
    if (values.debug) io.stderr.write(`pinwheel: subscribed to ${granted.map((g) => `${g.topic} (QoS ${g.qos})`).join(', ')} at ${url}\n`);
    return await new Promise<number>((resolve, reject) => {
      let received = 0;
      const timer = timeoutS === undefined ? undefined : setTimeout(() => finish(EXIT_TIMED_OUT, `Timed out after ${timeoutS} s with ${received} message${received === 1 ? '' : 's'}.`), timeoutS * 1000);
      const finish = (code: number, why?: string) => {
        if (timer) clearTimeout(timer);
        io.signal.removeEventListener('abort', onAbort);
        client.removeListener('message', onMessage);
        client.removeListener('close', onClose);
        if (why) io.stderr.write(`pinwheel: ${why}\n`);
        resolve(code);
      };
      const onAbort = () => finish(0);
      const onClose = () => {
        if (timer) clearTimeout(timer);
        io.signal.removeEventListener('abort', onAbort);
        reject(new CommandError(`The broker at ${url} closed the connection.`));
      };
      const onMessage = (topic: string, payload: Buffer, packet: { retain?: boolean }) => {
        if (values['no-retained'] && packet.retain) return;
        if (values.verbose) io.stdout.write(`${topic} `);
        io.stdout.write(payload);
        io.stdout.write('\n');
        received++;
        if (count !== undefined && received >= count) finish(0);
      };
      io.signal.addEventListener('abort', onAbort, { once: true });
      client.on('message', onMessage);
      client.once('close', onClose);
    });
  } finally {
    await end(client);
  }
}

async function publish(values: Values, io: MqttIo): Promise<number> {
  const topics = values.topic ?? [];
  if (topics.length !== 1) throw new UsageError(`pinwheel mqtt pub needs exactly one -t TOPIC.\n${MQTT_USAGE}`);
  const topic = topics[0]!;
  const check = checkTopicName(topic);
  if (!check.ok) throw new UsageError(check.error);
  if (values.message === undefined && !values['null-message']) throw new UsageError(`pinwheel mqtt pub needs -m MESSAGE (or -n for an empty payload).\n${MQTT_USAGE}`);
  if (values.message !== undefined && values['null-message']) throw new UsageError('Give -m or -n, not both.');
  const qos = qosOf(values);
  const { url, options } = clientOptions(values, 'pub');
  const client = await connect(url, options, io.signal);
  try {
    // QoS 1 and 2 resolve once the broker has acknowledged the message; QoS 0 once it is written out.
    await client.publishAsync(topic, values.message ?? '', { qos, retain: values.retain === true });
  } catch (err) {
    throw new CommandError(`Publishing to "${topic}" failed: ${errorMessage(err)}.`);
  } finally {
    await end(client);
  }
  return 0;
}
