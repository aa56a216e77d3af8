/**
 * The board's power and reset cycle on the main thread: which interpreter
 * thread is running, booting a new one (power-on, hard or soft reset),
 * halting it (held in reset), and what the running one reports (output, pin
 * changes, flash changes, reset requests). The serial line, the pins and the
 * flash store outlive every thread, as a board's UART, pins and flash outlive
 * its RAM.
 */
import { errorMessage } from '../../common/util/format.js';
import { CTL, RESET_CAUSE, STOP_TERMINATE, WAKE_REASON, type BootCause, type BootKind, type WorkerInit, type WorkerMessage } from './boardProtocol.js';
import type { BoardPeripherals } from './BoardPeripherals.js';
import type { BoardPinLevels } from './BoardPinLevels.js';
import { BoardThread } from './BoardThread.js';
import { BoardWatchdog } from './BoardWatchdog.js';
import type { FlashStore } from './FlashStore.js';
import type { BoardNet } from './net/BoardNet.js';
import type { SerialLine } from './serial/SerialLine.js';

export interface BoardLifecycleParts {
  ctl: Int32Array;
  serial: SerialLine;
  pins: BoardPinLevels;
  peripherals: BoardPeripherals;
  flash: FlashStore;
  /** The board's sockets: they end with the thread that opened them, as a board's connections end with its RAM. */
  net: BoardNet;
  /** What a new thread starts from (the flash as it is now, and the rest of the board's fixed state). */
  workerInit(boot: BootKind, cause: BootCause, retained: Record<string, string>): WorkerInit;
  /** The board was stopped or killed: nothing boots any more. */
  isGone(): boolean;
  /** EN is held low: a reset boots nothing until it is released. */
  isHeldInReset(): boolean;
  debug(message: string): void;
}

/** A power-on: what every boot from outside the chip (start, EN pin, the reset button) reports. */
const POWER_ON: BootCause = { resetCause: RESET_CAUSE.PWRON, wakeReason: WAKE_REASON.NONE };
/** Retained keys with this prefix live in RTC memory: kept through deep sleep and resets, lost at power-on. NVS (flash) keeps the rest. */
const RTC_KEY_PREFIX = 'rtc';

export class BoardLifecycle {
  private current: BoardThread | undefined;
  private cause: BootCause = POWER_ON;
  /** NVS and RTC memory: they outlive each interpreter thread, as flash and the RTC domain outlive a board's RAM. */
  private readonly retained = new Map<string, string>();
  private readonly watchdog: BoardWatchdog;

  constructor(private readonly parts: BoardLifecycleParts) {
    this.watchdog = new BoardWatchdog(parts.ctl, () => {
      parts.debug('virtual board: watchdog expired');
      void parts.serial.drainTx().then(() => this.restart('cold', { resetCause: RESET_CAUSE.WDT, wakeReason: WAKE_REASON.NONE }));
    });
  }

  /** The thread running now, if any. */
  get running(): BoardThread | undefined {
    return this.current;
  }

  /**
   * Starts an interpreter thread and resolves once it is loaded (its boot
   * output goes to the serial line). A cold boot reports `cause` (default: a
   * power-on, which also clears RTC memory); a soft one keeps the last cause,
   * as machine.reset_cause() does on a board after Ctrl-D.
   */
  async boot(kind: BootKind, cause: BootCause = POWER_ON): Promise<void> {
    if (kind === 'cold') {
      this.cause = cause;
      if (cause.resetCause === RESET_CAUSE.PWRON) for (const key of [...this.retained.keys()]) if (key.startsWith(RTC_KEY_PREFIX)) this.retained.delete(key);
    }
    this.watchdog.stop();
    this.parts.net.closeAll();
    Atomics.store(this.parts.ctl, CTL.STOP, 0);
    // A new interpreter boots (boot.py, main.py) before its REPL reads anything.
    Atomics.store(this.parts.ctl, CTL.REPL_READING, 0);
    const thread: BoardThread = new BoardThread(this.parts.workerInit(kind, this.cause, Object.fromEntries(this.retained)), this.parts.ctl, {
      onMessage: (m) => this.onMessage(thread, m),
      onError: (err) => this.parts.debug(`board worker error: ${err.stack ?? err.message}`),
      onExit: (code) => {
        if (this.current === thread && !this.parts.isGone()) {
          this.parts.debug(`board worker exited unexpectedly (${code})`);
          this.current = undefined;
        }
      },
    });
    this.current = thread;
    await thread.booted;
  }

