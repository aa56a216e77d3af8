/**
 * `_pinwheel`: the JavaScript module the prelude's Python imports to reach
 * the board model (pins, resets, flash usage, waits, clocks).
 *
 * Adding a bridge function: put it in the file of its group (pins.ts,
 * peripherals.ts, system.ts, time.ts), or, for a new group such as sockets, in a new file
 * here whose functions are spread into the module below. Names are snake_case
 * as Python calls them; arguments and results are plain numbers and strings:
 * the sandbox (../sandbox/JsBoundary.ts) drops calls with other arguments
 * unless a function is listed in PYTHON_OBJECT_ARGUMENTS, and a JavaScript
 * object returned to Python could be walked to Node. Every function runs synchronously on the interpreter thread, which
 * never reads messages: anything that waits must wait through BoardWaiter (so
 * a Ctrl-C ends it), and anything the main thread must answer comes back
 * through shared memory (boardProtocol.ts), not through a promise.
 */
import type { BackgroundWork } from '../BackgroundWork.js';
import type { BoardFlash } from '../BoardFlash.js';
import type { BoardClock } from '../BoardClock.js';
import type { BoardOutput } from '../BoardOutput.js';
import type { BoardWaiter } from '../BoardWaiter.js';
import type { HeapCollector } from '../HeapCollector.js';
import type { HostChannel } from '../HostChannel.js';
import type { BootCause, ResetKind, UartRxShared } from '../../boardProtocol.js';
import { peripheralFunctions } from './peripherals.js';
import { pinFunctions } from './pins.js';
import { socketFunctions, type SocketBridgeContext } from './sockets.js';
import { systemFunctions } from './system.js';
import { timeFunctions } from './time.js';

/** The worker's parts the bridge functions use. */
export interface BridgeContext extends Pick<SocketBridgeContext, 'net' | 'ifconfig'> {
  channel: HostChannel;
  output: BoardOutput;
  flash: BoardFlash;
  waiter: BoardWaiter;
  clock: BoardClock;
  /** Six bytes, stable for one board (machine.unique_id()). */
  uniqueId: Uint8Array;
  /** Collects garbage while a program runs, on a board whose heap is fixed; undefined when it grows. */
  collector: HeapCollector | undefined;
  /** True while the REPL is in raw mode (a soft reset then stays in it). */
  isRawMode(): boolean;
  /** Saves flash, asks the host for the reset and ends this thread. */
  reset(kind: ResetKind, wakeReason?: number): never;
  /** Why this boot happened. */
  cause: BootCause;
  /** Where the prelude reports when its background work next wants to run; undefined on a board without it. */
  background: BackgroundWork | undefined;
  /** NVS and RTC memory as the host kept them; writes go to the host too. */
  retained: Record<string, string>;
  /** Bytes the host sends into machine.UART(1) and UART(2). */
  uartRx: UartRxShared;
  /** The sensors' values the host sets (boardProtocol.ts, PART_INPUT). */
  partInputs: SharedArrayBuffer;
}

/** Functions only the boot's heap calibration calls; sealed away before any user code runs. */
export const BOOT_ONLY_FUNCTIONS = ['heap_snap', 'heap_nest', 'heap_hold', 'heap_check', 'heap_point'] as const;
/** Functions that take Python objects (a callable, a dict) rather than numbers and strings. */
export const PYTHON_OBJECT_ARGUMENTS = ['heap_nest', 'heap_hold'] as const;

export function pinwheelFunctions(context: BridgeContext): Record<string, (...args: never[]) => unknown> {
  return {
    ...pinFunctions(context),
    ...peripheralFunctions(context),
    ...systemFunctions(context),
    ...timeFunctions(context),
    ...socketFunctions(context),
    ...(context.collector?.bridgeFunctions() ?? {}),
  };
}
