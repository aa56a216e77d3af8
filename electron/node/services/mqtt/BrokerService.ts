/**
 * The broker on this computer as the app runs it: one click to start (1883
 * or the next free port, loopback unless the LAN is asked for), its status
 * with the addresses boards use and what to paste on them, one to stop.
 * Retained messages are kept in the data folder, as `pinwheel broker` does.
 * It runs in a thread of its own (BrokerThread), so routing a flood does not
 * take the core the explorer and the API run on.
 */
import path from 'node:path';
import type { EventHub } from '../../../common/api/EventHub.js';
import type { HandlersFor } from '../../../common/api/dispatcher.js';
import type { BrokerStatusDto, brokerCalls } from '../../../common/api/domains/mqtt.js';
import { ApiError } from '../../../common/api/errors.js';
import { brokerConfigJson, umqttSnippet } from '../../../common/mqtt/boardSnippets.js';
import { errorMessage } from '../../../common/util/format.js';
import { BrokerThread } from '../../mqtt/BrokerThread.js';

export interface BrokerServiceOptions {
  events: EventHub;
  dataDir: string;
  /** Default 1883 (tests give a free port). */
  defaultPort?: number;
}

export class BrokerService {
  private broker: BrokerThread | undefined;
  private credentials: { username: string; password: string } | undefined;
  private lan = false;
  private error: string | undefined;
  /** Start and stop run one at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: BrokerServiceOptions) {}

  status(): BrokerStatusDto {
    const broker = this.broker;
    if (!broker) return { running: false, lan: this.lan, addresses: [], authenticated: false, ...(this.error ? { error: this.error } : {}) };
    const addresses = broker.addresses();
    // A board reaches the broker only through a LAN address; on loopback there is nothing to paste on a board.
    const boardHost = this.lan ? addresses[0] : undefined;
    const address = boardHost !== undefined ? { host: boardHost, port: broker.port, ...(this.credentials ?? {}) } : undefined;
    return {
      running: true,
      port: broker.port,
      ...(broker.websocketPort !== undefined ? { websocketPort: broker.websocketPort } : {}),
      lan: this.lan,
      addresses,
      authenticated: this.credentials !== undefined,
      ...(address ? { configJson: brokerConfigJson(address), umqttSnippet: umqttSnippet(address) } : {}),
    };
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private changed(): BrokerStatusDto {
    const status = this.status();
    this.options.events.emit('broker.status', status);
    return status;
  }

  handlers(): HandlersFor<typeof brokerCalls> {
    return {
      'broker.status': async () => this.status(),
      'broker.start': (params) =>
        this.serially(async () => {
          if (this.broker) throw new ApiError('BUSY', `The broker is already running on port ${this.broker.port}; stop it first to change its settings.`);
          if ((params.username === undefined) !== (params.password === undefined) || params.username === '') {
            throw new ApiError('BAD_REQUEST', 'Give a username and a password together, or neither.');
          }
          this.lan = params.lan;
          this.credentials = params.username !== undefined && params.password !== undefined ? { username: params.username, password: params.password } : undefined;
          try {
            const broker = await BrokerThread.start({
              port: params.port ?? this.options.defaultPort,
              lan: params.lan,
              websocket: params.websocket,
              ...(this.credentials ?? {}),
              retainedFile: path.join(this.options.dataDir, 'broker', 'retained.json'),
            });
            broker.onDidExit((reason) => {
              if (this.broker !== broker) return;
              this.broker = undefined;
              this.error = reason;
              this.changed();
            });
            this.broker = broker;
            this.error = undefined;
          } catch (err) {
            this.error = errorMessage(err);
            this.changed();
            throw new ApiError('BUSY', this.error);
          }
          return this.changed();
        }),
      'broker.stop': () =>
        this.serially(async () => {
          const broker = this.broker;
          this.broker = undefined;
          await broker?.stop();
          return this.changed();
        }),
    };
  }

  async dispose(): Promise<void> {
    await this.serially(async () => {
      await this.broker?.stop();
      this.broker = undefined;
    });
  }
}
