/**
 * The workbench terminal, created once and kept for the life of the window so
 * its scrollback survives the panel being hidden or re-laid out. The REPL
 * feature will write board output here and read keystrokes from onData.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITheme } from '@xterm/xterm';
import type { Palette } from '../../shared/theme/palette.js';
import { EDITOR_FONT_FAMILY } from '../../shared/theme/fonts.js';

export const TERMINAL_FONT_SIZE_PX = 13;
export const TERMINAL_SCROLLBACK_LINES = 5000;
export const TERMINAL_WELCOME = 'Pinwheel terminal: connect a board to open its REPL.';

export function xtermTheme(palette: Palette): ITheme {
  return {
    background: palette.background,
    foreground: palette.foreground,
    cursor: palette.accent,
    cursorAccent: palette.background,
    selectionBackground: palette.selection,
    scrollbarSliderBackground: palette.scheme === 'dark' ? 'rgba(255,255,255,0.10)' : 'rgba(0,0,0,0.10)',
    scrollbarSliderHoverBackground: palette.scheme === 'dark' ? 'rgba(255,255,255,0.18)' : 'rgba(0,0,0,0.18)',
    scrollbarSliderActiveBackground: palette.scheme === 'dark' ? 'rgba(255,255,255,0.25)' : 'rgba(0,0,0,0.25)',
    ...palette.ansi,
  };
}

export class TerminalSession {
  readonly terminal: Terminal;
  private readonly fitAddon = new FitAddon();
  private opened = false;

  constructor(palette: Palette) {
    this.terminal = new Terminal({
      fontFamily: EDITOR_FONT_FAMILY,
      fontSize: TERMINAL_FONT_SIZE_PX,
      lineHeight: 1.2,
      scrollback: TERMINAL_SCROLLBACK_LINES,
      cursorBlink: true,
      cursorStyle: 'bar',
      // Board output uses bare \n as often as \r\n; without this, lines stair-step.
      convertEol: true,
      allowProposedApi: false,
      theme: xtermTheme(palette),
    });
    this.terminal.loadAddon(this.fitAddon);
    this.terminal.writeln(`\x1b[2m${TERMINAL_WELCOME}\x1b[0m`);
  }

  /** Shows the terminal inside `container`; moving it to a new container keeps its contents. */
  attach(container: HTMLElement): void {
    if (!this.opened) {
      this.terminal.open(container);
      this.opened = true;
    } else if (this.terminal.element && this.terminal.element.parentElement !== container) {
      container.appendChild(this.terminal.element);
    }
    this.fit();
  }

  /** Resizes rows and columns to the container; does nothing while the container is hidden. */
  fit(): void {
    if (!this.opened) return;
    const dims = this.fitAddon.proposeDimensions();
    if (!dims || !Number.isFinite(dims.cols) || !Number.isFinite(dims.rows) || dims.cols < 2 || dims.rows < 1) return;
    if (dims.cols !== this.terminal.cols || dims.rows !== this.terminal.rows) this.fitAddon.fit();
  }

  setPalette(palette: Palette): void {
    this.terminal.options.theme = xtermTheme(palette);
  }

  clear(): void {
    this.terminal.clear();
  }

  focus(): void {
    this.terminal.focus();
  }

  dispose(): void {
    this.terminal.dispose();
  }
}
