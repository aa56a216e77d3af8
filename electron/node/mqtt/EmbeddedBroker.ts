/**
 * The MQTT broker Pinwheel runs on this computer when there is none (aedes):
 * on port 1883 or the next free one, on loopback unless the LAN is asked for
 * (boards on Wi-Fi reach a broker on the laptop only through its LAN
 * address), with an optional username and password, and its retained
 * messages kept in a file so a restart does not forget a device's last state.
 */
import { mkdir, readFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { Aedes, AuthenticateError } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { errorMessage } from '../../common/util/format.js';
import { writeFileAtomic } from '../services/writeFileAtomic.js';

export const DEFAULT_BROKER_PORT = 1883;
/** How many ports after the asked one are tried when it is taken. */
const PORT_TRIES = 20;
/** Retained messages are written out this long after the last change, not on every message. */
const RETAINED_SAVE_DELAY_MS = 300;
/** MQTT 3.1.1 CONNACK return code 4 (MQTT 5 maps it to 0x86). */
const BAD_USERNAME_OR_PASSWORD = 4;

export interface EmbeddedBrokerOptions {
  /** The port to try first; the next free ones after it when taken. Default 1883. */
  port?: number;
  /** Listen on every interface (boards on the network can connect); default loopback only. */
  lan?: boolean;
  /** When both are set, clients must give them. */
  username?: string;
  password?: string;
  /** Where retained messages are kept across restarts; none: kept in memory only. */
  retainedFile?: string;
  /** Also accept MQTT over WebSocket (browsers, ws:// clients) on 9001 or the next free port. */
  websocket?: boolean;
}

export const DEFAULT_WEBSOCKET_PORT = 9001;

interface WebSocketListener {
  server: http.Server;
  sockets: WebSocketServer;
  port: number;
}

interface StoredRetained {
  topic: string;
  payloadBase64: string;
  qos: 0 | 1 | 2;
}

/** This computer's IPv4 addresses on its networks (what a board on the same Wi-Fi connects to). */
export function lanAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}

/**
 * Writes made in one turn of the event loop leave in one syscall. aedes
 * writes each QoS 0 message to a subscriber from a setImmediate of its own,
 * and mqtt-packet uncorks after every packet: one writev per message, a
 * quarter of the routing time in the flood benchmark.
 */
function coalesceWrites(socket: net.Socket): void {
  let corked = false;
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  socket.write = ((...args: unknown[]) => {
    if (!corked) {
      corked = true;
      socket.cork();
      setImmediate(() => {
        corked = false;
        socket.uncork();
      });
    }
    return write(...args);
  }) as typeof socket.write;
}

/** The addresses clients reach a broker listening on `host` by. */
export function brokerAddresses(host: string): string[] {
  return host === '0.0.0.0' ? lanAddresses() : ['127.0.0.1'];
}

function listen(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Listens on `first` or, when it is taken, on one of the next ports; returns the port. */
async function listenOnFreePort(server: net.Server, first: number, host: string): Promise<number> {
  for (let candidate = first; candidate < first + PORT_TRIES && candidate <= 65_535; candidate++) {
    try {
      await listen(server, candidate, host);
      return candidate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw new Error(`The broker could not listen on ${host}:${candidate}: ${errorMessage(err)}`);
    }
  }
  throw new Error(`Ports ${first} to ${first + PORT_TRIES - 1} are all in use; give another port.`);
}

/** MQTT over WebSocket: each socket becomes a byte stream for the same broker. */
async function startWebSocketListener(broker: Aedes, host: string): Promise<WebSocketListener> {
  const server = http.createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' });
    res.end('This port speaks MQTT over WebSocket.\n');
  });
  // Clients offer the "mqtt" subprotocol (older ones "mqttv3.1"); the broker answers with the one offered.
  const sockets = new WebSocketServer({ server, handleProtocols: (offered) => ([...offered].find((p) => p.startsWith('mqtt')) ?? false) });
  sockets.on('connection', (socket) => broker.handle(createWebSocketStream(socket) as unknown as net.Socket));
  try {
    const port = await listenOnFreePort(server, DEFAULT_WEBSOCKET_PORT, host);
    return { server, sockets, port };
  } catch (err) {
    sockets.close();
    throw err;
  }
}

