/**
 * The embedded broker's own thread (BrokerThread starts it): routing tens of
 * thousands of messages a second is CPU work, and on the host's main thread it
 * competed with the explorer's model and the API for one core.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../common/util/format.js';
import { lowerThreadPriority } from '../workers.js';
import { EmbeddedBroker, type EmbeddedBrokerOptions } from './EmbeddedBroker.js';
import type { BrokerThreadReply, BrokerThreadRequest } from './BrokerThread.js';

const port = parentPort!;
lowerThreadPriority();
const say = (reply: BrokerThreadReply) => port.postMessage(reply);

EmbeddedBroker.start(workerData as EmbeddedBrokerOptions).then(
  (broker) => {
    say({ kind: 'started', host: broker.host, port: broker.port, ...(broker.websocketPort !== undefined ? { websocketPort: broker.websocketPort } : {}) });
    port.on('message', (request: BrokerThreadRequest) => {
      if (request.kind !== 'stop') return;
      broker.stop().then(
        () => {
          say({ kind: 'stopped' });
          port.close();
        },
        (err: unknown) => say({ kind: 'failed', message: errorMessage(err) }),
      );
    });
  },
  (err: unknown) => {
    say({ kind: 'failed', message: errorMessage(err) });
    port.close();
  },
);
