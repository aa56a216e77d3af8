/**
 * The topic-tree worker's channel without a Worker (Node has none in the
 * renderer's shape): a TreeMirror in this process, every message copied
 * (structured clone, as postMessage does) and delivered in a later task, in
 * order, as a worker's would be.
 */
import { TreeMirror } from '../../renderer/features/mqtt/tree/TreeMirror.js';
import type { FromTreeWorker, ToTreeWorker, TreePort } from '../../renderer/features/mqtt/tree/treeProtocol.js';

export function inProcessTreePort(): TreePort<ToTreeWorker, FromTreeWorker> {
  let toWindow: (message: FromTreeWorker) => void = () => undefined;
  const mirror = new TreeMirror((message) => {
    const copy = structuredClone(message);
    setTimeout(() => toWindow(copy), 0);
  });
  return {
    post(message) {
      const copy = structuredClone(message);
      setTimeout(() => mirror.receive(copy), 0);
    },
    onMessage(listener) {
      toWindow = listener;
    },
  };
}
