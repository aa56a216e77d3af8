/**
 * Runs a callback-style operation (an OS call on a port, a port listing) with
 * a deadline and an optional AbortSignal: drivers and udev can hang, and a
 * person waiting must get an answer. `onLateSuccess` runs if the operation
 * succeeds after we stopped waiting (e.g. to close a port opened too late).
 */
export interface DeadlineOptions<T> {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** The error to reject with when the deadline passes. */
  onTimeout: () => Error;
  onLateSuccess?: (value: T) => void;
}

export function waitWithDeadline<T>(
  start: (resolve: (value: T) => void, reject: (error: unknown) => void) => void,
  options: DeadlineOptions<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      fn();
      return true;
    };
    const onAbort = () => settle(() => reject(options.signal?.reason));
    const timer = setTimeout(() => settle(() => reject(options.onTimeout())), options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      start(
        (value) => {
          if (!settle(() => resolve(value))) options.onLateSuccess?.(value);
        },
        (error) => settle(() => reject(error)),
      );
    } catch (error) {
      settle(() => reject(error));
    }
  });
}

/** A promise with a deadline: rejects with `new Error(message)` once `timeoutMs` pass first. */
export function promiseWithDeadline<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  return waitWithDeadline<T>((resolve, reject) => void promise.then(resolve, reject), {
    timeoutMs,
    onTimeout: () => new Error(message),
  });
}
