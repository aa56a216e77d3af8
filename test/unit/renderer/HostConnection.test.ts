import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CONNECT_TIMEOUT_MS,
  HostConnection,
  RECONNECT_FIRST_DELAY_MS,
  RECONNECT_MAX_DELAY_MS,
  reconnectDelayMs,
  webApiUrl,
  type HostState,
  type SocketLike,
} from '../../../renderer/app/HostConnection.js';
import type { PinwheelBridge } from '../../../electron/common/api/bridge.js';
import type { ClientMessage } from '../../../electron/common/api/wire.js';
import { decodeFrame, encodeFrame } from '../../../electron/common/api/wireFrames.js';

const APP_INFO = { name: 'Pinwheel', version: '0.1.0', host: 'web', platform: 'linux' };

/** A WebSocket stand-in the test drives by hand: open it, feed it frames, drop it. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: ClientMessage[] = [];
  /** The raw frames, as the socket got them (text, or bytes for binary frames). */
  frames: Array<string | Uint8Array> = [];
  binaryType?: string;
  closed = false;
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string | Uint8Array) {
    this.frames.push(data);
    this.sent.push(decodeFrame(data) as ClientMessage);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
  reply(frame: unknown) {
    const encoded = encodeFrame(frame);
    // A browser WebSocket with binaryType 'arraybuffer' hands binary frames over as an ArrayBuffer.
    this.onmessage?.({ data: typeof encoded === 'string' ? encoded : encoded.slice().buffer });
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const connection = new HostConnection({
    url: 'ws://127.0.0.1:5000/api',
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
  });
  const states: HostState[] = [];
  connection.onDidChangeState((s) => states.push(s));
  return { connection, sockets, states, latest: () => sockets[sockets.length - 1]! };
}

describe('reconnectDelayMs', () => {
  it('doubles from the first delay and stops at the ceiling', () => {
    expect(reconnectDelayMs(1)).toBe(RECONNECT_FIRST_DELAY_MS);
    expect(reconnectDelayMs(2)).toBe(RECONNECT_FIRST_DELAY_MS * 2);
    expect(reconnectDelayMs(3)).toBe(RECONNECT_FIRST_DELAY_MS * 4);
    expect(reconnectDelayMs(50)).toBe(RECONNECT_MAX_DELAY_MS);
    expect(reconnectDelayMs(10_000)).toBe(RECONNECT_MAX_DELAY_MS);
  });
});

describe('webApiUrl', () => {
  it('turns the page origin into the WebSocket URL and drops the login token from the query', () => {
    expect(webApiUrl('http://127.0.0.1:4321/?token=secret')).toBe('ws://127.0.0.1:4321/api');
    expect(webApiUrl('https://pinwheel.local/index.html#x')).toBe('wss://pinwheel.local/api');
  });

  it('has no URL for pages not served over HTTP', () => {
    expect(webApiUrl('file:///opt/pinwheel/index.html')).toBeNull();
  });
});

describe('HostConnection over a WebSocket', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reports connecting, then connected, and answers calls from JSON frames', async () => {
    const { connection, latest, states } = setup();
    connection.start();
    expect(connection.state).toEqual({ status: 'connecting', attempt: 1 });
    expect(latest().url).toBe('ws://127.0.0.1:5000/api');
    latest().open();
    expect(connection.state).toEqual({ status: 'connected', host: 'web' });
    expect(states.map((s) => s.status)).toEqual(['connecting', 'connected']);

    const info = connection.api.call('app.info', {});
    const sent = latest().sent[0];
    expect(sent).toMatchObject({ type: 'call', method: 'app.info', params: {} });
    latest().reply({ type: 'result', id: (sent as { id: number }).id, ok: true, value: APP_INFO });
    await expect(info).resolves.toEqual(APP_INFO);
    connection.dispose();
  });

  it('sends and receives file contents as binary frames, not base64', async () => {
    const { connection, latest } = setup();
    connection.start();
    latest().open();
    expect(latest().binaryType).toBe('arraybuffer');
    const data = Uint8Array.of(0, 1, 2, 0xff);
    const written = connection.api.call('files.write', { path: '/x.bin', data });
    const frame = latest().frames[0]!;
    expect(frame).toBeInstanceOf(Uint8Array);
    expect([...(frame as Uint8Array).subarray(-4)]).toEqual([0, 1, 2, 0xff]);
    const id = (latest().sent[0] as { id: number }).id;
    latest().reply({ type: 'result', id, ok: true, value: { path: '/x.bin', skipped: false, bytes: 4, encoding: 'stream', wireBytes: 6, atomic: true, hashVerified: true } });
    await expect(written).resolves.toMatchObject({ bytes: 4 });
    const read = connection.api.call('files.read', { path: '/x.bin' });
    latest().reply({ type: 'result', id: (latest().sent[1] as { id: number }).id, ok: true, value: { data } });
    expect([...(await read).data]).toEqual([0, 1, 2, 0xff]);
    connection.dispose();
  });

  it('fails calls in flight when the socket drops, then reconnects after the backoff', async () => {
    const { connection, sockets, latest } = setup();
    connection.start();
    latest().open();
    const pending = connection.api.call('ports.list', {});
    latest().drop();
    await expect(pending).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(connection.state).toEqual({
      status: 'disconnected',
      reason: 'Lost the connection to the Pinwheel host.',
      retryInMs: RECONNECT_FIRST_DELAY_MS,
    });

    vi.advanceTimersByTime(RECONNECT_FIRST_DELAY_MS - 1);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    expect(connection.state.status).toBe('connecting');
    latest().open();
    expect(connection.state.status).toBe('connected');
    connection.dispose();
  });

  it('waits longer after each failed attempt and starts over once connected', () => {
    const { connection, sockets, latest } = setup();
    connection.start();
    latest().drop();
    expect(connection.state).toMatchObject({ status: 'disconnected', reason: 'Could not reach the Pinwheel host. If it was restarted, open the new URL it printed.', retryInMs: reconnectDelayMs(1) });
    vi.advanceTimersByTime(reconnectDelayMs(1));
    latest().drop();
    expect(connection.state).toMatchObject({ retryInMs: reconnectDelayMs(2) });
    vi.advanceTimersByTime(reconnectDelayMs(2));
    expect(connection.state).toEqual({ status: 'connecting', attempt: 3 });
    latest().open();
    latest().drop();
    expect(connection.state).toMatchObject({ retryInMs: reconnectDelayMs(1) });
    expect(sockets).toHaveLength(3);
    connection.dispose();
  });

  it('fails a call at once while the host is unreachable instead of waiting for the call timeout', async () => {
    const { connection, latest } = setup();
    connection.start();
    latest().drop();
    await expect(connection.api.call('app.info', {})).rejects.toMatchObject({ code: 'DISCONNECTED' });
    connection.dispose();
  });

  it('abandons a socket that never opens and tries again', () => {
    const { connection, sockets } = setup();
    connection.start();
    vi.advanceTimersByTime(CONNECT_TIMEOUT_MS);
    expect(sockets[0]!.closed).toBe(true);
    expect(connection.state).toMatchObject({ status: 'disconnected', reason: 'The host did not answer in time.' });
    // A late close from the abandoned socket must not disturb the state or the retry schedule.
    sockets[0]!.drop();
    expect(connection.state).toMatchObject({ status: 'disconnected', retryInMs: reconnectDelayMs(1) });
    vi.advanceTimersByTime(reconnectDelayMs(1));
    expect(sockets).toHaveLength(2);
    connection.dispose();
  });

  it('retryNow skips the remaining pause', () => {
    const { connection, sockets, latest } = setup();
    connection.start();
    latest().drop();
    connection.retryNow();
    expect(sockets).toHaveLength(2);
    expect(connection.state.status).toBe('connecting');
    // The pending timer was cancelled: no third socket when the old pause would have ended.
    vi.advanceTimersByTime(RECONNECT_MAX_DELAY_MS);
    expect(sockets).toHaveLength(2);
    connection.dispose();
  });

  it('stops for good on dispose', () => {
    const { connection, sockets, latest } = setup();
    connection.start();
    latest().open();
    connection.dispose();
    expect(latest().closed).toBe(true);
    expect(connection.state).toMatchObject({ status: 'disconnected', retryInMs: null });
    vi.advanceTimersByTime(RECONNECT_MAX_DELAY_MS * 2);
    expect(sockets).toHaveLength(1);
  });

  it('turns a frame that is not JSON into a protocol error, not a crash', () => {
    const { connection, latest } = setup();
    const errors: string[] = [];
    connection.api.onProtocolError((e) => errors.push(e.code));
    connection.start();
    latest().open();
    latest().onmessage?.({ data: 'not json' });
    expect(errors).toEqual(['BAD_REQUEST']);
    connection.dispose();
  });

  it('does not throw when a call times out after the socket is gone', async () => {
    const { connection, latest } = setup();
    connection.start();
    latest().open();
    const call = connection.api.call('ports.list', {}, { timeoutMs: 1000 });
    // Simulate the socket becoming unusable without a close event yet (it is closing).
    latest().readyState = 2;
    vi.advanceTimersByTime(1000);
    await expect(call).rejects.toMatchObject({ code: 'TIMEOUT' });
    connection.dispose();
  });

  it('without a host URL it says so and never retries', () => {
    const connection = new HostConnection({ url: null, createSocket: () => { throw new Error('must not be called'); } });
    connection.start();
    expect(connection.state).toMatchObject({ status: 'disconnected', retryInMs: null });
    connection.dispose();
  });
});

describe('HostConnection over the Electron bridge', () => {
  it('is connected at once and routes messages both ways', async () => {
    const sent: ClientMessage[] = [];
    let deliver: (message: unknown) => void = () => {};
    const unsubscribe = vi.fn();
    const bridge: PinwheelBridge = {
      host: 'electron',
      send: (m) => sent.push(m),
      onMessage: (l) => {
        deliver = l;
        return unsubscribe;
      },
    };
    const connection = new HostConnection({ bridge });
    connection.start();
    expect(connection.state).toEqual({ status: 'connected', host: 'electron' });
    const info = connection.api.call('app.info', {});
    const call = sent[0] as { id: number };
    deliver({ type: 'result', id: call.id, ok: true, value: { ...APP_INFO, host: 'electron' } });
    await expect(info).resolves.toMatchObject({ host: 'electron' });
    connection.dispose();
    expect(unsubscribe).toHaveBeenCalledOnce();
  });
});
