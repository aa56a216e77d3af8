/**
 * Starts the topic-tree worker and wraps it as the window's end of the
 * channel. Kept apart from MqttExplorer so unit tests, which have no Worker,
 * can hand the explorer an in-process mirror instead.
 */
import TreeWorker from './topicTree.worker.ts?worker';
import type { FromTreeWorker, ToTreeWorker, TreePort } from './treeProtocol.js';

export function startTreeWorker(onCrash: (err: Error) => void): TreePort<ToTreeWorker, FromTreeWorker> {
  const worker = new TreeWorker();
  worker.onerror = (event) => onCrash(new Error(`The topic tree's worker failed: ${event.message || 'no reason given'}`));
  return {
    post(message) {
      if (message.kind === 'snapshot' || message.kind === 'diff') {
        // The block is a view into the socket's frame: a copy of just it is handed over, not the frame cloned.
        const bytes = message.bytes.slice();
        worker.postMessage({ ...message, bytes }, [bytes.buffer]);
      } else {
        worker.postMessage(message);
      }
    },
    onMessage(listener) {
      worker.onmessage = (event: MessageEvent<FromTreeWorker>) => listener(event.data);
    },
  };
}
