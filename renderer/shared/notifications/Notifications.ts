/**
 * The notification area's model: what failed (or finished) and what to do
 * about it. Every action that can fail reports here, so no failure is silent.
 * Errors stay until dismissed; information fades after a few seconds.
 */
import { ApiError } from '../../../electron/common/api/errors.js';
import { Observable } from '../util/Observable.js';
import { errorMessage } from '../../../electron/common/util/format.js';

/** How long an information toast stays before it fades; errors stay until dismissed. */
export const INFO_TOAST_MS = 6000;
/** Older toasts are dropped beyond this many, so a burst of failures cannot cover the window. */
export const MAX_TOASTS = 5;

export type ToastKind = 'error' | 'warning' | 'info' | 'success';

export interface Toast {
  readonly id: number;
  readonly kind: ToastKind;
  readonly title: string;
  readonly detail?: string;
  /** What the person can do about it. */
  readonly hint?: string;
}

/** A next step for errors whose message does not already say what to do. */
export function hintFor(err: unknown): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  switch (err.code) {
    case 'DISCONNECTED':
      return /connect|plug/i.test(err.message) ? undefined : 'Check that the board (and the Pinwheel host) is connected, then try again.';
    case 'TIMEOUT':
      return 'The board did not answer in time. Press Stop, or reset the board, and try again.';
    case 'BUSY':
      return /stop|wait|again/i.test(err.message) ? undefined : 'Wait for the current operation to finish, or press Stop.';
    case 'PERMISSION':
      return 'Pinwheel is not allowed to do this. Check the file or port permissions.';
    case 'NOT_FOUND':
      return 'Refresh the file list: the file may have been moved or deleted.';
    default:
      return undefined;
  }
}

export function isCancelled(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'CANCELLED';
}

export class Notifications {
  readonly toasts = new Observable<readonly Toast[]>([]);
  private nextId = 1;
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();

  show(kind: ToastKind, title: string, detail?: string, hint?: string): number {
    const id = this.nextId++;
    const toast: Toast = { id, kind, title, ...(detail ? { detail } : {}), ...(hint ? { hint } : {}) };
    this.toasts.update((list) => [...list, toast].slice(-MAX_TOASTS));
    if (kind === 'info' || kind === 'success') this.timers.set(id, setTimeout(() => this.dismiss(id), INFO_TOAST_MS));
    return id;
  }

  /**
   * Reports a failed action: `title` says what failed, the error's message why,
   * the hint what to do (by default from the error's code; `null` for none,
   * when the message already says it).
   */
  error(title: string, err: unknown, hint?: string | null): number {
    return this.show('error', title, errorMessage(err), hint === null ? undefined : (hint ?? hintFor(err)));
  }

  info(title: string, detail?: string): number {
    return this.show('info', title, detail);
  }

  success(title: string, detail?: string): number {
    return this.show('success', title, detail);
  }

  dismiss(id: number): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.toasts.update((list) => list.filter((t) => t.id !== id));
  }
}
