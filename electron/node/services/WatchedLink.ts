/**
 * Wraps a Link so its owner can declare it lost when the transport did not
 * notice by itself. Seen with pseudo-terminals: a port hung up while a write
 * was draining reported nothing, and the board looked connected forever. The
 * board service checks that the port's device path still exists and calls
 * `markLost` when it vanished; the engine then fails every operation with
 * LINK_LOST exactly as on a detected unplug.
 */
import type { Link, LinkSignals } from '../../common/link/Link.js';
import { LinkError } from '../../common/link/Link.js';
import { LinkCloseEvent } from '../../common/link/LinkCloseEvent.js';
import type { Disposable } from '../../common/util/disposable.js';

export class WatchedLink implements Link {
  private readonly closed = new LinkCloseEvent();
  private readonly innerClose: Disposable;

  constructor(readonly inner: Link) {
    this.innerClose = inner.onClose((error) => this.end(error));
  }

  get description(): string {
    return this.inner.description;
  }

  get isOpen(): boolean {
    return !this.closed.ended && this.inner.isOpen;
  }

  get supportsSignals(): boolean | undefined {
    return this.inner.supportsSignals;
  }

  get flowControlled(): boolean | undefined {
    return this.inner.flowControlled;
  }

  write(data: Uint8Array): Promise<void> {
    if (this.closed.ended) return Promise.reject(this.closed.error ?? new LinkError('CLOSED', 'The link to the board is closed.'));
    return this.inner.write(data);
  }

  onData(listener: (chunk: Uint8Array) => void): Disposable {
    return this.inner.onData((chunk) => {
      if (!this.closed.ended) listener(chunk);
    });
  }

  onClose(listener: (error?: LinkError) => void): Disposable {
    return this.closed.event(listener);
  }

  setSignals(signals: LinkSignals): Promise<void> {
    return this.inner.setSignals(signals);
  }

  async close(): Promise<void> {
    this.end(undefined);
    await this.inner.close();
  }

  /** Ends the link as lost: onClose listeners get `error`, and the transport is closed behind it. */
  markLost(error: LinkError): void {
    if (this.closed.ended) return;
    this.end(error);
    void this.inner.close().catch(() => undefined);
  }

  private end(error: LinkError | undefined): void {
    if (this.closed.ended) return;
    this.innerClose.dispose();
    this.closed.fire(error);
  }
}
