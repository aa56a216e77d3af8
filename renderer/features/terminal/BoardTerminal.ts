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
import { chunkInput } from './replInput.js';
import type { TerminalSession } from './TerminalSession.js';
import { findTracebackLinks } from './tracebackLinks.js';

export const NOT_CONNECTED_NOTE = 'No board is connected: connect one in the Files view to use its REPL.';

export interface BoardTerminalOptions {
  /** Opens `file` (as the traceback names it) at `line`. */
  openTracebackLocation(file: string, line: number): void;
  /** Reports a failure the person must see. */
  reportError(title: string, err: unknown): void;
}

/** Keys and pastes go out in the order the person made them. */
type Outgoing = { kind: 'keys'; data: string } | { kind: 'paste'; text: string };

export class BoardTerminal {
  private queue: Outgoing[] = [];
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
    api.on('terminal.data', ({ data }) => session.write(data));
    terminal.onData((data) => this.send(data));
    session.setPasteHandler((text) => this.enqueue({ kind: 'paste', text }));
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

  /** Sends keystrokes to the board's REPL. */
  send(data: string): void {
    this.enqueue({ kind: 'keys', data });
  }

  private enqueue(item: Outgoing): void {
    if (!this.board.connected) {
      if (!this.notedDisconnected) {
        this.notedDisconnected = true;
        this.session.note(NOT_CONNECTED_NOTE);
      }
      return;
    }
    const last = this.queue.at(-1);
    if (item.kind === 'keys' && last?.kind === 'keys') last.data += item.data;
    else this.queue.push(item);
    if (!this.sending) void this.pump();
  }

  private async pump(): Promise<void> {
    this.sending = true;
    try {
      for (let item = this.queue.shift(); item; item = this.queue.shift()) {
        try {
          if (item.kind === 'paste') {
            // The host frames it for the REPL (paste mode), as `pinwheel repl` does.
            await this.api.call('terminal.paste', { text: item.text });
            continue;
          }
          const [chunk = ''] = chunkInput(item.data);
          if (chunk.length < item.data.length) this.queue.unshift({ kind: 'keys', data: item.data.slice(chunk.length) });
          await this.api.call('terminal.write', { data: chunk });
        } catch (err) {
          // What was typed after a failed piece makes no sense without it.
          this.queue = [];
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
      this.queue = [];
      this.session.note(`Board lost: ${status.error ?? 'it stopped answering'}${status.reconnecting ? ' Waiting for it to come back…' : ''}`, { replacesPrompt: true });
    } else if (status.state === 'disconnected' && previous !== 'connecting') {
      this.queue = [];
      this.session.note('Board disconnected.', { replacesPrompt: true });
    }
  }
}