export class EmbeddedBroker {
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    private readonly broker: Aedes,
    private readonly server: net.Server,
    private readonly websocket: WebSocketListener | undefined,
    readonly host: string,
    readonly port: number,
    private readonly retained: Map<string, StoredRetained>,
    private readonly retainedFile: string | undefined,
  ) {}

  static async start(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
    const { Aedes } = await import('aedes');
    const { username, password } = options;
    const broker = await Aedes.createBroker({
      ...(username !== undefined && password !== undefined
        ? {
            authenticate: (_client, user, pass, done) => {
              if (user === username && pass?.toString('utf8') === password) return done(null, true);
              const refused = new Error('Bad username or password') as AuthenticateError;
              refused.returnCode = BAD_USERNAME_OR_PASSWORD;
              done(refused, false);
            },
          }
        : {}),
    });
    const host = options.lan ? '0.0.0.0' : '127.0.0.1';
    const server = net.createServer((socket) => {
      coalesceWrites(socket);
      broker.handle(socket);
    });
    let port: number;
    let websocket: WebSocketListener | undefined;
    try {
      port = await listenOnFreePort(server, options.port ?? DEFAULT_BROKER_PORT, host);
      if (options.websocket) websocket = await startWebSocketListener(broker, host);
    } catch (err) {
      server.close();
      broker.close();
      throw err;
    }
    const retained = await loadRetained(options.retainedFile);
    const self = new EmbeddedBroker(broker, server, websocket, host, port, retained, options.retainedFile);
    await self.restoreRetained();
    broker.on('publish', (packet) => self.noteRetained(packet.topic, packet.payload, packet.qos, packet.retain));
    return self;
  }

  /** Every retained message goes out again, so subscribers after a restart get the last state. */
  private async restoreRetained(): Promise<void> {
    for (const { topic, payloadBase64, qos } of this.retained.values()) {
      await new Promise<void>((resolve) =>
        this.broker.publish({ cmd: 'publish', topic, payload: Buffer.from(payloadBase64, 'base64'), qos, retain: true, dup: false }, () => resolve()),
      );
    }
  }

  private noteRetained(topic: string, payload: string | Buffer, qos: 0 | 1 | 2, retain: boolean): void {
    // The broker's own $SYS heartbeat is not a device's state.
    if (!retain || topic.startsWith('$') || !this.retainedFile) return;
    const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
    // An empty retained payload clears the topic's retained message.
    if (bytes.length === 0) this.retained.delete(topic);
    else this.retained.set(topic, { topic, payloadBase64: bytes.toString('base64'), qos });
    this.scheduleSave();
  }

  private scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saving = this.saving.then(() => this.save());
    }, RETAINED_SAVE_DELAY_MS);
  }

  private async save(): Promise<void> {
    if (!this.retainedFile) return;
    await mkdir(path.dirname(this.retainedFile), { recursive: true });
    await writeFileAtomic(this.retainedFile, JSON.stringify({ retained: [...this.retained.values()] }));
  }

  /** The MQTT-over-WebSocket port, when that listener was asked for. */
  get websocketPort(): number | undefined {
    return this.websocket?.port;
  }

  /** Where boards connect: this computer's LAN addresses when listening on them, else loopback. */
  addresses(): string[] {
    return brokerAddresses(this.host);
  }

  /** Stops listening, disconnects clients and writes the retained messages out. */
  async stop(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      this.saving = this.saving.then(() => this.save());
    }
    await new Promise<void>((resolve) => this.broker.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.websocket) {
      for (const socket of this.websocket.sockets.clients) socket.terminate();
      this.websocket.sockets.close();
      await new Promise<void>((resolve) => this.websocket!.server.close(() => resolve()));
    }
    await this.saving;
  }
}

async function loadRetained(file: string | undefined): Promise<Map<string, StoredRetained>> {
  const retained = new Map<string, StoredRetained>();
  if (!file) return retained;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return retained; // First start: nothing kept yet.
  }
  try {
    const parsed = JSON.parse(text) as { retained?: unknown };
    for (const entry of Array.isArray(parsed.retained) ? parsed.retained : []) {
      const e = entry as Partial<StoredRetained>;
      if (typeof e.topic === 'string' && typeof e.payloadBase64 === 'string' && (e.qos === 0 || e.qos === 1 || e.qos === 2)) {
        retained.set(e.topic, { topic: e.topic, payloadBase64: e.payloadBase64, qos: e.qos });
      }
    }
  } catch {
    // A damaged file loses the retained messages, not the broker.
  }
  return retained;
}
