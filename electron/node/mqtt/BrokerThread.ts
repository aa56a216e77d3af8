/**
 * The embedded broker in a worker thread of its own, for the app: the same
 * broker as `pinwheel broker` runs in-process, with the same surface
 * (port, addresses, stop), answering over messages.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../workers.js';
import { brokerAddresses, type EmbeddedBrokerOptions } from './EmbeddedBroker.js';

export type BrokerThreadRequest = { kind: 'stop' };
export type BrokerThreadReply =
  | { kind: 'started'; host: string; port: number; websocketPort?: number }
  | { kind: 'stopped' }
  | { kind: 'failed'; message: string };

/** Starting (loading aedes, binding ports) and stopping take well under a second; past this the thread is ended. */
const THREAD_TIMEOUT_MS = 10_000;

export class BrokerThread {
  private exitListeners: Array<(reason: string) => void> = [];
  private stopping = false;

  private constructor(
    private readonly worker: Worker,
    readonly host: string,
    readonly port: number,
    readonly websocketPort: number | undefined,
  ) {
    worker.on('error', (err) => this.exited(`The broker stopped: ${err.message}`));
    worker.on('exit', (code) => this.exited(`The broker's thread ended (code ${code}).`));
  }

  static start(options: EmbeddedBrokerOptions): Promise<BrokerThread> {
    const worker = startWorker(new URL('./brokerWorker.js', import.meta.url), { workerData: options });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`The broker did not start within ${THREAD_TIMEOUT_MS / 1000} s.`));
      }, THREAD_TIMEOUT_MS);
      const onMessage = (reply: BrokerThreadReply) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        if (reply.kind === 'started') resolve(new BrokerThread(worker, reply.host, reply.port, reply.websocketPort));
        else reject(new Error(reply.kind === 'failed' ? reply.message : 'The broker stopped while starting.'));
      };
      const onError = (err: Error) => {
        clearTimeout(timer);
        reject(err);
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
    });
  }

  addresses(): string[] {
    return brokerAddresses(this.host);
  }

  /** Called once if the thread ends without being asked to (a crash): the status should say so. */
  onDidExit(listener: (reason: string) => void): void {
    this.exitListeners.push(listener);
  }

  private exited(reason: string): void {
    if (this.stopping) return;
    this.stopping = true;
    for (const listener of this.exitListeners) listener(reason);
  }

  /** Stops listening, disconnects clients and writes the retained messages out, then ends the thread. */
  async stop(): Promise<void> {
    this.stopping = true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void this.worker.terminate().then(() => resolve()), THREAD_TIMEOUT_MS);
      this.worker.on('message', (reply: BrokerThreadReply) => {
        if (reply.kind === 'failed' || reply.kind === 'stopped') {
          clearTimeout(timer);
          resolve();
        }
      });
      this.worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.worker.postMessage({ kind: 'stop' } satisfies BrokerThreadRequest);
    });
  }
}
