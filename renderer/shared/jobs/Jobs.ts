/**
 * Long operations the person is waiting for (connecting, transfers, uploads):
 * each shows what it waits for, how far it got and a Cancel button, so no
 * wait is an endless spinner. Progress arrives as `job.progress` events tied
 * to the call by the job's id.
 */
import type { ApiClient } from '../../../electron/common/api/client.js';
import { Observable } from '../util/Observable.js';
import { uniqueId } from '../util/ids.js';

export interface JobView {
  readonly id: string;
  /** What is being waited for: "Uploading blink.py to /lib". */
  readonly label: string;
  /** The engine's own step label from job.progress, when it sends one. */
  readonly step?: string;
  readonly done: number;
  /** 0 while unknown (an indeterminate bar). */
  readonly total: number;
  readonly cancellable: boolean;
  readonly cancelled: boolean;
  /** Set when done/total count bytes (the host's job.progress does): the rate and time left are shown. */
  readonly bytes?: boolean;
  /** Over the current step, once it has run for a moment. */
  readonly bytesPerSecond?: number;
  readonly etaSeconds?: number;
}

export interface Job {
  readonly id: string;
  readonly signal: AbortSignal;
  /** Progress known on this side (e.g. files done of files total). */
  report(done: number, total: number, step?: string): void;
  finish(): void;
}

/** A job shorter than this never shows a card: quick saves should not flash one. */
export const JOB_SHOW_DELAY_MS = 250;
/** A rate over less time than this is noise (the first chunk lands all at once). */
export const RATE_MIN_WINDOW_MS = 500;

interface RateWindow {
  step: string;
  startedAt: number;
  startDone: number;
  lastDone: number;
}

export class Jobs {
  readonly visible = new Observable<readonly JobView[]>([]);
  private readonly all = new Map<string, { view: JobView; controller: AbortController; shown: boolean; timer: ReturnType<typeof setTimeout>; rate?: RateWindow }>();

  constructor(
    api: Pick<ApiClient, 'on'>,
    private readonly now: () => number = Date.now,
  ) {
    api.on('job.progress', ({ jobId, label, done, total }) => this.hostProgress(jobId, label, done, total));
  }

  /** The host's progress counts bytes: the rate is measured over the current step (a new step, or a restart, begins a new window). */
  private hostProgress(jobId: string, step: string, done: number, total: number): void {
    const entry = this.all.get(jobId);
    if (!entry) return;
    const now = this.now();
    if (!entry.rate || entry.rate.step !== step || done < entry.rate.lastDone) entry.rate = { step, startedAt: now, startDone: done, lastDone: done };
    entry.rate.lastDone = done;
    const elapsedMs = now - entry.rate.startedAt;
    const moved = done - entry.rate.startDone;
    const bytesPerSecond = elapsedMs >= RATE_MIN_WINDOW_MS && moved > 0 ? (moved * 1000) / elapsedMs : undefined;
    const etaSeconds = bytesPerSecond !== undefined && total > done ? (total - done) / bytesPerSecond : undefined;
    this.patch(jobId, { done, total, step, bytes: true, bytesPerSecond, etaSeconds });
  }

  start(label: string, options: { cancellable?: boolean } = {}): Job {
    const id = uniqueId('job');
    const controller = new AbortController();
    const view: JobView = { id, label, done: 0, total: 0, cancellable: options.cancellable ?? true, cancelled: false };
    const entry = {
      view,
      controller,
      shown: false,
      timer: setTimeout(() => {
        entry.shown = true;
        this.publish();
      }, JOB_SHOW_DELAY_MS),
    };
    this.all.set(id, entry);
    return {
      id,
      signal: controller.signal,
      report: (done, total, step) => this.patch(id, { done, total, ...(step ? { step } : {}) }),
      finish: () => this.finish(id),
    };
  }

  /** Runs `fn` as a job and always finishes it. */
  async run<T>(label: string, fn: (job: Job) => Promise<T>, options: { cancellable?: boolean } = {}): Promise<T> {
    const job = this.start(label, options);
    try {
      return await fn(job);
    } finally {
      job.finish();
    }
  }

  cancel(id: string): void {
    const entry = this.all.get(id);
    if (!entry || entry.view.cancelled) return;
    entry.view = { ...entry.view, cancelled: true };
    entry.controller.abort();
    this.publish();
  }

  private patch(id: string, patch: Partial<JobView>): void {
    const entry = this.all.get(id);
    if (!entry) return;
    entry.view = { ...entry.view, ...patch };
    if (entry.shown) this.publish();
  }

  private finish(id: string): void {
    const entry = this.all.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.all.delete(id);
    if (entry.shown) this.publish();
  }

  private publish(): void {
    this.visible.set([...this.all.values()].filter((e) => e.shown).map((e) => e.view));
  }
}
