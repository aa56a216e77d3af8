/**
 * What the VirtualBoard (main thread) and its interpreter worker share: the
 * layout of the shared control words, the messages the worker posts, and the
 * board constants both sides must agree on. One place, so neither side relies
 * on a comment saying "must match".
 */
import type { PartWiring } from '../../common/parts/partsWiring.js';
import type { BoardProfileName } from './BoardProfile.js';
import type { NetMessage } from './net/netProtocol.js';
import type { WasmModule } from './wasm/wasmApi.js';

/** GPIOs of an ESP32 (0-39). */
export const PIN_COUNT = 40;

/** Indices into the shared Int32Array of control words. */
export const CTL = {
  /** Total bytes the main thread has put into the RX ring (monotonic, wraps at 2^31). */
  RX_HEAD: 0,
  /** Total bytes the worker has taken from the RX ring. */
  RX_TAIL: 1,
  /** Bumped (and notified) on every event the worker may be waiting for: RX data, Ctrl-C, stop. */
  WAKE_SEQ: 2,
  /** 1 while the worker sits in its REPL read loop (no Python running): it drains the RX ring as fast as bytes come. */
  REPL_READING: 3,
  /** Bytes of output the worker has posted that the main thread has not transmitted yet. */
  TX_PENDING: 4,
  /** STOP_REQUESTED asks the worker to sync its flash and stop; STOP_TERMINATE when the thread is being ended. */
  STOP: 5,
  /** Bumped by machine.WDT.feed(); the host's watchdog resets the board when it stops moving (BoardWatchdog). */
  WDT_FEEDS: 6,
  /** First of PIN_COUNT words holding the input level the host applies to each pin (0, 1, or FLOATING). */
  PIN_INPUT_BASE: 8,
  /** First of PIN_COUNT words holding the voltage (microvolts) the host applies to each pin, read by machine.ADC. */
  ANALOG_INPUT_BASE: 8 + PIN_COUNT,
  /** First of PIN_COUNT words: 1 while the host touches a touch pin (machine.TouchPad). */
  TOUCH_INPUT_BASE: 8 + 2 * PIN_COUNT,
} as const;

/** An input level: nothing outside the board drives the pin. */
export const FLOATING = -1;

/** CTL.STOP value: save the flash, say 'stopped' and wait to be ended. */
export const STOP_REQUESTED = 1;
/** CTL.STOP value: the worker thread is being ended; a worker waiting for that exits by itself. */
export const STOP_TERMINATE = 2;

export const CTL_WORDS = CTL.TOUCH_INPUT_BASE + PIN_COUNT;

/** machine.reset_cause() values of the ESP32 port (machine.PWRON_RESET ...). */
export const RESET_CAUSE = { PWRON: 1, HARD: 2, WDT: 3, DEEPSLEEP: 4, SOFT: 5 } as const;
/** machine.wake_reason() values: ESP-IDF's esp_sleep_wakeup_cause_t (0: not woken from a sleep). */
export const WAKE_REASON = { NONE: 0, EXT0: 2, EXT1: 3, TIMER: 4, TOUCHPAD: 5, ULP: 6 } as const;

/** Why the chip booted, as machine.reset_cause() and machine.wake_reason() report it. */
export interface BootCause {
  resetCause: number;
  wakeReason: number;
}

/** UARTs whose receive side the host feeds (machine.UART(1) and UART(2); UART(0) is the REPL's). */
export const HOST_UART_IDS = [1, 2] as const;
/** Bytes each of them holds from the host until Python reads them (the ESP32 driver's default rxbuf). */
export const UART_RX_BUFFER_BYTES = 256;
/** Words per UART's ring indices in UartRxShared.words (RxRing uses CTL.RX_HEAD and CTL.RX_TAIL of them). */
export const UART_RX_WORDS = 4;

/** The host's bytes into machine.UART(1) and UART(2): one RxRing each, over its own words. */
export interface UartRxShared {
  words: SharedArrayBuffer;
  /** One per HOST_UART_IDS entry, in that order. */
  data: SharedArrayBuffer[];
}

/**
 * What the host sets on the sensors wired to the board (a DHT22's reading, a
 * DS18B20's temperature), in WorkerInit.partInputs: PART_INPUT_SLOTS words
 * per pin (a pin holds at most one part), thousandths of the unit, so a
 * sensor model reads the value of the moment while Python runs.
 */
export const PART_INPUT = { TEMPERATURE_MILLI_C: 0, HUMIDITY_MILLI_PERCENT: 1 } as const;
export const PART_INPUT_SLOTS = 2;
export const PART_INPUT_BYTES = PIN_COUNT * PART_INPUT_SLOTS * 4;

/** The worker blocks its print path while this much output waits to be transmitted (UART TX buffer). */
export const TX_BUFFER_BYTES = 1024;

