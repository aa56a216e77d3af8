/**
 * Wires the workbench terminal to the board's REPL: keystrokes out through
 * `terminal.write` (in order, one call at a time, merged while one is in
 * flight), board output in from `terminal.data` events, pastes sent in paste
 * mode, and tracebacks made clickable. Ctrl-C and Ctrl-D are plain bytes in
 * onData, so they reach the board like any key.
 */
import type { ApiClient } from '../../../electron/common/api/client.js';
import type { BoardStatus } from '../../../electron/common/api/contract.js';
import type { BoardStore } from '../boards/BoardStore.js';
import { chunkInput, pasteToReplInput } from './replInput.js';
import type { TerminalSession } from './TerminalSession.js';
import { findTracebackLinks } from './tracebackLinks.js';

export const NOT_CONNECTED_NOTE = 'No board is connected: connect one in the Files view to use its REPL.';

export interface BoardTerminalOptions {
  /** Opens `file` (as the traceback names it) at `line`. */
  openTracebackLocation(file: string, line: number): void;
  /** Reports a failure the person must see. */
  reportError(title: string, err: unknown): void;
}

export class BoardTerminal {
  private queue = '';
  private sending = false;
  private notedDisconnected = false;
  private lastState: BoardStatus['state'];

  constructor(
    private readonly session: TerminalSession,
    private readonly api: ApiClient,
    private readonly board: BoardStore,
    private readonly options: BoardTerminalOptions,
  ) {
    const terminal = session.terminal;
    api.on('terminal.data', ({ data }) => session.writer.write(data));
    terminal.onData((data) => this.send(data));
    session.setPasteHandler((text) => this.send(pasteToReplInput(text)));
    terminal.registerLinkProvider({
      provideLinks: (bufferLineNumber, callback) => {
        const line = terminal.buffer.active.getLine(bufferLineNumber - 1)?.translateToString(true) ?? '';
        const links = findTracebackLinks(line).map((link) => ({
          text: line.slice(link.start, link.end),
          range: { start: { x: link.start + 1, y: bufferLineNumber }, end: { x: link.end, y: bufferLineNumber } },
          decorations: { underline: true, pointerCursor: true },
          activate: () => options.openTracebackLocation(link.file, link.line),
        }));
        callback(links.length > 0 ? links : undefined);
      },
    });
    this.lastState = board.status.get().state;
    board.status.subscribe(() => this.onStatus(board.status.get()));
  }

  /** Sends keystrokes (or a prepared paste) to the board's REPL. */
  send(data: string): void {
    if (!this.board.connected) {
      if (!this.notedDisconnected) {
        this.notedDisconnected = true;
        this.session.note(NOT_CONNECTED_NOTE);
      }
      return;
    }
    this.queue += data;
    if (!this.sending) void this.pump();
  }

  private async pump(): Promise<void> {
    this.sending = true;
    try {
      while (this.queue) {
        const [chunk = ''] = chunkInput(this.queue);
        this.queue = this.queue.slice(chunk.length);
        try {
          await this.api.call('terminal.write', { data: chunk });
        } catch (err) {
          // The rest of a paste makes no sense without its start.
          this.queue = '';
          this.options.reportError('Keys did not reach the board', err);
        }
      }
    } finally {
      this.sending = false;
    }
  }

  private onStatus(status: BoardStatus): void {
    const previous = this.lastState;
    this.lastState = status.state;
    if (status.state === previous) return;
    if (status.state === 'connected') {
      this.notedDisconnected = false;
      const name = status.port?.friendlyName ?? 'the board';
      const version = status.info ? `, MicroPython ${status.info.version}` : '';
      this.session.note(`Connected to ${name}${version}. Ctrl-C interrupts, Ctrl-D soft-resets.`);
    } else if (status.state === 'lost') {
      this.queue = '';
      this.session.note(`Board lost: ${status.error ?? 'it stopped answering'}${status.reconnecting ? ' Waiting for it to come back…' : ''}`);
    } else if (status.state === 'disconnected' && previous !== 'connecting') {
      this.queue = '';
      this.session.note('Board disconnected.');
    }
  }
}
