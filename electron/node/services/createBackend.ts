/** Builds the Backend with the real services: what both hosts run. */
import type { HostKind } from '../../common/api/contract.js';
import { Backend } from './Backend.js';
import { PortDiscovery } from './PortDiscovery.js';

export async function createBackend(options: { host: HostKind }): Promise<Backend> {
  return new Backend({ host: options.host, ports: new PortDiscovery() });
}
