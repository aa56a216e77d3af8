/**
 * Waits for a lost board's port to come back and reconnects: on every port
 * list change that shows the path, and by polling the path itself (discovery
 * does not list pseudo-terminals or typed paths). A failed attempt (a board
 * still booting) is retried after a pause. While another owner holds the port
 * (the flasher), nothing is attempted; its release triggers an attempt.
 */
import type { PortInfo } from '../../../common/api/contract.js';
import type { Disposable } from '../../../common/util/disposable.js';
import { errorMessage } from '../../../common/util/format.js';
import type { PortLeases } from '../../ports/PortLeases.js';

/** While lost: how often the port's path is checked. */
export const RECONNECT_POLL_MS = 1000;
/** After a failed reconnect attempt, the pause before the next. */
export const RECONNECT_RETRY_MS = 2000;

export interface ReconnectWatchOptions {
  path: string;
  /** The port list's changes, from discovery. */
  onPortsChanged(listener: (ports: PortInfo[]) => void): Disposable;
  /** Whether the path is there now. */
  isPresent(path: string): Promise<boolean>;
  leases: PortLeases;
  /** Who reconnects, as the lease names it. */
  owner: string;
  /** One attempt; resolves when connected, rejects when it failed. */
  attempt(signal: AbortSignal): Promise<void>;
  pollMs?: number;
  retryMs?: number;
  debug(message: string): void;
}

export class ReconnectWatch {
  readonly controller = new AbortController();
  private readonly subscriptions: Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private attempting = false;
  private notBefore = 0;
  private stopped = false;

  constructor(private readonly options: ReconnectWatchOptions) {}

  get path(): string {
    return this.options.path;
  }

  start(): void {
    const { path } = this.options;
    this.subscriptions.push(
      this.options.onPortsChanged((ports) => {
        if (ports.some((p) => p.path === path)) void this.tryNow();
      }),
      this.options.leases.onDidChange((change) => {
        if (change.owner === undefined) void this.tryNow();
      }),
    );
    this.schedulePoll();
  }

  stop(reason: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const s of this.subscriptions.splice(0)) s.dispose();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.controller.abort(reason);
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.poll(), this.options.pollMs ?? RECONNECT_POLL_MS);
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    if (await this.options.isPresent(this.options.path)) await this.tryNow();
    this.schedulePoll();
  }

  private async tryNow(): Promise<void> {
    if (this.stopped || this.attempting || Date.now() < this.notBefore) return;
    this.attempting = true;
    try {
      // A port lent to someone else (the flasher) is theirs, whatever appears on it meanwhile.
      if (await this.options.leases.heldByOther(this.options.path, this.options.owner)) return;
      await this.options.attempt(this.controller.signal);
    } catch (err) {
      this.options.debug(`reconnect to ${this.options.path} failed: ${errorMessage(err)}`);
      this.notBefore = Date.now() + (this.options.retryMs ?? RECONNECT_RETRY_MS);
    } finally {
      this.attempting = false;
    }
  }
}
