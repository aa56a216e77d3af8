// The test broker helper (test/support/mosquitto.ts) with mqtt.js: plain, TLS
// (server verification, client certificates), websockets, passwords and
// restart. Each refusal records what mqtt.js reports for it (error code and
// message), which is what the app has to turn into a message for the user.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Mosquitto } from '../../support/mosquitto.js';

const clients: MqttClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.endAsync(true)));
});

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Connects (no reconnecting unless `options` say so); resolves on CONNACK,
 * rejects with the first error mqtt.js emits, or when the connection closes
 * first. The client is ended after the test.
 */
function connect(url: string, options: IClientOptions = {}): Promise<MqttClient> {
  const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5000, ...options });
  clients.push(client);
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    // Stays attached: mqtt.js emits some errors twice (TLS verification
    // failures come from both the TLS socket and the stream).
    client.on('error', reject);
    client.once('close', () => reject(new Error('connection closed before CONNACK')));
  });
}

type Refusal = Error & { code?: unknown };

/** The error a connection that must fail ends with. */
async function refusal(url: string, options: IClientOptions = {}): Promise<Refusal> {
  const outcome = await connect(url, options).then(
    () => undefined,
    (err: Refusal) => err,
  );
  if (!outcome) throw new Error(`${url} accepted a connection that should have been refused`);
  return outcome;
}

let topics = 0;

/** Subscribes `sub` to a fresh topic, publishes on it through `pub` (QoS 1) and checks `sub` gets the message. */
async function roundTrip(sub: MqttClient, pub: MqttClient = sub): Promise<void> {
  const topic = `pinwheel/support/${process.pid}/${++topics}`;
  const payload = `payload on ${topic}`;
  await sub.subscribeAsync(topic, { qos: 1 });
  const received = new Promise<string>((resolve) =>
    sub.on('message', (t, message) => {
      if (t === topic) resolve(message.toString());
    }),
  );
  await pub.publishAsync(topic, payload, { qos: 1 });
  expect(await within(received, 3000, `message on ${topic}`)).toBe(payload);
}

function refusesTcp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });
}

describe('Mosquitto.start() with no options', () => {
  let broker: Mosquitto;
  beforeAll(async () => (broker = await Mosquitto.start()));
  afterAll(() => broker?.stop());

  it('is a plain anonymous broker on `port` and nothing else', async () => {
    expect(broker.tlsPort).toBeUndefined();
    expect(broker.wsPort).toBeUndefined();
    expect(broker.certs).toBeUndefined();
    await roundTrip(await connect(`mqtt://127.0.0.1:${broker.port}`));
  });
});