  /** Ends the running interpreter: the board is in reset (or between resets). */
  async halt(): Promise<void> {
    const running = this.detach();
    this.parts.serial.discardTransmit();
    this.parts.pins.clear();
    this.parts.peripherals.clear();
    if (running) await running.end();
    this.parts.serial.clearTxPending();
  }

  /** A reset: cold (EN pulse, machine.reset(), watchdog, deep sleep; `cause` says which) or soft (Ctrl-D, machine.soft_reset()). */
  async restart(kind: BootKind, cause: BootCause = POWER_ON): Promise<void> {
    if (kind === 'cold') {
      await this.halt();
      this.parts.serial.clearReceived();
    } else {
      const running = this.detach();
      this.parts.pins.clear();
      this.parts.peripherals.clear();
      if (running) await running.end();
    }
    if (this.parts.isGone() || this.parts.isHeldInReset()) return;
    try {
      await this.boot(kind, cause);
    } catch (err) {
      this.parts.debug(`virtual board failed to boot: ${errorMessage(err)}`);
    }
  }

  /** The running thread must not save its flash on the way out (the plug is pulled). */
  forbidSave(): void {
    Atomics.store(this.parts.ctl, CTL.STOP, STOP_TERMINATE);
  }

  /** Forgets the running thread (its messages are ignored from now on, except flash) and returns it. */
  detach(): BoardThread | undefined {
    const running = this.current;
    this.current = undefined;
    this.watchdog.stop();
    this.parts.net.closeAll();
    Atomics.store(this.parts.ctl, CTL.REPL_READING, 0);
    return running;
  }

  private onMessage(thread: BoardThread, m: WorkerMessage): void {
    // A thread on its way out may still save its flash; nothing else it says counts.
    if (this.current !== thread && m.type !== 'flash') return;
    const { serial, pins, flash, debug } = this.parts;
    switch (m.type) {
      case 'ready':
        serial.kick();
        break;
      case 'out':
        serial.transmit(m.data);
        break;
      case 'pin':
        pins.set(m.pin, m.value);
        break;
      case 'flash':
        try {
          flash.apply(m.writes, m.deletes);
        } catch (err) {
          debug(`flash sync failed: ${errorMessage(err)}`);
        }
        break;
      case 'reset':
        // What the program printed before machine.reset() still leaves the chip: ESP-IDF waits for
        // the console UART to go idle before it restarts (this includes the raw-paste ack).
        void serial.drainTx().then(() => {
          // machine.reset() is esp_restart(): the port reports a software reset after it.
          if (m.kind === 'hard') return this.restart('cold', { resetCause: RESET_CAUSE.SOFT, wakeReason: WAKE_REASON.NONE });
          if (m.kind === 'deepsleep') return this.restart('cold', { resetCause: RESET_CAUSE.DEEPSLEEP, wakeReason: m.wakeReason ?? WAKE_REASON.NONE });
          return this.restart(m.kind);
        });
        break;
      case 'peripheral':
        this.parts.peripherals.set({ kind: m.kind, pin: m.pin, value: m.value });
        break;
      case 'retain':
        if (m.value === null) this.retained.delete(m.key);
        else this.retained.set(m.key, m.value);
        break;
      case 'watchdog':
        if (m.timeoutMs > 0) this.watchdog.start(m.timeoutMs);
        else this.watchdog.stop();
        break;
      case 'fatal':
        debug(`virtual board crashed: ${m.message}`);
        break;
      case 'net':
        this.parts.net.handle(m);
        break;
      case 'stopped':
        break;
    }
  }
}
