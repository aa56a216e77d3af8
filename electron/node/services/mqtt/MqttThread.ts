/**
 * The explorer's connections in a worker thread of their own (mqttWorker),
 * answering the same calls as MqttSessions over messages.
 *
 * Why a thread: at a busy `#` every message is parsed, counted and kept here,
 * 100,000 a second in the flood benchmark, about one core. On the main
 * thread that work sat in front of the API (and in Electron, of the
 * browser's own UI thread). In its thread, at a lower priority where the OS
 * allows it per thread (see lowerThreadPriority), the window's renderer gets
 * the CPU first when a 2-core machine is saturated: the flood benchmark's
 * page waited on the run queue for a second of its 10 s flood before.
 *
 * A thread that dies (a bug, out of memory) takes its connections with it:
 * their windows are told they closed, calls in flight fail with the reason,
 * and the next call starts a new thread.
 */
import type { Worker } from 'node:worker_threads';
import { ApiError, type ApiErrorShape } from '../../../common/api/errors.js';
import type { MqttConnectionDto } from '../../../common/api/domains/mqtt.js';
import { startWorker } from '../../workers.js';
import { SESSION_CALLS, type MqttSessionCalls, type SessionCallName, type SessionEvent, type SessionTimings } from './MqttSessions.js';

export type MqttThreadRequest = { kind: 'call'; id: number; method: SessionCallName; params: unknown };
export type MqttThreadReply =
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'error'; id: number; error: ApiErrorShape }
  | { kind: 'event'; event: SessionEvent };

export interface MqttThreadData {
  timings: SessionTimings;
}

/**
 * No call takes longer than this: a connect gives up after 10 s, a close
 * after 2 s, an export of the whole model is well under a second.
 */
const CALL_TIMEOUT_MS = 30_000;

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class MqttThread {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** The open connections as last reported: told closed if the thread dies. */
  private readonly open = new Map<string, MqttConnectionDto>();
  private disposed = false;

  readonly calls: MqttSessionCalls;

  constructor(
    private readonly onEvent: (event: SessionEvent) => void,
    private readonly timings: SessionTimings = {},
  ) {
    this.calls = Object.fromEntries(SESSION_CALLS.map((method) => [method, (params: unknown) => this.call(method, params)])) as unknown as MqttSessionCalls;
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(new URL('./mqttWorker.js', import.meta.url), { workerData: { timings: this.timings } satisfies MqttThreadData });
    worker.on('message', (reply: MqttThreadReply) => this.onReply(reply));
    worker.on('error', (err) => this.died(worker, `The MQTT thread failed: ${err.message}`));
    worker.on('exit', (code) => this.died(worker, `The MQTT thread ended (code ${code}).`));
    // Idle, it must not keep the process alive (tests and the CLI end when their work does).
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private call(method: SessionCallName, params: unknown): Promise<unknown> {
    if (this.disposed) return Promise.reject(new ApiError('CANCELLED', 'The app is quitting.'));
    const worker = this.started();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ApiError('TIMEOUT', `The MQTT thread did not answer ${method} within ${CALL_TIMEOUT_MS / 1000} s.`));
      }, CALL_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ kind: 'call', id, method, params } satisfies MqttThreadRequest);
    });
  }

  private onReply(reply: MqttThreadReply): void {
    if (reply.kind === 'event') {
      const { event } = reply;
      if (event.kind === 'connection') {
        if (event.closed) this.open.delete(event.dto.id);
        else this.open.set(event.dto.id, event.dto);
      }
      this.onEvent(event);
      return;
    }
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    clearTimeout(pending.timer);
    if (reply.kind === 'result') pending.resolve(reply.value);
    else pending.reject(ApiError.fromShape(reply.error));
  }

  private died(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new ApiError('INTERNAL', reason));
      this.pending.delete(id);
    }
    if (this.disposed) return;
    for (const dto of this.open.values()) this.onEvent({ kind: 'connection', dto: { ...dto, state: 'disconnected', error: reason }, closed: true });
    this.open.clear();
  }

  /** Closes the connections cleanly (no last will), then ends the thread. */
  async dispose(): Promise<void> {
    const worker = this.worker;
    if (!worker || this.disposed) return;
    try {
      await this.call('sessions.dispose', {});
    } catch {
      // It is ended below either way.
    }
    this.disposed = true;
    await worker.terminate();
  }

  /** Tests: end the thread as a crash would. */
  async crashForTest(): Promise<void> {
    await this.worker?.terminate();
  }
}
