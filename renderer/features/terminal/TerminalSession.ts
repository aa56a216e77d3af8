/**
 * The workbench terminal, created once and kept for the life of the window so
 * its scrollback survives the panel being hidden or re-laid out. BoardTerminal
 * writes board output here (through `writer`, which paces xterm) and sends
 * keystrokes from onData to the board.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITheme } from '@xterm/xterm';
import type { Palette } from '../../shared/theme/palette.js';
import { EDITOR_FONT_FAMILY } from '../../shared/theme/fonts.js';
import { TerminalWriter } from './TerminalWriter.js';

export const TERMINAL_FONT_SIZE_PX = 13;
export const TERMINAL_SCROLLBACK_LINES = 5000;
/** A REPL prompt with nothing typed after it. */
const EMPTY_PROMPT = /^(>>>|\.\.\.) $/;

/** The text after the last line break (ANSI colour codes removed: only the prompt's own text counts). */
function lastLineOf(text: string): string {
  const tail = text.slice(Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r')) + 1);
  return tail.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').slice(-200);
}
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
  readonly writer: TerminalWriter;
  private opened = false;
  private pasteHandler: ((text: string) => void) | null = null;
  /** The last line written so far (without its colour codes): where a note must go. */
  private lastLine = '';

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
    this.writer = new TerminalWriter(this.terminal);
    this.note(TERMINAL_WELCOME);
  }

  /** Board output: written in order, remembering how the last line ends (see note). */
  write(data: string): void {
    if (!data) return;
    this.lastLine = lastLineOf(this.lastLine + data);
    this.writer.write(data);
  }

  /**
   * A dim line from Pinwheel itself (not the board), on a line of its own.
   * When the REPL's empty prompt ends what was written, the note goes above it
   * and the prompt is drawn again below, so no dead `>>>` is left behind.
   * Decided on what was written, not on what xterm has parsed so far: writes
   * are parsed in order, so the line cleared is the prompt line.
   * `replacesPrompt`: the REPL is gone (board disconnected) or about to be
   * busy (a run, a reset): the note takes the dead prompt's place instead.
   */
  note(text: string, options: { replacesPrompt?: boolean } = {}): void {
    const dim = `\x1b[2m${text}\x1b[0m\r\n`;
    if (EMPTY_PROMPT.test(this.lastLine)) {
      this.writer.write(`\r\x1b[2K${dim}${options.replacesPrompt ? '' : this.lastLine}`);
      if (options.replacesPrompt) this.lastLine = '';
    } else {
      this.writer.write(`${this.lastLine === '' ? '' : '\r\n'}${dim}`);
      this.lastLine = '';
    }
  }

  /**
   * Takes over pasting: xterm would type a paste into onData line by line,
   * which the board's REPL auto-indents; the handler sends it in paste mode instead.
   */
  setPasteHandler(handler: ((text: string) => void) | null): void {
    this.pasteHandler = handler;
  }

  /** The whole buffer (scrollback and screen) as text, trailing blanks trimmed. */
  bufferText(): string {
    const buffer = this.terminal.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) {
      const line = buffer.getLine(i);
      if (!line) continue;
      const text = line.translateToString(true);
      // A wrapped row continues the previous line.
      if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n');
  }

  /** The selected text, or the whole buffer when nothing is selected. */
  textToCopy(): string {
    return this.terminal.hasSelection() ? this.terminal.getSelection() : this.bufferText();
  }

  /**
   * The clipboard keys of VS Code's terminal: Ctrl+C copies a selection (and
   * is the board's interrupt otherwise), Ctrl+V and Ctrl+Shift+V paste,
   * Ctrl+Shift+C copies. Returns false for a key xterm must not send.
   */
  private clipboardKey(e: KeyboardEvent): boolean {
    if (e.type !== 'keydown' || !(e.ctrlKey || e.metaKey) || e.altKey) return true;
    const key = e.key.toLowerCase();
    if (key === 'c' && (e.shiftKey || this.terminal.hasSelection())) {
      if (this.terminal.hasSelection()) {
        const text = this.terminal.getSelection();
        void navigator.clipboard.writeText(text).then(
          () => this.terminal.clearSelection(),
          () => this.note('The browser did not allow copying; select the text and use its menu.'),
        );
      }
      e.preventDefault();
      return false;
    }
    // Ctrl+Shift+V is the browser's own paste (a paste event, below); Ctrl+V reads the clipboard.
    if (key === 'v' && !e.shiftKey) {
      e.preventDefault();
      void navigator.clipboard.readText().then(
        (text) => {
          if (text) this.pasteText(text);
        },
        () => this.note('The browser did not allow reading the clipboard: paste with Ctrl+Shift+V.'),
      );
      return false;
    }
    return true;
  }

  private pasteText(text: string): void {
    if (this.pasteHandler) this.pasteHandler(text);
    else this.terminal.paste(text);
  }

  /** Shows the terminal inside `container`; moving it to a new container keeps its contents. */
  attach(container: HTMLElement): void {
    if (!this.opened) {
      this.terminal.open(container);
      this.opened = true;
      this.terminal.attachCustomKeyEventHandler((e) => this.clipboardKey(e));
      // Capture phase, ahead of xterm's own paste listener on its textarea.
      this.terminal.element?.addEventListener(
        'paste',
        (e) => {
          const text = e.clipboardData?.getData('text/plain');
          if (!this.pasteHandler || !text) return;
          e.preventDefault();
          e.stopImmediatePropagation();
          this.pasteText(text);
        },
        true,
      );
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
