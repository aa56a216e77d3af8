import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../../electron/common/api/client.js';
import { Dispatcher, type ApiHandlers } from '../../../electron/common/api/dispatcher.js';
import { ApiError } from '../../../electron/common/api/errors.js';
import { EventHub } from '../../../electron/common/api/EventHub.js';
import { handlersWith } from '../../helpers/handlers.js';
import { decodeFrame, encodeFrame } from '../../../electron/common/api/wireFrames.js';

/** Wires a client to a dispatcher through the web host's wire frames. */
function connect(used: Partial<ApiHandlers>, hub = new EventHub()) {
  const handlers = handlersWith(used);
  let session: ReturnType<Dispatcher['open']> | undefined;
  const client = new ApiClient((message) => {
    const wire = decodeFrame(encodeFrame(message));
    queueMicrotask(() => session!.receive(wire));
  });
  session = new Dispatcher(handlers).open('test', (reply) => client.receive(decodeFrame(encodeFrame(reply))));
  hub.subscribe((e) => client.receive(decodeFrame(encodeFrame(e))));
  return { client, session, hub };
}

const info = { name: 'Pinwheel', version: '1.0.0', host: 'web' as const, platform: 'linux-x64' };

describe('API client and dispatcher', () => {
  it('round-trips a typed call', async () => {
    const { client } = connect({ 'app.info': async () => info, 'ports.list': async () => [] });
    await expect(client.call('app.info', {})).resolves.toEqual(info);
  });

  it('carries a handler error as a coded ApiError', async () => {
    const { client } = connect({
      'app.info': async () => {
        throw new ApiError('BUSY', 'The board is busy.');
      },
      'ports.list': async () => {
        throw new Error('kaboom');
      },
    });
    await expect(client.call('app.info', {})).rejects.toMatchObject({ code: 'BUSY', message: 'The board is busy.' });
    await expect(client.call('ports.list', {})).rejects.toMatchObject({ code: 'INTERNAL', message: 'kaboom' });
  });

  it('rejects a handler result that breaks the contract', async () => {
    const { client } = connect({
      'app.info': async () => ({ ...info, host: 'toaster' }) as never,
      'ports.list': async () => [],
    });
    await expect(client.call('app.info', {})).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('cancels a call in flight: the handler sees its signal abort', async () => {
    let handlerSignal: AbortSignal | undefined;
    const { client } = connect({
      'app.info': (_p, ctx) =>
        new Promise((_resolve, reject) => {
          handlerSignal = ctx.signal;
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
        }),
      'ports.list': async () => [],
    });
    const controller = new AbortController();
    const pending = client.call('app.info', {}, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    await new Promise((r) => setTimeout(r, 5));
    expect(handlerSignal?.aborted).toBe(true);
  });

  it('times out a call that never answers, and cancels it on the host', async () => {
    let aborted = false;
    const { client } = connect({
      'app.info': (_p, ctx) =>
        new Promise(() => {
          ctx.signal.addEventListener('abort', () => (aborted = true));
        }),
      'ports.list': async () => [],
    });
    await expect(client.call('app.info', {}, { timeoutMs: 20 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    await new Promise((r) => setTimeout(r, 5));
    expect(aborted).toBe(true);
  });

  it('fails calls in flight when the transport drops, and aborts them host-side when the session closes', async () => {
    let aborted = false;
    const { client, session } = connect({
      'app.info': (_p, ctx) => new Promise(() => ctx.signal.addEventListener('abort', () => (aborted = true))),
      'ports.list': async () => [],
    });
    const pending = client.call('app.info', {});
    await new Promise((r) => setTimeout(r, 5));
    client.disconnect('socket closed');
    session.close();
    await expect(pending).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(aborted).toBe(true);
  });

  it('delivers validated events to listeners and ignores invalid ones', async () => {
    const { client, hub } = connect({ 'app.info': async () => info, 'ports.list': async () => [] });
    const seen: unknown[] = [];
    const errors: ApiError[] = [];
    client.on('ports.changed', (p) => seen.push(p));
    client.onProtocolError((e) => errors.push(e));
    hub.emit('ports.changed', { ports: [] });
    client.receive({ type: 'event', name: 'ports.changed', payload: { ports: 'nope' } });
    client.receive({ type: 'event', name: 'no.such.event', payload: {} });
    client.receive('garbage');
    expect(seen).toEqual([{ ports: [] }]);
    expect(errors.length).toBe(2);
  });

  it('refuses to emit an event that breaks the contract', () => {
    const hub = new EventHub();
    expect(() => hub.emit('ports.changed', { ports: [{ path: 1 }] } as never)).toThrow(/contract/);
  });
});
