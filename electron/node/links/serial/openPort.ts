/** Opening a serial port: bounded in time, cancellable, and failing with a LinkError that says what to do. */
import { LinkError } from '../../../common/link/Link.js';
import { linkErrorFromOpenFailure } from './serialErrors.js';
import type { SerialPortLike } from './SerialPortLike.js';
import { waitWithDeadline } from './waitWithDeadline.js';

/** Opening can hang on wedged USB drivers and some Bluetooth ports. */
export const OPEN_TIMEOUT_MS = 5000;

/** Throws NOT_FOUND for a path that cannot name a port, before the OS is asked. */
export function checkPortName(path: string): void {
  if (path.trim() === '' || path.includes('\0')) {
    throw new LinkError('NOT_FOUND', `"${path}" is not a port name. Pick a port from the list.`);
  }
}

/**
 * Opens `port`. Rejects with a LinkError (NOT_FOUND, PERMISSION, BUSY, IO) or,
 * when `signal` aborts, with the signal's reason.
 */
export async function openPort(
  port: SerialPortLike,
  path: string,
  options: { timeoutMs?: number | undefined; signal?: AbortSignal | undefined; platform: NodeJS.Platform },
): Promise<void> {
  const { signal } = options;
  await waitWithDeadline<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())), {
    timeoutMs: options.timeoutMs ?? OPEN_TIMEOUT_MS,
    signal,
    onTimeout: () => new LinkError('IO', `Opening ${path} took too long. Unplug the board, plug it in again and retry.`),
    // The OS open may still complete after we gave up: close it then, or the
    // port stays locked until the app exits.
    onLateSuccess: () => port.close(() => {}),
  }).catch((error: unknown) => {
    if (error instanceof LinkError || signal?.aborted) throw error;
    throw linkErrorFromOpenFailure(path, error, options.platform);
  });
}
