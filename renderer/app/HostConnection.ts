/**
 * The renderer's line to the Pinwheel host. Inside Electron it rides the
 * preload bridge; in a browser it opens a WebSocket to the web host on the
 * same origin (offering the host's token as a subprotocol, see hostToken.ts) and
 * reconnects with backoff when the socket drops. Either way the rest of the
 * renderer talks to one ApiClient and watches one connection state.
 */
import { BRIDGE_GLOBAL, WEB_API_PATH, webApiProtocols, type PinwheelBridge } from '../../electron/common/api/bridge.js';
import { ApiClient } from '../../electron/common/api/client.js';
import type { HostKind } from '../../electron/common/api/contract.js';
import type { ClientMessage } from '../../electron/common/api/wire.js';
import { decodeFrame, encodeFrame } from '../../electron/common/api/wireFrames.js';
import { takeHostToken } from './hostToken.js';

/** First pause before reconnecting; doubles on each failed attempt. */
export const RECONNECT_FIRST_DELAY_MS = 500;
/** Ceiling for the reconnect pause, so a restarted host is found within seconds. */
export const RECONNECT_MAX_DELAY_MS = 8_000;
/** A socket that neither opens nor fails within this time is abandoned and retried. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** WebSocket.OPEN; spelled out so fakes in tests need not define the static. */
const SOCKET_OPEN = 1;

export type HostState =
  | { readonly status: 'connecting'; readonly attempt: number }
  | { readonly status: 'connected'; readonly host: HostKind }
  | {
      readonly status: 'disconnected';
      readonly reason: string;
      /** Milliseconds until the next attempt, or null when no retry will come. */
      readonly retryInMs: number | null;
    };

/** The part of the DOM WebSocket this class uses, so tests can supply a fake. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  /** 'arraybuffer', so binary frames (file contents) arrive as bytes. */
  binaryType?: string;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
}

export type SocketFactory = (url: string) => SocketLike;

export interface HostConnectionOptions {
  /** The Electron preload bridge; when present no socket is opened. */
  bridge?: PinwheelBridge;
  /** ws:// or wss:// URL of the web host's API; null when there is no host to reach. */
  url?: string | null;
  /** Set when the page is served by a web host but holds no access token: why nothing connects. */
  missingToken?: boolean;
  createSocket?: SocketFactory;
  debug?: (message: string) => void;
}

/** Pause before reconnect attempt number `attempt` (1-based). */
export function reconnectDelayMs(attempt: number): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  return Math.min(RECONNECT_MAX_DELAY_MS, RECONNECT_FIRST_DELAY_MS * 2 ** Math.min(exponent, 30));
}

