/**
 * The DTR/RTS lines of an open port and the policy that keeps boards out of
 * reset (see SerialLineMode in usbIds.ts):
 * - 'esp-auto-reset': both lines released (RTS asserted with DTR released
 *   would hold an ESP's EN low);
 * - 'usb-cdc': DTR asserted (the firmware sends nothing without it), RTS released;
 * - devices without modem lines (pseudo-terminals, some adapters): the lines
 *   are remembered but never sent.
 */
import type { SerialLineMode } from '../../../common/board/usbIds.js';
import type { LinkSignals } from '../../../common/link/Link.js';
import { LinkError } from '../../../common/link/Link.js';
import { errorMessage } from '../../../common/util/format.js';
import { findListedPort, identifyListedPort, realpathOr, type ListedPort } from './ListedPort.js';
import { isNoModemLinesError } from './serialErrors.js';
import type { SerialPortLike } from './SerialPortLike.js';
import { promiseWithDeadline, waitWithDeadline } from './waitWithDeadline.js';

/** An ioctl answers in microseconds; this only bounds a wedged driver. */
export const SIGNALS_TIMEOUT_MS = 2000;
/** How long 'auto' line mode waits for the OS port listing to identify the USB ids. */
export const IDENTIFY_TIMEOUT_MS = 1500;

interface Lines {
  dtr: boolean;
  rts: boolean;
}

/** The line state each policy opens with. */
const OPEN_LINES: Readonly<Record<SerialLineMode, Lines>> = {
  'usb-cdc': { dtr: true, rts: false },
  'esp-auto-reset': { dtr: false, rts: false },
};

/** The policy to open `path` with, and whether the device is known native USB (see Link.flowControlled). */
export async function chooseLineMode(
  path: string,
  requested: SerialLineMode | 'auto' | undefined,
  listPorts: () => Promise<ListedPort[]>,
  debug: (message: string) => void,
): Promise<{ lineMode: SerialLineMode; nativeUsb: boolean }> {
  if (requested !== undefined && requested !== 'auto') return { lineMode: requested, nativeUsb: false };
  // A pseudo-terminal (a virtual board, socat) is never in the OS listing, which takes a while (udevadm on Linux).
  if (isPseudoTerminal(await realpathOr(path))) return { lineMode: 'usb-cdc', nativeUsb: false };
  const usb = await identifyUsb(path, listPorts, debug);
  // Unknown ids get 'usb-cdc': without DTR a native-USB board stays silent (see usbIds.ts).
  return { lineMode: usb?.lineMode ?? 'usb-cdc', nativeUsb: usb?.nativeUsb === true };
}

/** Linux's /dev/pts/N and macOS's /dev/ttysN: pseudo-terminals, without USB ids or modem lines. */
export function isPseudoTerminal(realPath: string): boolean {
  return /^\/dev\/(pts\/\d+|ttys\d+)$/.test(realPath);
}

/** What the USB ids of `path` say it is; undefined when unknown, unlisted, or the listing failed. */
async function identifyUsb(path: string, listPorts: () => Promise<ListedPort[]>, debug: (message: string) => void) {
  try {
    const listed = await promiseWithDeadline(listPorts(), IDENTIFY_TIMEOUT_MS, 'port listing timed out');
    const entry = await findListedPort(listed, path);
    return entry ? identifyListedPort(entry).usb : undefined;
  } catch (error) {
    debug(`cannot identify ${path}: ${errorMessage(error)}`);
    return undefined;
  }
}

export class SerialLines {
  private lines: Lines = { dtr: false, rts: false };
  private supported = true;

  constructor(
    private readonly port: SerialPortLike,
    private readonly path: string,
    /** The error for using a closed link. */
    private readonly closedError: () => LinkError,
    private readonly debug: (message: string) => void,
  ) {}

  /** False once the device turned out to have no modem lines. */
  get isSupported(): boolean {
    return this.supported;
  }

  /**
   * Sets the lines `mode` opens with. Linux asserts both lines on open (EN and
   * IO0 stay high: no reset); one TIOCMSET moves both at once, so the reset
   * state is never passed through.
   */
  applyOpenPolicy(mode: SerialLineMode): Promise<void> {
    return this.apply(OPEN_LINES[mode]);
  }

  /** Sets DTR and/or RTS; omitted lines keep their state (serialport would otherwise assert them). */
  set(signals: LinkSignals): Promise<void> {
    return this.apply({ dtr: signals.dtr ?? this.lines.dtr, rts: signals.rts ?? this.lines.rts });
  }

  /** Drops RTS, then DTR (the order mpremote uses, so EN never goes low); failures are only logged. */
  async dropForClose(): Promise<void> {
    if (!this.supported || !this.port.isOpen) return;
    try {
      await this.apply({ dtr: this.lines.dtr, rts: false });
      await this.apply({ dtr: false, rts: false });
    } catch (error) {
      this.debug(`dropping lines on close failed: ${errorMessage(error)}`);
    }
  }

  /** Sends both lines every time: serialport's set() asserts any line left out. */
  private async apply(next: Lines): Promise<void> {
    if (!this.supported) {
      this.lines = { ...next };
      return;
    }
    if (!this.port.isOpen) throw this.closedError();
    try {
      await waitWithDeadline<void>(
        (resolve, reject) => this.port.set({ dtr: next.dtr, rts: next.rts }, (e) => (e ? reject(e) : resolve())),
        {
          timeoutMs: SIGNALS_TIMEOUT_MS,
          onTimeout: () => new LinkError('IO', `Setting the DTR/RTS lines of ${this.path} took too long.`),
        },
      );
      this.lines = { ...next };
    } catch (error) {
      if (isNoModemLinesError(error)) {
        // Pseudo-terminals (and the tests' socat pairs) have no modem lines.
        this.debug(`${this.path} has no modem lines; signals are ignored`);
        this.supported = false;
        this.lines = { ...next };
        return;
      }
      if (error instanceof LinkError) throw error;
      throw new LinkError('IO', `Could not set the DTR/RTS lines of ${this.path}: ${errorMessage(error)}`, {
        cause: error,
      });
    }
  }
}
