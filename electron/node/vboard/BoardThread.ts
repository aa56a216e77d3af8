/**
 * The main thread's handle on one interpreter worker (one boot of the board):
 * starting it, learning where to inject Ctrl-C once it is loaded, asking it
 * to save its flash and stop, and ending it.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../workers.js';
import { CTL, STOP_REQUESTED, STOP_TERMINATE, wakeBoardThread, type WorkerInit, type WorkerMessage } from './boardProtocol.js';

/** How long a boot may take to load the interpreter. */
export const BOOT_TIMEOUT_MS = 20_000;
/** How long stop() waits for the worker to save its flash before ending it anyway. */
export const STOP_TIMEOUT_MS = 3000;

export interface BoardThreadEvents {
  onMessage(message: WorkerMessage): void;
  onError(error: Error): void;
  onExit(code: number): void;
}

/** The interpreter worker (see workers.ts for how it starts from sources under tests). */
function startBoardWorker(init: WorkerInit): Worker {
  return startWorker(new URL('./worker/boardWorker.js', import.meta.url), { workerData: init });
}

export class BoardThread {
  /** Resolves once the interpreter is loaded; rejects when it crashes, exits or takes too long first. */
  readonly booted: Promise<void>;
  private memory: Int32Array | undefined;
  private kbdWords: Array<[number, number]> = [];
  private interruptCharWord = -1;
  private readonly worker: Worker;

  constructor(
    init: WorkerInit,
    private readonly ctl: Int32Array,
    events: BoardThreadEvents,
  ) {
    const worker = startBoardWorker(init);
    this.worker = worker;
    this.booted = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`virtual board did not boot within ${BOOT_TIMEOUT_MS} ms`)), BOOT_TIMEOUT_MS);
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          resolve();
        } else if (m.type === 'fatal') {
          clearTimeout(timer);
          reject(new Error(`virtual board crashed: ${m.message}`));
        }
      });
      worker.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      worker.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`virtual board worker exited (${code}) while booting`));
      });
    });
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'ready') {
        this.memory = new Int32Array(m.memory);
        this.kbdWords = m.kbdWords;
        this.interruptCharWord = m.interruptCharWord;
      }
      events.onMessage(m);
    });
    worker.on('error', (err) => events.onError(err));
    worker.on('exit', (code) => events.onExit(code));
  }

  /**
   * A received byte, checked as the board's UART interrupt does: when it is
   * the interrupt character, stores what mp_sched_keyboard_interrupt() would
   * and returns true. False before the interpreter is loaded.
   */
  takeInterrupt(b: number): boolean {
    const memory = this.memory;
    if (!memory || Atomics.load(memory, this.interruptCharWord) !== b) return false;
    for (const [index, value] of this.kbdWords) Atomics.store(memory, index, value);
    return true;
  }

  /** Asks the worker to save its flash and stop; resolves when it says so, exits, or after STOP_TIMEOUT_MS. */
  saveAndStop(): Promise<void> {
    const stopped = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, STOP_TIMEOUT_MS);
      this.worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'stopped') {
          clearTimeout(timer);
          resolve();
        }
      });
      this.worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    Atomics.store(this.ctl, CTL.STOP, STOP_REQUESTED);
    wakeBoardThread(this.ctl);
    return stopped;
  }

  /** Ends the thread; one parked after a reset request also leaves by itself (see HostChannel.blockUntilTerminated). */
  async end(): Promise<void> {
    Atomics.store(this.ctl, CTL.STOP, STOP_TERMINATE);
    Atomics.notify(this.ctl, CTL.STOP);
    wakeBoardThread(this.ctl);
    await this.worker.terminate();
  }
}
