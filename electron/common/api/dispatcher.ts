/**
 * Server side of the contract, shared by the Electron main process and the web
 * host: validates each incoming message, routes calls to handlers, tracks calls
 * in flight so they can be cancelled, and validates what handlers return.
 * Bad input never throws out of here; it becomes an error reply.
 */
import { apiCalls, isCallName, type ApiCalls } from './contract.js';
import type { CallTable } from './domains/schema.js';
import type { z } from 'zod';
import { ApiError } from './errors.js';
import { ClientMessage, type ServerMessage } from './wire.js';

/**
 * Calls one connection may have running at once. The app itself never comes
 * near it; past it a call is answered BUSY at once, so a flood over one
 * socket cannot pile up handlers and their promises without bound.
 */
export const MAX_CALLS_IN_FLIGHT = 256;

export interface CallContext {
  /** Aborted when the caller cancels or disconnects. */
  signal: AbortSignal;
  /** Identifies the connection the call came from (a window or a WebSocket). */
  clientId: string;
}

/** Handlers for a table of calls: what each service contributes for its domain. */
export type HandlersFor<C extends CallTable> = {
  [K in keyof C]: (params: z.output<C[K]['params']>, ctx: CallContext) => Promise<z.output<C[K]['result']>>;
};

/** Every call of the contract: the services' handler tables merged (see Backend). */
export type ApiHandlers = HandlersFor<ApiCalls>;

export interface DispatcherSession {
  /** Feed one decoded message (any JSON value); replies go to `reply`. */
  receive(message: unknown): void;
  /** Cancels every call in flight, e.g. when the window or socket closes. */
  close(): void;
}

export class Dispatcher {
  constructor(private readonly handlers: ApiHandlers) {}

  open(clientId: string, reply: (message: ServerMessage) => void): DispatcherSession {
    const inFlight = new Map<number, AbortController>();
    let closed = false;
    const send = (message: ServerMessage) => {
      if (!closed) reply(message);
    };

    const runCall = async (id: number, method: string, rawParams: unknown) => {
      if (!isCallName(method)) {
        send({ type: 'result', id, ok: false, error: new ApiError('UNKNOWN_METHOD', `Unknown API call "${method}".`).toShape() });
        return;
      }
      const spec = apiCalls[method];
      const parsed = spec.params.safeParse(rawParams ?? {});
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ');
        send({ type: 'result', id, ok: false, error: new ApiError('BAD_REQUEST', `Invalid parameters for ${method}: ${detail}`).toShape() });
        return;
      }
      if (inFlight.has(id)) {
        send({ type: 'result', id, ok: false, error: new ApiError('BAD_REQUEST', `Call id ${id} is already in flight.`).toShape() });
        return;
      }
      if (inFlight.size >= MAX_CALLS_IN_FLIGHT) {
        send({
          type: 'result',
          id,
          ok: false,
          error: new ApiError('BUSY', `Too many calls at once (${MAX_CALLS_IN_FLIGHT} are still running on this connection). Try ${method} again when they have finished.`).toShape(),
        });
        return;
      }
      const controller = new AbortController();
      inFlight.set(id, controller);
      try {
        const handler = this.handlers[method] as (p: unknown, c: CallContext) => Promise<unknown>;
        const value = await handler(parsed.data, { signal: controller.signal, clientId });
        const checked = spec.result.safeParse(value);
        if (!checked.success) {
          throw new ApiError('INTERNAL', `The host returned an invalid result for ${method}: ${checked.error.issues[0]?.message ?? 'schema mismatch'}`);
        }
        send({ type: 'result', id, ok: true, value: checked.data });
      } catch (err) {
        const shape = controller.signal.aborted && !(err instanceof ApiError)
          ? new ApiError('CANCELLED', `${method} was cancelled.`).toShape()
          : ApiError.toShape(err);
        send({ type: 'result', id, ok: false, error: shape });
      } finally {
        inFlight.delete(id);
      }
    };

    return {
      receive: (message: unknown) => {
        const parsed = ClientMessage.safeParse(message);
        if (!parsed.success) {
          const id = (message as { id?: unknown } | null)?.id;
          const error = new ApiError('BAD_REQUEST', 'Malformed API message: expected {type:"call", id, method, params} or {type:"cancel", id}.').toShape();
          if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) send({ type: 'result', id, ok: false, error });
          else send({ type: 'protocolError', error });
          return;
        }
        const msg = parsed.data;
        if (msg.type === 'cancel') {
          inFlight.get(msg.id)?.abort(new ApiError('CANCELLED', 'Cancelled by the caller.'));
          return;
        }
        void runCall(msg.id, msg.method, msg.params);
      },
      close: () => {
        closed = true;
        for (const controller of inFlight.values()) controller.abort(new ApiError('DISCONNECTED', 'The client went away.'));
        inFlight.clear();
      },
    };
  }
}
