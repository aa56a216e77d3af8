/**
 * The board status the UI shows, one object with fields kept by several
 * services (the connection: state, port, info; the runner: running; the files:
 * storage). Each patches its part; a changed status goes out once as
 * `board.status`, an unchanged one not at all.
 */
import type { BoardStatus } from '../../../common/api/contract.js';
import type { EventHub } from '../../../common/api/EventHub.js';
import type { SettingsStore } from '../SettingsStore.js';

/** Fields to change; `undefined` removes an optional field. */
export type StatusPatch = { [K in keyof BoardStatus]?: BoardStatus[K] | undefined };

export class BoardStatusStore {
  private status: BoardStatus = { state: 'disconnected', busy: false, running: false, replRunning: false, reconnecting: false };
  private lastSent = '';
  private disposed = false;

  constructor(
    private readonly events: EventHub,
    private readonly settings: SettingsStore,
  ) {
    const lastPort = settings.get().lastPort;
    if (lastPort !== undefined) this.status.lastPort = lastPort;
  }

  get(): BoardStatus {
    return { ...this.status };
  }

  patch(patch: StatusPatch): void {
    const next: Record<string, unknown> = { ...this.status };
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    const lastPort = this.settings.get().lastPort;
    if (lastPort !== undefined) next.lastPort = lastPort;
    this.status = next as BoardStatus;
    const key = JSON.stringify(this.status);
    if (key === this.lastSent || this.disposed) return;
    this.lastSent = key;
    this.events.emit('board.status', this.get());
  }

  /** After dispose nothing is published (the hosts are going away). */
  dispose(): void {
    this.disposed = true;
  }
}
