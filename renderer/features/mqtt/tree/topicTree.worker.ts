/**
 * The topic-tree worker's entry (bundled by Vite's `?worker`): the trees live
 * here, off the page's thread and out of its heap (see treeProtocol.ts).
 */
import { TreeMirror } from './TreeMirror.js';
import type { FromTreeWorker, ToTreeWorker } from './treeProtocol.js';

// The renderer's lib is DOM; this is the worker's own scope.
const scope = self as unknown as { postMessage(message: FromTreeWorker): void; onmessage: ((event: MessageEvent<ToTreeWorker>) => void) | null };

const mirror = new TreeMirror((message) => scope.postMessage(message));
scope.onmessage = (event) => {
  try {
    mirror.receive(event.data);
  } catch (err) {
    // The worker keeps serving: one bad message must not freeze the tree.
    scope.postMessage({ kind: 'problem', message: `The topic tree failed on a "${event.data?.kind}" message: ${err instanceof Error ? err.message : String(err)}` });
  }
};
