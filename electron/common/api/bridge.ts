/**
 * What the Electron preload exposes on `window.pinwheelBridge`: one pipe that
 * carries the same wire messages as the web host's WebSocket. The renderer's
 * ApiClient sits on either.
 */
import type { ClientMessage } from './wire.js';

export const BRIDGE_GLOBAL = 'pinwheelBridge';
/** The single IPC channel in each direction; the preload accepts no other. */
export const IPC_TO_MAIN = 'pinwheel:api';
export const IPC_TO_RENDERER = 'pinwheel:api-reply';
/** The WebSocket path the web host serves the API on. */
export const WEB_API_PATH = '/api';

export interface PinwheelBridge {
  readonly host: 'electron';
  send(message: ClientMessage): void;
  /** Returns a function that unsubscribes. */
  onMessage(listener: (message: unknown) => void): () => void;
}
