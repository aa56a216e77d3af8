/// <reference path="../wasm/micropython-wasm.d.ts" />
/**
 * Drives the interpreter's REPL byte by byte from the UART, as an ESP32's
 * main loop does: runs boot.py and main.py, prints the banner, then feeds
 * every received byte to the REPL. Raw-paste mode is answered here, because
 * the wasm's own raw-paste blocks forever (and refused on a profile without it).
 */
import type { MicroPython } from '@micropython/micropython-webassembly-pyscript';
import type { BoardProfile } from '../BoardProfile.js';
import type { BootKind, ResetKind } from '../boardProtocol.js';
import { runScriptPy } from '../prelude/setup.js';
import type { RxRing } from '../RxRing.js';
import type { BackgroundWork } from './BackgroundWork.js';
import type { BoardFlash } from './BoardFlash.js';
import type { BoardOutput } from './BoardOutput.js';
import type { BoardWaiter } from './BoardWaiter.js';
import type { KeyboardInterruptWords } from './KeyboardInterruptWords.js';
// The board answers the protocol the engine speaks: one definition of its control bytes and banners.
import { CTRL_A, CTRL_B, CTRL_C, CTRL_D, CTRL_E, RAW_PASTE_REFUSED, RAW_REPL_BANNER, RAW_REPL_PROMPT } from '../../../common/board/repl/replProtocol.js';

const CHAR_A = 0x41;
const CHAR_O = 0x4f;
const CHAR_K = 0x4b;
const CR = 0x0d;
const LF = 0x0a;
/** Raw-paste flow-control window (pyexec.c: half of MICROPY_REPL_STDIN_BUFFER_MAX=256). */
const RAW_PASTE_WINDOW_BYTES = 128;
/** How the interpreter's banner line starts (MICROPY_BANNER_NAME_AND_VERSION). */
const BANNER_START = 'MicroPython ';

export interface ReplDriverParts {
  mp: MicroPython;
  profile: BoardProfile;
  output: BoardOutput;
  waiter: BoardWaiter;
  ring: RxRing;
  flash: BoardFlash;
  interrupts: KeyboardInterruptWords;
  /** Timer callbacks and irq handlers to run while the REPL waits (undefined: a board without them). */
  background: BackgroundWork | undefined;
  /** Saves flash, asks the host for the reset and ends this thread. */
  reset(kind: ResetKind): never;
}

export class ReplDriver {
  private rawMode: boolean;
  /** Raw-REPL line as pyexec holds it: only its length and first two bytes matter here. */
  private rawLineLen = 0;
  private rawLineHead: number[] = [];
  /** Bytes of the wasm's "OK" to swallow: raw-paste runs the code through raw mode, which answers OK. */
  private swallowOk = 0;
  /** Recent output, to notice the REPL entering raw mode. */
  private recent = '';
  private sawRawBanner = false;

  constructor(
    private readonly parts: ReplDriverParts,
    boot: BootKind,
  ) {
    this.rawMode = boot === 'soft-raw';
    parts.output.setTap((c) => this.watchOutput(c));
  }

  get isRawMode(): boolean {
    return this.rawMode;
  }

  /** Boots the way `kind` says (banner, boot.py, main.py, REPL prompt), then serves the REPL forever. */
  run(kind: BootKind): never {
    const { mp, output, interrupts, flash, profile } = this.parts;
    if (kind !== 'cold') output.emit(`${profile.softRebootBanner}\r\n`);
    this.runStartupScript('boot.py');
    if (kind !== 'soft-raw') this.runStartupScript('main.py');
    interrupts.clearStale();
    flash.syncIfDirty();
    let banner = output.captured(() => mp.replInit());
    this.claimFirmware(banner);
    if (kind === 'soft-raw') {
      output.captured(() => mp.replProcessChar(CTRL_A));
      this.rawMode = true;
      output.emit(RAW_REPL_BANNER + RAW_REPL_PROMPT);
    } else {
      // The event-driven REPL starts its banner with a blank line a board does not print.
      if (banner[0] === CR && banner[1] === LF) banner = banner.subarray(2);
      output.emit(output.rename(banner));
    }
    for (;;) this.handleByte(this.takeByte());
  }

  /** A board with older firmware shows its own banner line wherever the interpreter prints its (Ctrl-B too). */
  private claimFirmware(banner: Buffer): void {
    const { profile, output } = this.parts;
    if (!profile.firmware) return;
    const line = banner
      .toString('latin1')
      .split('\r\n')
      .find((l) => l.startsWith(BANNER_START));
    if (line) output.setRename(line, `${BANNER_START}${profile.firmware.build}; ${profile.machine}`);
  }

  /** Swallows raw-paste's "OK" and notices the raw REPL's banner; false drops the byte. */
  private watchOutput(c: number): boolean {
    if (this.swallowOk > 0) {
      const expected = this.swallowOk === 2 ? CHAR_O : CHAR_K;
      this.swallowOk = c === expected ? this.swallowOk - 1 : 0;
      if (c === expected) return false;
    }
    this.recent = (this.recent + String.fromCharCode(c)).slice(-RAW_REPL_BANNER.length);
    if (this.recent === RAW_REPL_BANNER) this.sawRawBanner = true;
    return true;
  }

