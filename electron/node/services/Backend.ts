/**
 * The main-side application: owns every service and exposes them as the API
 * handlers both hosts serve. Hosts stay thin: they only move messages.
 */
import os from 'node:os';
import type { ApiHandlers } from '../../common/api/dispatcher.js';
import { Dispatcher } from '../../common/api/dispatcher.js';
import { EventHub } from '../../common/api/EventHub.js';
import type { HostKind, PortInfo } from '../../common/api/contract.js';
import type { Disposable } from '../../common/util/disposable.js';
import { APP_VERSION } from '../appPaths.js';

/** What the backend needs from port discovery (electron/node/services/PortDiscovery.ts). */
export interface PortSource {
  list(): Promise<PortInfo[]>;
  onDidChange(listener: (ports: PortInfo[]) => void): Disposable;
  start(): void;
  stop(): void;
}

export interface BackendOptions {
  host: HostKind;
  ports: PortSource;
}

export class Backend {
  readonly events = new EventHub();
  readonly dispatcher: Dispatcher;
  private readonly disposables: Disposable[] = [];

  constructor(private readonly options: BackendOptions) {
    const handlers: ApiHandlers = {
      'app.info': async () => ({
        name: 'Pinwheel',
        version: APP_VERSION,
        host: options.host,
        platform: `${os.platform()}-${os.arch()}`,
      }),
      'ports.list': async () => options.ports.list(),
    };
    this.dispatcher = new Dispatcher(handlers);
    this.disposables.push(options.ports.onDidChange((ports) => this.events.emit('ports.changed', { ports })));
    options.ports.start();
  }

  async dispose(): Promise<void> {
    this.options.ports.stop();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
