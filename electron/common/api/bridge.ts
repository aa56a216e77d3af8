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
/** The WebSocket subprotocol the web host answers with. */
export const WEB_API_PROTOCOL = 'pinwheel';
/**
 * The web host's token travels as a second offered subprotocol: the only
 * header a page can set on a WebSocket, and one that goes to this origin
 * alone (a cookie for 127.0.0.1 goes to every local port).
 */
export const WEB_API_TOKEN_PROTOCOL_PREFIX = 'pinwheel.token.';

/** The subprotocols a client offers to the web host's API. */
export function webApiProtocols(token: string): string[] {
  return [WEB_API_PROTOCOL, WEB_API_TOKEN_PROTOCOL_PREFIX + token];
}

export interface PinwheelBridge {
  readonly host: 'electron';
  send(message: ClientMessage): void;
  /** Returns a function that unsubscribes. */
  onMessage(listener: (message: unknown) => void): () => void;
}