  private runStartupScript(path: 'boot.py' | 'main.py'): void {
    if (!this.parts.flash.exists(`/${path}`)) return;
    try {
      this.parts.mp.runPython(runScriptPy(path));
    } catch (err) {
      // The runner prints the script's own errors; this is the runner failing, which must not kill the board.
      this.parts.output.emit(`${path}: ${err instanceof Error ? err.message : String(err)}\r\n`);
    }
  }

  private handleByte(c: number): void {
    if (this.rawMode && c === CTRL_A && this.rawLineLen === 2 && this.rawLineHead[0] === CTRL_E && this.rawLineHead[1] === CHAR_A) {
      if (this.parts.profile.rawPaste) this.rawPaste();
      else this.refuseRawPaste();
      return;
    }
    this.feed(c);
  }

  /** Next received byte for the REPL, blocking (a stop request ends the thread from inside the wait). */
  private takeByte(): number {
    const { flash, interrupts, waiter, ring, background } = this.parts;
    // No Python runs here, so a pending interrupt is a leftover (see clearStale), not a reason to stop waiting.
    // Flash is saved here, when the REPL is idle (and when a file is closed), never in a program's
    // waits: a file still open is not committed on a board either.
    flash.syncIfDirty();
    ring.setReplReading(true);
    for (;;) {
      interrupts.clearStale();
      if (!background) {
        if (waiter.waitUntil(Infinity, () => ring.used() > 0) === 'ready') return ring.take();
        continue;
      }
      const end = waiter.waitUntil(background.nextAt, () => ring.used() > 0 || background.pinsChanged());
      if (ring.used() > 0) return ring.take();
      if (end !== 'interrupted') background.run();
    }
  }

  private feed(c: number): void {
    const wasRaw = this.rawMode;
    // A byte that may run a command (or soft-reset): bytes arriving from now on wait in the ring, and may overflow it.
    if (c === CTRL_D || (!wasRaw && c === CR)) this.parts.ring.setReplReading(false);
    this.sawRawBanner = false;
    this.parts.interrupts.clearStale();
    const ret = this.parts.mp.replProcessChar(c);
    if (wasRaw) {
      if (c === CTRL_B) this.rawMode = false;
      else if (c === CTRL_A || c === CTRL_C || c === CTRL_D) {
        this.rawLineLen = 0;
        this.rawLineHead = [];
      } else {
        this.rawLineLen++;
        if (this.rawLineHead.length < 2) this.rawLineHead.push(c);
      }
    } else if (this.sawRawBanner) {
      this.rawMode = true;
      this.rawLineLen = 0;
      this.rawLineHead = [];
    }
    if (ret !== 0) this.parts.reset(wasRaw ? 'soft-raw' : 'soft-friendly');
  }

  /** A firmware without raw-paste: pyexec.c's answer to a mode it lacks, then a fresh raw prompt. */
  private refuseRawPaste(): void {
    this.feed(CTRL_C); // drop the \x05A the raw line holds
    this.parts.output.emit(RAW_PASTE_REFUSED + RAW_REPL_PROMPT);
  }

  /**
   * Raw-paste (`\x05A\x01` at the raw prompt), as pyexec.c does it: reply `R\x01`,
   * the window size and one window credit; a `\x01` per window consumed; `\x04`
   * once the host's `\x04` arrives; then the usual stdout `\x04` error `\x04` `>`.
   * The code then runs through the raw REPL with its "OK" swallowed.
   */
  private rawPaste(): void {
    const { output } = this.parts;
    this.feed(CTRL_C); // drop the \x05A the raw line holds
    output.emit(new Uint8Array([0x52, 0x01, RAW_PASTE_WINDOW_BYTES & 0xff, RAW_PASTE_WINDOW_BYTES >> 8, 0x01]));
    const code: number[] = [];
    let windowRemain = RAW_PASTE_WINDOW_BYTES;
    for (;;) {
      const c = this.takeByte();
      if (c === CTRL_D || c === CTRL_C) {
        output.emit('\x04');
        if (c === CTRL_C) {
          output.emit('\x04KeyboardInterrupt: \r\n\x04>');
          return;
        }
        break;
      }
      code.push(c);
      if (--windowRemain === 0) {
        output.emit('\x01');
        windowRemain = RAW_PASTE_WINDOW_BYTES;
      }
    }
    output.flush(true);
    for (const c of code) {
      // Only \x01..\x04 are commands in raw mode; they cannot be sent through it.
      if (c >= CTRL_A && c <= CTRL_D) continue;
      this.feed(c);
    }
    this.swallowOk = 2;
    this.feed(CTRL_D);
    this.swallowOk = 0;
  }
}
