/**
 * The main-side application: the services' handler tables merged into the
 * one table the dispatcher serves, and their lifetimes ended in order. Hosts
 * stay thin: they only move messages. The services are built and wired in
 * createBackend.ts.
 */
import os from 'node:os';
import type { appCalls, HostKind } from '../../common/api/contract.js';
import { Dispatcher, type ApiHandlers, type HandlersFor } from '../../common/api/dispatcher.js';
import type { EventHub } from '../../common/api/EventHub.js';
import { APP_VERSION } from '../appPaths.js';

/** Something the backend ends when it is disposed, in the order given. */
export interface Lifetime {
  dispose(): void | Promise<void>;
}

export interface BackendOptions {
  /** Where the services publish; the hosts forward it to every client. */
  events: EventHub;
  /** Every call of the contract, merged from the services' tables (the type checks that none is missing). */
  handlers: ApiHandlers;
  /** Ended one after another by dispose(): stop discovery first, save state last. */
  lifetimes: Lifetime[];
}

export function appHandlers(host: HostKind): HandlersFor<typeof appCalls> {
  return {
    'app.info': async () => ({ name: 'Pinwheel', version: APP_VERSION, host, platform: `${os.platform()}-${os.arch()}` }),
  };
}

export class Backend {
  readonly events: EventHub;
  readonly dispatcher: Dispatcher;
  private disposing: Promise<void> | undefined;

  constructor(private readonly options: BackendOptions) {
    this.events = options.events;
    this.dispatcher = new Dispatcher(options.handlers);
  }

  /** Ends the services in order: the board closes (the virtual board saves its flash) and pending saves land. */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      for (const lifetime of this.options.lifetimes) await lifetime.dispose();
    })();
    return this.disposing;
  }
}
