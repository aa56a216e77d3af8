/**
 * The built-in virtual board's pins for the board card: current levels on
 * request, and changes as `vboard.pins` events merged per interval (a fast
 * blink must not flood IPC). Empty while another board is connected.
 */
import type { EventHub } from '../../../common/api/EventHub.js';
import type { vboardCalls } from '../../../common/api/contract.js';
import type { HandlersFor } from '../../../common/api/dispatcher.js';
import { PIN_COUNT } from '../../vboard/boardProtocol.js';
import type { BoardConnectionService } from './BoardConnectionService.js';

/** Pin changes are merged into one `vboard.pins` event per interval. */
export const PIN_EVENT_INTERVAL_MS = 50;

export class VirtualPinsService {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private showingVirtual = false;

  constructor(
    private readonly connections: BoardConnectionService,
    private readonly events: EventHub,
  ) {
    connections.onDidChangeConnection((conn) => {
      if (conn?.virtual) {
        this.showingVirtual = true;
        conn.disposables.push(conn.virtual.pins.onPinChange(() => this.schedule()));
        this.emit();
      } else if (this.showingVirtual) {
        // The virtual board closed: its LEDs go dark.
        this.showingVirtual = false;
        this.emit();
      }
    });
  }

  handlers(): Pick<HandlersFor<typeof vboardCalls>, 'vboard.pins'> {
    return { 'vboard.pins': async () => ({ pins: this.pins() }) };
  }

  /** Pin levels of the virtual board when it is the connected board; empty otherwise. */
  pins(): Record<string, number> {
    const virtual = this.connections.current?.virtual;
    const pins: Record<string, number> = {};
    if (!virtual) return pins;
    for (let pin = 0; pin < PIN_COUNT; pin++) {
      const level = virtual.pins.getPin(pin);
      if (level !== undefined) pins[String(pin)] = level;
    }
    return pins;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.emit();
    }, PIN_EVENT_INTERVAL_MS);
  }

  private emit(): void {
    if (!this.disposed) this.events.emit('vboard.pins', { pins: this.pins() });
  }
}
