/**
 * The interpreter thread's side of its connection to the VirtualBoard on the
 * main thread: messages go out through the port, everything coming in is
 * read from the shared control words (the thread blocks in Atomics.wait
 * between bytes, so it would never see an incoming message).
 */
import type { MessagePort } from 'node:worker_threads';
import { CTL, STOP_TERMINATE, type WorkerMessage } from '../boardProtocol.js';

/** How long a blocked wait sleeps before re-checking for stop (they are woken earlier by notify). */
export const IDLE_WAIT_MS = 500;

export class HostChannel {
  constructor(
    private readonly port: MessagePort,
    readonly ctl: Int32Array,
  ) {}

  post(message: WorkerMessage): void {
    this.port.postMessage(message);
  }

  stopRequested(): boolean {
    return Atomics.load(this.ctl, CTL.STOP) !== 0;
  }

  /**
   * After a reset request the host ends this thread. It sets STOP to
   * STOP_TERMINATE first and we leave on our own, because a terminate() that
   * lands while the thread is parked in Atomics.wait was seen to never complete
   * (the board then stayed dead after machine.reset(), about one reset in six).
   */
  blockUntilTerminated(): never {
    for (;;) {
      const stop = Atomics.load(this.ctl, CTL.STOP);
      if (stop === STOP_TERMINATE) process.exit(0);
      Atomics.wait(this.ctl, CTL.STOP, stop, IDLE_WAIT_MS);
    }
  }
}
