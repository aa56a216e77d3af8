/**
 * The notification area's model: what failed (or finished) and what to do
 * about it. Every action that can fail reports here, so no failure is silent.
 * Errors stay until dismissed, unless the terminal already shows them (a
 * run's traceback): those fade, as information does. A repeat of a toast
 * still shown is merged into it with a count, and a toast with a `key` is
 * replaced by the next one with that key (a run's outcome by the next run's).
 */
import { ApiError } from '../../../electron/common/api/errors.js';
import { Observable } from '../util/Observable.js';
import { errorMessage } from '../../../electron/common/util/format.js';

/** How long an information toast stays before it fades; errors stay until dismissed. */
export const INFO_TOAST_MS = 6000;
/** An error the terminal already shows stays this long: time to read it, not to cover the editor. */
export const SHOWN_ELSEWHERE_TOAST_MS = 10_000;
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
  /** How many times it was reported while shown (1 the first time). */
  readonly count: number;
  readonly key?: string;
}

export interface ToastOptions {
  /** Replaces the toast with this key, and `dismissKey` takes it away (e.g. "run": a run's outcome). */
  key?: string;
  /** The error is also shown elsewhere (the terminal's traceback): it fades instead of staying. */
  shownElsewhere?: boolean;
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

  show(kind: ToastKind, title: string, detail?: string, hint?: string, options: ToastOptions = {}): number {
    const list = this.toasts.get();
    const same = list.find((t) => t.kind === kind && t.title === title && t.detail === detail && t.hint === hint);
    const replaced = options.key === undefined ? undefined : list.find((t) => t.key === options.key);
    const count = same ? same.count + 1 : 1;
    for (const old of [same, replaced]) if (old) this.dismiss(old.id);
    const id = this.nextId++;
    const toast: Toast = { id, kind, title, count, ...(detail ? { detail } : {}), ...(hint ? { hint } : {}), ...(options.key !== undefined ? { key: options.key } : {}) };
    this.toasts.update((shown) => [...shown, toast].slice(-MAX_TOASTS));
    const fadeMs = kind === 'info' || kind === 'success' ? INFO_TOAST_MS : options.shownElsewhere ? SHOWN_ELSEWHERE_TOAST_MS : undefined;
    if (fadeMs !== undefined) this.timers.set(id, setTimeout(() => this.dismiss(id), fadeMs));
    return id;
  }

  /** Takes away the toast shown with `key`, if any (a run's outcome when the next run starts). */
  dismissKey(key: string): void {
    const toast = this.toasts.get().find((t) => t.key === key);
    if (toast) this.dismiss(toast.id);
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
