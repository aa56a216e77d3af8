/**
 * The LinkErrors a serial port produces, with advice a person can act on.
 * `serialport` errors carry no `code`, only text such as "Error: No such file
 * or directory, cannot open /dev/ttyUSB9", so the OS wording is matched here,
 * in this one place.
 */
import { LinkError } from '../../../common/link/Link.js';
import { errorMessage } from '../../../common/util/format.js';

/** Turns a failed open into a LinkError (NOT_FOUND, PERMISSION, BUSY or IO) whose message says what to do. */
export function linkErrorFromOpenFailure(path: string, error: unknown, platform: NodeJS.Platform = process.platform): LinkError {
  const message = errorMessage(error);
  const code = errorCode(error);
  const has = (pattern: RegExp) => pattern.test(message) || (typeof code === 'string' && pattern.test(code));
  if (has(/ENOENT|No such file or directory|cannot find the file|File not found/i)) {
    return new LinkError('NOT_FOUND', `No port ${path}. Is the board plugged in? Pick it again from the port list.`, {
      cause: error,
    });
  }
  // Windows says "Access denied" when another program has the COM port open.
  if (platform === 'win32' && has(/Access (is )?denied|EACCES/i)) {
    return busyError(path, error);
  }
  if (has(/EACCES|EPERM|Permission denied|Operation not permitted/i)) {
    const advice =
      platform === 'linux'
        ? 'On Linux add yourself to the dialout group: sudo usermod -aG dialout $USER, then log out and in.'
        : 'Check that your user account may use serial ports.';
    return new LinkError('PERMISSION', `Permission denied on ${path}. ${advice}`, { cause: error });
  }
  if (has(/EBUSY|busy|Cannot lock port|Resource temporarily unavailable|EAGAIN/i)) {
    return busyError(path, error);
  }
  if (has(/Inappropriate ioctl|ENOTTY/i)) {
    return new LinkError('IO', `${path} is not a serial port (${message}).`, { cause: error });
  }
  return new LinkError('IO', `Could not open ${path}: ${message}`, { cause: error });
}

/** ENOTTY: the device has no modem lines. serialport leaves `code` undefined, so the text decides. */
export function isNoModemLinesError(error: unknown): boolean {
  return errorCode(error) === 'ENOTTY' || /Inappropriate ioctl/i.test(errorMessage(error));
}

/** Cable pulled, device gone, or an OS error on the open port. */
export function lostConnectionError(path: string, what: string, cause: unknown): LinkError {
  return new LinkError(
    'DISCONNECTED',
    `Lost the connection to ${path} (${what}: ${errorMessage(cause)}). ` +
      'Was the board unplugged or reset? Plug it in and pick the port again.',
    { cause },
  );
}

/** Using a link that is closed; `lostWith` is how it ended, when it was lost. */
export function closedLinkError(path: string, lostWith: LinkError | undefined): LinkError {
  const why = lostWith ? ` It was lost: ${lostWith.message}` : '';
  return new LinkError('CLOSED', `The connection to ${path} is closed.${why}`);
}

function busyError(path: string, cause: unknown): LinkError {
  return new LinkError(
    'BUSY',
    `Another program holds ${path} (a serial monitor, Thonny, ...). Close it and try again.`,
    { cause },
  );
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}