/** A file or folder of the board's flash, path absolute on the board ("/lib/x.py"). */
export interface FlashEntry {
  path: string;
  /** File contents, or null for a folder. */
  data: Uint8Array | null;
}

export type BootKind =
  /** Power-on or hard reset: banner, boot.py, main.py, friendly REPL. */
  | 'cold'
  /** Soft reset from the friendly REPL. */
  | 'soft-friendly'
  /** Soft reset from the raw REPL: the board stays in raw mode and skips main.py. */
  | 'soft-raw';

export interface WorkerInit {
  control: SharedArrayBuffer;
  rxRing: SharedArrayBuffer;
  boot: BootKind;
  flash: FlashEntry[];
  /** Compiled interpreter with shared memory, so a reset does not compile it again. */
  wasmModule: WasmModule;
  /** Six bytes, stable for one VirtualBoard (machine.unique_id()). */
  uniqueId: Uint8Array;
  /** The firmware the board imitates (BoardProfile.ts). */
  profile: BoardProfileName;
  /** The network's shared words and data area (net/netProtocol.ts). */
  net: SharedArrayBuffer;
  /** What network.WLAN.ifconfig() reports once connected: ip, netmask, gateway, dns. */
  ifconfig: [string, string, string, string];
  /** Why this boot happened (machine.reset_cause(), machine.wake_reason()). */
  cause: BootCause;
  /** State that outlives the chip's RAM (NVS, RTC memory), by key: see BoardLifecycle. */
  retained: Record<string, string>;
  /** Bytes the host sends into machine.UART(1) and UART(2). */
  uartRx: UartRxShared;
  /** Parts wired to the board; prelude setup attaches models of the bus parts before user code runs. */
  parts: PartWiring[];
  /** The sensors' values the host sets (PART_INPUT). */
  partInputs: SharedArrayBuffer;
}

/**
 * What the board asks the host to do when Python or the REPL resets it:
 * 'hard' is machine.reset() (a software restart of the chip), 'deepsleep' the
 * boot after machine.deepsleep() woke it.
 */
export type ResetKind = 'hard' | 'deepsleep' | 'soft-friendly' | 'soft-raw';

/**
 * State a peripheral reports to the host as Python changes it, for parts the
 * host draws (an LED's brightness, a strip's colours). `value` by kind:
 * - 'pwm': "<freq Hz> <duty_u16>", '' once deinit() stopped it;
 * - 'dac': the 8-bit output value;
 * - 'adc': the attenuation (0-3, ADC.ATTN_*) of a pin Python reads as analog, so the host knows it is an input;
 * - 'bitstream': the bytes last sent by machine.bitstream (a NeoPixel strip's GRB), hex;
 * - 'uart': bytes a UART (pin = its id) transmitted, hex, one message per write;
 * - 'oled': an SSD1306 on the I2C bus of SDA pin `pin`, after an I2C write
 *   that changed what it shows: "<on 0/1> <invert 0/1> <contrast 0-255>
 *   <GDDRAM hex>", the 1024 bytes in page order (page 0 columns 0-127, then
 *   page 1 ...; bit 0 of a byte is the top row of its page).
 */
export type PeripheralKind = 'pwm' | 'dac' | 'adc' | 'bitstream' | 'uart' | 'oled';

/** Worker -> main thread. */
export type WorkerMessage =
  /** The interpreter is loaded; the main thread can now inject Ctrl-C into its memory. */
  | {
      type: 'ready';
      memory: SharedArrayBuffer;
      /** [word index, value] pairs that mp_sched_keyboard_interrupt() writes, in the order to store them. */
      kbdWords: Array<[number, number]>;
      /** Word index of mp_interrupt_char (-1 when Ctrl-C is not intercepted). */
      interruptCharWord: number;
    }
  | { type: 'out'; data: Uint8Array }
  | { type: 'pin'; pin: number; value: number }
  | { type: 'flash'; writes: FlashEntry[]; deletes: string[] }
  | { type: 'reset'; kind: ResetKind; wakeReason?: number }
  | { type: 'peripheral'; kind: PeripheralKind; pin: number; value: string }
  /** A retained value changed (null: removed). */
  | { type: 'retain'; key: string; value: string | null }
  /**
   * machine.WDT started (or changed its timeout): the host resets the board
   * unless CTL.WDT_FEEDS moves this often. 0 stops it (deep sleep powers it down).
   */
  | { type: 'watchdog'; timeoutMs: number }
  | { type: 'stopped' }
  | { type: 'fatal'; message: string }
  | NetMessage;

/** Wakes the interpreter thread from any wait: bytes arrived, transmit space freed, a stop request. */
export function wakeBoardThread(ctl: Int32Array): void {
  Atomics.add(ctl, CTL.WAKE_SEQ, 1);
  Atomics.notify(ctl, CTL.WAKE_SEQ);
}
