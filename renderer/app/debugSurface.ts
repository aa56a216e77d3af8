/**
 * A small read-only window into the workbench for the end-to-end tests and
 * the terminal benchmark, which must read the whole terminal buffer (the DOM
 * holds only the visible rows) and know when xterm has parsed all output.
 * It exposes no action a page could not already take through its own UI.
 */
import type { Workbench } from './Workbench.js';

export const DEBUG_GLOBAL = 'pinwheelDebug';

export interface PinwheelDebug {
  /** The terminal's scrollback and screen as text. */
  terminalText(): string;
  /** Characters xterm has parsed since the window opened. */
  terminalCharsWritten(): number;
  /** Resolves when xterm has parsed everything received so far. */
  terminalIdle(): Promise<void>;
  /** Resolves once pending drafts reached the host. */
  flushDrafts(): Promise<void>;
}

export function installDebugSurface(win: Window, workbench: Workbench): void {
  const surface: PinwheelDebug = {
    terminalText: () => workbench.terminal.bufferText(),
    terminalCharsWritten: () => workbench.terminal.writer.charsWritten,
    terminalIdle: () => workbench.terminal.writer.whenIdle(),
    flushDrafts: () => workbench.drafts.flush(),
  };
  Object.defineProperty(win, DEBUG_GLOBAL, { value: Object.freeze(surface), configurable: false, enumerable: false });
}
