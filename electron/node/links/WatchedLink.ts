/**
 * Wraps a Link so it is declared lost when the transport did not notice by
 * itself. Seen with pseudo-terminals: a port hung up while a write was
 * draining reported nothing, and the board looked connected forever. With a
 * `presencePath`, the wrapper checks that the port's device node still exists
 * (an unplugged USB board's node vanishes) and ends the link as lost when it
 * is gone; the engine then fails every operation with LINK_LOST exactly as on
 * a detected unplug. Its owner can also call `markLost` itself.
 */
import { stat } from 'node:fs/promises';
import type { Link, LinkSignals } from '../../common/link/Link.js';
import { LinkError } from '../../common/link/Link.js';
import { LinkCloseEvent } from '../../common/link/LinkCloseEvent.js';
import type { Disposable } from '../../common/util/disposable.js';

/** How often a serial port's device path is checked while connected. */
export const PRESENCE_POLL_MS = 1000;

export interface PresenceOptions {
  /** The device node to watch (POSIX; Windows COM ports have no path to check). */
  path: string;
  /** Default PRESENCE_POLL_MS; 0 turns the check off. */
  intervalMs?: number;
  debug?: (message: string) => void;
}

export class WatchedLink implements Link {
  private readonly closed = new LinkCloseEvent();
  private readonly innerClose: Disposable;
  private presenceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly inner: Link,
    presence?: PresenceOptions,
  ) {
    this.innerClose = inner.onClose((error) => this.end(error));
    if (presence) this.watchPresence(presence);
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

  private watchPresence({ path, intervalMs = PRESENCE_POLL_MS, debug }: PresenceOptions): void {
    if (intervalMs <= 0 || process.platform === 'win32') return;
    const check = async () => {
      this.presenceTimer = undefined;
      if (this.closed.ended) return;
      const present = await stat(path).then(
        (info) => info.isCharacterDevice(),
        () => false,
      );
      if (this.closed.ended) return;
      if (!present) {
        debug?.(`${path} disappeared`);
        this.markLost(new LinkError('DISCONNECTED', `The port ${path} disappeared. Was the board unplugged?`));
        return;
      }
      this.presenceTimer = setTimeout(() => void check(), intervalMs);
    };
    this.presenceTimer = setTimeout(() => void check(), intervalMs);
  }

  private end(error: LinkError | undefined): void {
    if (this.closed.ended) return;
    if (this.presenceTimer !== undefined) clearTimeout(this.presenceTimer);
    this.innerClose.dispose();
    this.closed.fire(error);
  }
}