/** The WebSocket URL of the API on the page's own origin, or null for pages not served over HTTP(S). */
export function webApiUrl(pageUrl: string): string | null {
  const url = new URL(WEB_API_PATH, pageUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  else return null;
  url.search = '';
  url.hash = '';
  return url.toString();
}

export class HostConnection {
  readonly api: ApiClient;
  private stateValue: HostState;
  private readonly listeners = new Set<(state: HostState) => void>();
  private socket: SocketLike | null = null;
  private failedAttempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private unsubscribeBridge: (() => void) | undefined;
  private started = false;
  private disposed = false;
  private readonly debug: (message: string) => void;

  constructor(private readonly options: HostConnectionOptions) {
    this.debug = options.debug ?? (() => {});
    this.api = new ApiClient((message) => this.send(message));
    this.stateValue = options.bridge
      ? { status: 'connected', host: 'electron' }
      : { status: 'connecting', attempt: 1 };
  }

  /** Picks the transport for this page: the preload bridge if Electron put one there, else the same-origin WebSocket. */
  static forWindow(win: Window, debug?: (message: string) => void): HostConnection {
    const bridge = (win as unknown as Record<string, unknown>)[BRIDGE_GLOBAL] as PinwheelBridge | undefined;
    if (bridge) return new HostConnection({ bridge, debug });
    const url = webApiUrl(win.location.href);
    const token = url ? takeHostToken(win) : null;
    return new HostConnection({
      url: token ? url : null,
      missingToken: url !== null && token === null,
      createSocket: (socketUrl) => new WebSocket(socketUrl, webApiProtocols(token ?? '')) as unknown as SocketLike,
      debug,
    });
  }

  get state(): HostState {
    return this.stateValue;
  }

  /** Calls `listener` on every state change; returns a function that unsubscribes. */
  onDidChangeState(listener: (state: HostState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    const { bridge } = this.options;
    if (bridge) {
      this.unsubscribeBridge = bridge.onMessage((message) => this.api.receive(message));
      return;
    }
    this.openSocket();
  }

  /** Skips the remaining backoff pause and tries to reach the host now. */
  retryNow(): void {
    if (this.disposed || this.options.bridge || this.stateValue.status !== 'disconnected') return;
    if (this.stateValue.retryInMs === null && !this.options.url) return;
    this.openSocket();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clearTimers();
    this.unsubscribeBridge?.();
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'renderer closed');
    this.api.disconnect('The window closed its connection to the Pinwheel host.');
    this.setState({ status: 'disconnected', reason: 'Connection closed.', retryInMs: null });
    this.listeners.clear();
  }

  private send(message: ClientMessage): void {
    const { bridge } = this.options;
    if (bridge) {
      bridge.send(message);
      return;
    }
    const socket = this.socket;
    if (!socket || socket.readyState !== SOCKET_OPEN) {
      // A cancel for a call that died with the socket has nothing left to
      // cancel; throwing here would leave ApiClient's timeout path unsettled.
      if (message.type === 'cancel') return;
      throw new Error('not connected to the Pinwheel host');
    }
    socket.send(encodeFrame(message));
  }

  private openSocket(): void {
    this.clearTimers();
    const { url, createSocket } = this.options;
    if (!url || !createSocket) {
      this.setState({
        status: 'disconnected',
        reason: this.options.missingToken
          ? 'This address needs its access token: open the full URL that Pinwheel printed when it started (it ends in #token=...).'
          : 'This page was not opened by a Pinwheel host, so there is nothing to connect to.',
        retryInMs: null,
      });
      return;
    }
    this.setState({ status: 'connecting', attempt: this.failedAttempts + 1 });
    let socket: SocketLike;
    try {
      socket = createSocket(url);
    } catch (err) {
      this.onSocketLost(`Could not open a connection to the host: ${(err as Error).message}`);
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.connectTimer = setTimeout(() => {
      if (this.socket !== socket) return;
      this.debug(`no answer from ${url} within ${CONNECT_TIMEOUT_MS} ms`);
      this.dropSocket(socket);
      this.onSocketLost('The host did not answer in time.');
    }, CONNECT_TIMEOUT_MS);

    socket.onopen = () => {
      if (this.socket !== socket) return;
      clearTimeout(this.connectTimer);
      this.failedAttempts = 0;
      this.debug(`connected to ${url}`);
      this.setState({ status: 'connected', host: 'web' });
    };
    socket.onmessage = (ev) => {
      if (this.socket !== socket) return;
      this.api.receive(frameToMessage(ev.data));
    };
    // The browser always follows an error with a close event, which carries the code.
    socket.onerror = () => {};
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.debug(`socket closed (code ${ev.code}${ev.reason ? `, ${ev.reason}` : ''})`);
      this.socket = null;
      const wasConnected = this.stateValue.status === 'connected';
      // A host that restarted has a new token: the old page can never get in again.
      this.onSocketLost(
        wasConnected
          ? 'Lost the connection to the Pinwheel host.'
          : 'Could not reach the Pinwheel host. If it was restarted, open the new URL it printed.',
      );
    };
  }

  private dropSocket(socket: SocketLike) {
    socket.onopen = socket.onclose = socket.onerror = socket.onmessage = null;
    if (this.socket === socket) this.socket = null;
    try {
      socket.close();
    } catch {
      // Closing a socket that never opened may throw in some engines; it is being discarded anyway.
    }
  }

  private onSocketLost(reason: string) {
    clearTimeout(this.connectTimer);
    this.api.disconnect(reason);
    if (this.disposed) return;
    this.failedAttempts += 1;
    const retryInMs = reconnectDelayMs(this.failedAttempts);
    this.setState({ status: 'disconnected', reason, retryInMs });
    this.retryTimer = setTimeout(() => this.openSocket(), retryInMs);
  }

  private clearTimers() {
    clearTimeout(this.retryTimer);
    clearTimeout(this.connectTimer);
    this.retryTimer = this.connectTimer = undefined;
  }

  private setState(state: HostState) {
    this.stateValue = state;
    for (const listener of [...this.listeners]) listener(state);
  }
}

/** A text frame is JSON, a binary frame JSON plus bytes (wireFrames.ts); a frame that is neither goes to ApiClient as-is and becomes a protocol error there. */
function frameToMessage(data: unknown): unknown {
  const frame = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
  if (typeof frame !== 'string' && !(frame instanceof Uint8Array)) return data;
  try {
    return decodeFrame(frame);
  } catch {
    return data;
  }
}