describe('tls', () => {
  let broker: Mosquitto;
  let url: string;
  beforeAll(async () => {
    broker = await Mosquitto.start({ tls: {} });
    url = `mqtts://localhost:${broker.tlsPort}`;
  });
  afterAll(() => broker?.stop());

  it('verifies the server against the test CA, by name (localhost) and by address (127.0.0.1)', async () => {
    const certs = broker.certs!;
    expect(certs.caPem).toContain('-----BEGIN CERTIFICATE-----');
    expect(fs.readFileSync(certs.caFile, 'utf8')).toBe(certs.caPem);
    expect(certs.clientCertPem).toBeUndefined();
    expect(broker.tlsPort).not.toBe(broker.port);
    const byName = await connect(url, { ca: certs.caPem });
    await roundTrip(byName);
    const byAddress = await connect(`mqtts://127.0.0.1:${broker.tlsPort}`, { ca: fs.readFileSync(certs.caFile) });
    // Through TLS one way, plain TCP the other: one broker.
    await roundTrip(byAddress, await connect(`mqtt://127.0.0.1:${broker.port}`));
  });

  it('fails verification against the wrong CA, or against the default roots', async () => {
    // mosquitto sends the chain up to the CA in its cafile, so Node meets a
    // self-signed root it does not trust.
    const wrongCa = await refusal(url, { ca: broker.certs!.wrongCaPem });
    expect(wrongCa.code).toBe('SELF_SIGNED_CERT_IN_CHAIN');
    expect(wrongCa.message).toBe('self-signed certificate in certificate chain');
    const noCa = await refusal(url);
    expect(noCa.code).toBe('SELF_SIGNED_CERT_IN_CHAIN');
  });

  it('fails when the name asked for is not in the certificate', async () => {
    const err = await refusal(`mqtts://127.0.0.1:${broker.tlsPort}`, { ca: broker.certs!.caPem, servername: 'mqtt.example.com' });
    expect(err.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(err.message).toContain("Hostname/IP does not match certificate's altnames");
  });

  it('connects without verification when rejectUnauthorized is false', async () => {
    await roundTrip(await connect(url, { rejectUnauthorized: false }));
  });
});

describe('tls with requireClientCert', () => {
  let broker: Mosquitto;
  let url: string;
  beforeAll(async () => {
    broker = await Mosquitto.start({ tls: { requireClientCert: true } });
    url = `mqtts://localhost:${broker.tlsPort}`;
  });
  afterAll(() => broker?.stop());

  it('refuses a client without a certificate', async () => {
    const err = await refusal(url, { ca: broker.certs!.caPem });
    // TLS 1.3: the handshake completes on the client's side, then the broker
    // sends the "certificate required" alert (116).
    expect(err.code).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
    expect(err.message).toContain('tlsv13 alert certificate required');
  });

  it('accepts the client certificate signed by the test CA', async () => {
    const certs = broker.certs!;
    expect(fs.readFileSync(certs.clientCertFile!, 'utf8')).toBe(certs.clientCertPem);
    expect(fs.readFileSync(certs.clientKeyFile!, 'utf8')).toBe(certs.clientKeyPem);
    expect(certs.clientKeyPem).toContain('PRIVATE KEY');
    await roundTrip(await connect(url, { ca: certs.caPem, cert: certs.clientCertPem, key: certs.clientKeyPem }));
  });
});

describe('websockets', () => {
  let broker: Mosquitto;
  beforeAll(async () => (broker = await Mosquitto.start({ websockets: true })));
  afterAll(() => broker?.stop());

  it('serves MQTT over websockets on wsPort, to the same broker as the plain listener', async () => {
    expect(broker.wsPort).toBeDefined();
    expect(broker.wsPort).not.toBe(broker.port);
    const ws = await connect(`ws://127.0.0.1:${broker.wsPort}`);
    await roundTrip(ws);
    await roundTrip(ws, await connect(`mqtt://127.0.0.1:${broker.port}`));
  });
});

describe('auth', () => {
  let broker: Mosquitto;
  let url: string;
  beforeAll(async () => {
    broker = await Mosquitto.start({ auth: { username: 'alice', password: 'correct horse' } });
    url = `mqtt://127.0.0.1:${broker.port}`;
  });
  afterAll(() => broker?.stop());

  // mosquitto 2.0.11 answers a wrong password, an unknown user and a missing
  // username alike with "not authorised": CONNACK return code 5 (MQTT 3.1.1)
  // or reason code 135 (MQTT 5), never "bad username or password" (4 / 134).
  it('refuses a wrong password (MQTT 3.1.1: code 5)', async () => {
    const err = await refusal(url, { username: 'alice', password: 'wrong' });
    expect(err.code).toBe(5);
    expect(err.message).toBe('Connection refused: Not authorized');
  });

  it('refuses a wrong password (MQTT 5: reason code 135)', async () => {
    const err = await refusal(url, { protocolVersion: 5, username: 'alice', password: 'wrong' });
    expect(err.code).toBe(135);
    expect(err.message).toBe('Connection refused: Not authorized');
  });

  it('refuses anonymous clients and unknown users the same way', async () => {
    expect((await refusal(url)).code).toBe(5);
    expect((await refusal(url, { username: 'mallory', password: 'correct horse' })).code).toBe(5);
  });

  it('accepts the right password', async () => {
    await roundTrip(await connect(url, { username: 'alice', password: 'correct horse' }));
    await roundTrip(await connect(url, { protocolVersion: 5, username: 'alice', password: 'correct horse' }));
  });
});

describe('restart()', () => {
  it('brings the broker back on the same ports and config; a reconnecting client resubscribes', async () => {
    const broker = await Mosquitto.start({ tls: {}, websockets: true });
    try {
      const ports = [broker.port, broker.tlsPort, broker.wsPort];
      const client = await connect(`mqtt://127.0.0.1:${broker.port}`, { reconnectPeriod: 100 });
      let connects = 1;
      client.on('connect', () => connects++);
      const topic = `pinwheel/support/${process.pid}/restart`;
      await client.subscribeAsync(topic, { qos: 1 });
      const offline = new Promise<void>((resolve) => client.once('offline', resolve));
      // The next SUBACK can only be the resubscription after reconnecting.
      const resubscribed = new Promise<void>((resolve) =>
        client.on('packetreceive', (packet) => {
          if (packet.cmd === 'suback') resolve();
        }),
      );

      await broker.restart();
      expect([broker.port, broker.tlsPort, broker.wsPort]).toEqual(ports);
      await within(offline, 3000, 'client going offline');
      await within(resubscribed, 5000, 'resubscription after restart');
      expect(connects).toBe(2);
      expect(broker.output.match(/mosquitto version [\d.]+ starting/g)).toHaveLength(2);

      const received = new Promise<string>((resolve) => client.on('message', (t, m) => t === topic && resolve(m.toString())));
      const publisher = await connect(`mqtts://localhost:${broker.tlsPort}`, { ca: broker.certs!.caPem });
      await publisher.publishAsync(topic, 'after restart', { qos: 1 });
      expect(await within(received, 3000, 'message after restart')).toBe('after restart');
      await roundTrip(await connect(`ws://127.0.0.1:${broker.wsPort}`));
    } finally {
      await broker.stop();
    }
  });

  it('stop() ends the broker and removes its files', async () => {
    const broker = await Mosquitto.start({ tls: { requireClientCert: true }, auth: { username: 'u', password: 'p' } });
    const dir = path.dirname(broker.certs!.caFile);
    expect(fs.existsSync(path.join(dir, 'passwd'))).toBe(true);
    await broker.stop();
    expect(fs.existsSync(dir)).toBe(false);
    expect(await refusesTcp(broker.port)).toBe(true);
    expect(await refusesTcp(broker.tlsPort!)).toBe(true);
  });
});
