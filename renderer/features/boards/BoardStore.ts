/**
 * The connected board as the renderer knows it: the host's `board.status`
 * (pushed on every change, fetched again whenever the host connection comes
 * back) and the virtual board's pin levels. When the host itself goes away
 * the board is shown as disconnected at once rather than as a stale "connected".
 */
import type { ApiClient } from '../../../electron/common/api/client.js';
import type { BoardStatus } from '../../../electron/common/api/contract.js';
import type { HostConnection } from '../../app/HostConnection.js';
import { Observable } from '../../shared/util/Observable.js';

export const INITIAL_BOARD_STATUS: BoardStatus = { state: 'disconnected', busy: false, running: false, replRunning: false, reconnecting: false };

/** GPIO 2 drives the blue LED on most ESP32 dev boards, and on the virtual one. */
export const DEFAULT_LED_PIN = 2;
const LED_PIN_KEY = 'pinwheel.ledPin';

function storedLedPin(): number {
  try {
    const pin = Number(globalThis.localStorage?.getItem(LED_PIN_KEY) ?? DEFAULT_LED_PIN);
    return Number.isInteger(pin) && pin >= 0 && pin <= 48 ? pin : DEFAULT_LED_PIN;
  } catch {
    return DEFAULT_LED_PIN;
  }
}

export class BoardStore {
  readonly status = new Observable<BoardStatus>(INITIAL_BOARD_STATUS);
  readonly pins = new Observable<Readonly<Record<string, number>>>({});
  /**
   * The pin the board card draws as the virtual board's LED: GPIO 2 unless
   * the new-device wizard wrote a program for another one. Kept across reloads.
   */
  readonly ledPin = new Observable<number>(storedLedPin());
  /** Whether `board.status` has answered since the host connection (re)opened. */
  readonly known = new Observable(false);
  private readonly api: ApiClient;

  constructor(connection: HostConnection) {
    this.api = connection.api;
    this.ledPin.subscribe(() => {
      try {
        globalThis.localStorage?.setItem(LED_PIN_KEY, String(this.ledPin.get()));
      } catch {
        // Storage refused (private mode): the pin holds for this session.
      }
    });
    this.api.on('board.status', (status) => this.status.set(status));
    this.api.on('vboard.pins', ({ pins }) => this.pins.set(pins));
    connection.onDidChangeState((state) => {
      if (state.status === 'connected') void this.refresh();
      else if (state.status === 'disconnected') {
        this.known.set(false);
        const last = this.status.get();
        this.status.set({ ...INITIAL_BOARD_STATUS, ...(last.lastPort ? { lastPort: last.lastPort } : {}), error: 'The Pinwheel host is not reachable.' });
      }
    });
    if (connection.state.status === 'connected') void this.refresh();
  }

  get connected(): boolean {
    return this.status.get().state === 'connected';
  }

  async refresh(): Promise<void> {
    try {
      this.status.set(await this.api.call('board.status', {}));
      this.known.set(true);
      const pins = await this.api.call('vboard.pins', {});
      this.pins.set(pins.pins);
    } catch {
      // The host went away again; its state change brings the next refresh.
    }
  }
}

/** Why board actions are unavailable, in words for a tooltip; null when they are available. */
export function boardUnavailableReason(status: BoardStatus): string | null {
  switch (status.state) {
    case 'connected':
      return null;
    case 'connecting':
      return 'Still connecting to the board…';
    case 'lost':
      return status.reconnecting ? 'The board was lost; Pinwheel reconnects when it comes back.' : 'The board was lost. Connect it again from the Files view.';
    case 'disconnected':
      return 'Connect a board first (Files view, Boards).';
  }
}
