/**
 * The `onClose` of a Link: fires once, and a listener that subscribes after
 * the link already ended is still told how it ended (on the next microtask),
 * so no caller waits forever for a close that already happened.
 */
import type { Disposable } from '../util/disposable.js';
import { Emitter } from '../util/disposable.js';
import type { LinkError } from './Link.js';

export class LinkCloseEvent {
  private readonly emitter = new Emitter<LinkError | undefined>();
  private endedWith: { error: LinkError | undefined } | undefined;

  get ended(): boolean {
    return this.endedWith !== undefined;
  }

  /** How the link ended: the loss, or undefined when it was closed on purpose (or is still open). */
  get error(): LinkError | undefined {
    return this.endedWith?.error;
  }

  readonly event = (listener: (error?: LinkError) => void): Disposable => {
    const ended = this.endedWith;
    if (ended) {
      let disposed = false;
      queueMicrotask(() => {
        if (!disposed) listener(ended.error);
      });
      return { dispose: () => (disposed = true) };
    }
    return this.emitter.event((error) => listener(error));
  };

  /** Ends the link; later calls do nothing. */
  fire(error: LinkError | undefined): void {
    if (this.endedWith) return;
    this.endedWith = { error };
    this.emitter.fire(error);
    this.emitter.dispose();
  }
}
