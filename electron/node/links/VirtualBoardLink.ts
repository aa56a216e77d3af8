/**
 * The in-process Link to a virtual board: what the app's built-in "Virtual
 * board" connection uses. Bytes cross no OS boundary, but they still go
 * through the board's UART/USB model, so timing and drops are the board's.
 */
import type { Link, LinkSignals } from '../../common/link/Link.js';
import { LinkError } from '../../common/link/Link.js';
import { LinkCloseEvent } from '../../common/link/LinkCloseEvent.js';
import type { Disposable } from '../../common/util/disposable.js';
import { Emitter } from '../../common/util/disposable.js';

/** What a virtual board offers a link; VirtualBoard implements it. */
export interface VirtualBoardPort {
  readonly description: string;
  /** Resolves once the board's receive side has taken the bytes (or dropped them, as a UART does). */
  write(data: Uint8Array): Promise<void>;
  onOutput(listener: (chunk: Uint8Array) => void): Disposable;
  /** Fires when the board goes away (killed or stopped). */
  onGone(listener: () => void): Disposable;
  readonly isGone: boolean;
  /** DTR/RTS as a USB-UART bridge would drive an ESP32's EN/IO0 pins. */
  setSignals(signals: LinkSignals): Promise<void>;
  /** The USB-CDC model pushes back when its receive buffer is full; the UART model drops. */
  readonly flowControlled: boolean;
}

export class VirtualBoardLink implements Link {
  readonly description: string;
  private open = true;
  private readonly dataEmitter = new Emitter<Uint8Array>();
  private readonly closed = new LinkCloseEvent();
  private readonly subscriptions: Disposable[];

  constructor(private readonly port: VirtualBoardPort) {
    this.description = port.description;
    this.flowControlled = port.flowControlled;
    this.subscriptions = [
      port.onOutput((chunk) => {
        if (this.open) this.dataEmitter.fire(chunk);
      }),
      port.onGone(() => this.finish(new LinkError('DISCONNECTED', 'The virtual board stopped.'))),
    ];
    if (port.isGone) queueMicrotask(() => this.finish(new LinkError('DISCONNECTED', 'The virtual board stopped.')));
  }

  /** The board model wires DTR/RTS to EN/IO0 like an ESP32 dev board. */
  readonly supportsSignals = true;
  readonly flowControlled: boolean;

  get isOpen(): boolean {
    return this.open;
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.open) throw new LinkError('CLOSED', 'The link to the virtual board is closed.');
    await this.port.write(data);
    // Closed while the board was still taking the bytes: the caller must know they may not all have arrived.
    if (!this.open) throw new LinkError('DISCONNECTED', 'The virtual board went away during the write.');
  }

  onData(listener: (chunk: Uint8Array) => void): Disposable {
    return this.dataEmitter.event(listener);
  }

  onClose(listener: (error?: LinkError) => void): Disposable {
    return this.closed.event(listener);
  }

  async setSignals(signals: LinkSignals): Promise<void> {
    if (!this.open) throw new LinkError('CLOSED', 'The link to the virtual board is closed.');
    await this.port.setSignals(signals);
  }

  async close(): Promise<void> {
    this.finish(undefined);
  }

  private finish(error: LinkError | undefined): void {
    if (!this.open) return;
    this.open = false;
    for (const s of this.subscriptions) s.dispose();
    this.closed.fire(error);
    this.dataEmitter.dispose();
  }
}
