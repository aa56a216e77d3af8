/**
 * Progress of one long job (a transfer, a sync) as `job.progress` events,
 * throttled to PROGRESS_MIN_INTERVAL_MS: the engine reports every chunk, which
 * on a fast link is thousands of events a second. The last report before a
 * pause is never lost (a trailing timer sends it), and `finish()` always sends
 * the final state so a progress bar ends at 100 %.
 */
import type { EventPayload } from '../../common/api/contract.js';

/** About ten updates a second: smooth for a progress bar, cheap for IPC. */
export const PROGRESS_MIN_INTERVAL_MS = 100;

export type ProgressSink = (event: EventPayload<'job.progress'>) => void;

export class JobProgress {
  private lastSent = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private latest: EventPayload<'job.progress'> | undefined;
  private finished = false;
  /** The last done/total reported, carried by a step's label change. */
  private lastReport: { done: number; total: number } | undefined;

  /** With no `jobId` (the caller did not ask for progress) every method does nothing. */
  constructor(
    private readonly sink: ProgressSink,
    private readonly jobId: string | undefined,
    private label: string,
    private readonly minIntervalMs = PROGRESS_MIN_INTERVAL_MS,
  ) {}

  /** A new step: sent at once (steps are few, and each should be seen), with the progress so far. */
  setLabel(label: string): void {
    if (label === this.label) return;
    this.label = label;
    if (this.jobId === undefined || this.finished) return;
    this.latest = { jobId: this.jobId, label, ...(this.lastReport ?? { done: 0, total: 0 }) };
    this.sendLatest();
  }

  report(done: number, total: number): void {
    if (this.jobId === undefined || this.finished) return;
    this.lastReport = { done, total };
    this.latest = { jobId: this.jobId, label: this.label, done, total };
    const wait = this.lastSent + this.minIntervalMs - Date.now();
    if (wait <= 0) this.sendLatest();
    else this.timer ??= setTimeout(() => this.sendLatest(), wait);
  }

  /** Sends the final state (also after a failure, so the bar does not stay half full forever). */
  finish(done?: number, total?: number): void {
    if (this.jobId === undefined || this.finished) return;
    if (done !== undefined && total !== undefined) this.latest = { jobId: this.jobId, label: this.label, done, total };
    this.sendLatest();
    this.finished = true;
  }

  private sendLatest(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.latest) return;
    this.lastSent = Date.now();
    const event = this.latest;
    this.latest = undefined;
    this.sink(event);
  }
}
