/**
 * One owner per serial port at a time. The board connection, the flasher and
 * a CLI command run inside the app each take a lease before opening a port and
 * give it back on every path (success, error, cancel, unplug). While someone
 * else holds a port, the board connection's automatic reconnect leaves it
 * alone, so a chip that re-enumerates during flashing is not grabbed back as
 * "the board came back".
 *
 * A lease can be asked for with `preempt`: the holder is told to let go (its
 * `onPreempt` closes the port) and the lease passes on once it has. Requests
 * for one port are served one at a time, in order.
 */
import { realpath } from 'node:fs/promises';
import { ApiError } from '../../common/api/errors.js';
import { Emitter, type Disposable } from '../../common/util/disposable.js';
import { errorMessage } from '../../common/util/format.js';

/** How long a holder may take to let go of a preempted port before the request fails. */
export const PREEMPT_TIMEOUT_MS = 10_000;

export interface LeaseRequest {
  /** Who holds it, in words for messages: "the board connection", "the flasher". */
  owner: string;
  /**
   * Called when another owner asks for the port with `preempt`: close the
   * port and resolve. The lease is released for you afterwards. Without it,
   * the lease cannot be preempted.
   */
  onPreempt?: (by: string) => Promise<void>;
}

export interface AcquireOptions {
  /** Ask the current holder to let go instead of failing with BUSY. */
  preempt?: boolean;
  signal?: AbortSignal;
}

export interface PortLease extends Disposable {
  readonly path: string;
  readonly owner: string;
  readonly released: boolean;
  /** Gives the port back; safe to call more than once. */
  release(): void;
}

export interface LeaseChange {
  /** The port, by the name its lease was taken by. */
  path: string;
  /** The new holder, or undefined when the port became free. */
  owner: string | undefined;
}

interface Holder {
  lease: LeaseImpl;
  request: LeaseRequest;
  /**
   * The name it was taken by and the device that name led to then. A chip
   * that re-enumerates (download mode, a reset) can come back as another tty
   * behind the same /dev/serial/by-id name: the lease still covers that name.
   */
  names: ReadonlySet<string>;
}

class LeaseImpl implements PortLease {
  released = false;
  constructor(
    readonly path: string,
    readonly owner: string,
    private readonly onRelease: (lease: LeaseImpl) => void,
  ) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    this.onRelease(this);
  }

  dispose(): void {
    this.release();
  }
}

export interface PortLeasesOptions {
  /** The same device under two names (a /dev/serial/by-id link, the tty it points to) is one port. Default: realpath. */
  canonicalPath?: (path: string) => Promise<string>;
  preemptTimeoutMs?: number;
}

export class PortLeases {
  private readonly holders = new Set<Holder>();
  /** Per port: the tail of the queue of acquire requests. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly changes = new Emitter<LeaseChange>();
  private readonly canonicalPath: (path: string) => Promise<string>;
  private readonly preemptTimeoutMs: number;

  /** Fires whenever a port is taken or given back. */
  readonly onDidChange = this.changes.event;

  constructor(options: PortLeasesOptions = {}) {
    this.canonicalPath = options.canonicalPath ?? ((p) => realpath(p).catch(() => p));
    this.preemptTimeoutMs = options.preemptTimeoutMs ?? PREEMPT_TIMEOUT_MS;
  }

  /** The owner holding `path` (by the name it was taken by, or the device behind it), if any. */
  async holderOf(path: string): Promise<string | undefined> {
    return (await this.find(path))?.lease.owner;
  }

  /** True when someone other than `owner` holds `path`. */
  async heldByOther(path: string, owner: string): Promise<boolean> {
    const holder = await this.holderOf(path);
    return holder !== undefined && holder !== owner;
  }

  /** Takes `path` for `request.owner`; fails with BUSY (naming the holder) unless `preempt` makes the holder let go. */
  async acquire(path: string, request: LeaseRequest, options: AcquireOptions = {}): Promise<PortLease> {
    const key = await this.canonicalPath(path);
    const previous = this.queues.get(key) ?? Promise.resolve();
    const turn = previous.then(() => this.take(key, path, request, options));
    const tail = turn.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return turn;
  }

  dispose(): void {
    this.changes.dispose();
  }

  private async take(key: string, shownPath: string, request: LeaseRequest, options: AcquireOptions): Promise<PortLease> {
    options.signal?.throwIfAborted();
    const current = await this.find(shownPath);
    if (current) {
      const holder = current.lease.owner;
      if (!options.preempt || !current.request.onPreempt) {
        throw new ApiError('BUSY', `${shownPath} is in use by ${holder}. Wait until it is done, or stop it first.`);
      }
      await this.preempt(current, request.owner, shownPath, options.signal);
    }
    const lease = new LeaseImpl(shownPath, request.owner, (l) => this.onRelease(l));
    this.holders.add({ lease, request, names: new Set([shownPath, key]) });
    this.changes.fire({ path: shownPath, owner: request.owner });
    return lease;
  }

  private async preempt(current: Holder, by: string, shownPath: string, signal: AbortSignal | undefined): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ApiError('TIMEOUT', `${current.lease.owner} did not let go of ${shownPath} within ${Math.round(this.preemptTimeoutMs / 1000)} s.`)),
        this.preemptTimeoutMs,
      );
    });
    const aborted = new Promise<never>((_, reject) => {
      signal?.addEventListener('abort', () => reject(signal.reason ?? new ApiError('CANCELLED', 'Cancelled.')), { once: true });
    });
    try {
      await Promise.race([current.request.onPreempt!(by), timeout, aborted]);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError('BUSY', `${current.lease.owner} could not let go of ${shownPath}: ${errorMessage(err)}`);
    } finally {
      clearTimeout(timer);
    }
    // The holder let go: its lease ends whether or not it released it itself.
    current.lease.release();
  }

  private async find(path: string): Promise<Holder | undefined> {
    const real = await this.canonicalPath(path);
    for (const holder of this.holders) if (holder.names.has(path) || holder.names.has(real)) return holder;
    return undefined;
  }

  private onRelease(lease: LeaseImpl): void {
    for (const holder of this.holders) {
      if (holder.lease !== lease) continue;
      this.holders.delete(holder);
      this.changes.fire({ path: lease.path, owner: undefined });
      return;
    }
  }
}
