/**
 * The MQTT thread (MqttThread starts it): the explorer's connections and
 * topic models, answering MqttSessions' calls over messages. Diff blocks are
 * moved to the main thread, not copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ApiError } from '../../../common/api/errors.js';
import { errorMessage } from '../../../common/util/format.js';
import { lowerThreadPriority } from '../../workers.js';
import { MqttSessions, SESSION_CALLS, type SessionEvent } from './MqttSessions.js';
import type { MqttThreadData, MqttThreadReply, MqttThreadRequest } from './MqttThread.js';

const port = parentPort!;
const { timings } = workerData as MqttThreadData;
lowerThreadPriority();

function send(reply: MqttThreadReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(reply, transfer);
}

/** A block made for the diff alone can be moved; one sharing its buffer is copied. */
function movable(bytes: Uint8Array): ArrayBuffer[] {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : [];
}

const sessions = new MqttSessions((event: SessionEvent) => send({ kind: 'event', event }, event.kind === 'topics' ? movable(event.diff) : []), timings);
const known = new Set<string>(SESSION_CALLS);

port.on('message', (request: MqttThreadRequest) => {
  if (request.kind !== 'call') return;
  const { id, method, params } = request;
  const run = known.has(method) ? (sessions.calls[method] as (p: unknown) => Promise<unknown>) : undefined;
  const answer = run ? Promise.resolve().then(() => run(params)) : Promise.reject(new ApiError('UNKNOWN_METHOD', `The MQTT thread has no call ${method}.`));
  answer.then(
    (value) => send({ kind: 'result', id, value }, method === 'mqtt.topics' ? movable((value as { snapshot: Uint8Array }).snapshot) : []),
    (err: unknown) => send({ kind: 'error', id, error: err instanceof ApiError ? err.toShape() : new ApiError('INTERNAL', errorMessage(err)).toShape() }),
  );
});
