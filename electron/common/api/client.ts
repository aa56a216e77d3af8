/**
 * Client side of the contract, transport-agnostic: the renderer gives it a way
 * to send a message and feeds it what arrives (from the WebSocket or from the
 * Electron preload bridge). Calls have a timeout and an AbortSignal; results
 * and events are validated against the contract before anyone sees them.
 */
import type { z } from 'zod';
import { apiCalls, apiEvents, isEventName, type CallName, type CallParams, type CallResult, type EventName, type EventPayload } from './contract.js';
import { ApiError } from './errors.js';
import { ServerMessage, type ClientMessage } from './wire.js';

export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

export interface CallOptions {
  signal?: AbortSignal;
  /** 0 disables the timeout (for calls that stream until cancelled). */
  timeoutMs?: number;
}

export interface Disposable {
  dispose(): void;
}

interface Pending {
  method: CallName;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  cleanup(): void;
}

export class ApiClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly protocolErrorListeners = new Set<(err: ApiError) => void>();

  constructor(private readonly send: (message: ClientMessage) => void) {}

  call<K extends CallName>(method: K, params: CallParams<K>, options: CallOptions = {}): Promise<CallResult<K>> {
    const id = this.nextId++;
    const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    return new Promise<CallResult<K>>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new ApiError('CANCELLED', `${method} was cancelled.`));
        return;
      }
      const timer = timeoutMs > 0
        ? setTimeout(() => {
            this.settle(id, new ApiError('TIMEOUT', `${method} did not answer within ${Math.round(timeoutMs / 1000)} s.`));
            this.sendCancel(id);
          }, timeoutMs)
        : undefined;
      const onAbort = () => {
        this.settle(id, new ApiError('CANCELLED', `${method} was cancelled.`));
        this.sendCancel(id);
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        method,
        resolve: resolve as (v: unknown) => void,
        reject,
        cleanup: () => {
          if (timer) clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
        },
      });
      try {
        this.send({ type: 'call', id, method, params });
      } catch (err) {
        this.settle(id, new ApiError('DISCONNECTED', `Could not reach the Pinwheel host: ${(err as Error).message}`));
      }
    });
  }

  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): Disposable {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return { dispose: () => set.delete(l) };
  }

  onProtocolError(listener: (err: ApiError) => void): Disposable {
    this.protocolErrorListeners.add(listener);
    return { dispose: () => this.protocolErrorListeners.delete(listener) };
  }

  /** Feed one decoded message from the transport. */
  receive(raw: unknown): void {
    const parsed = ServerMessage.safeParse(raw);
    if (!parsed.success) {
      this.emitProtocolError(new ApiError('BAD_REQUEST', 'The host sent a message that does not fit the API contract.'));
      return;
    }
    const msg = parsed.data;
    if (msg.type === 'protocolError') {
      this.emitProtocolError(ApiError.fromShape(msg.error));
    } else if (msg.type === 'event') {
      if (!isEventName(msg.name)) return;
      const payload = (apiEvents[msg.name] as z.ZodType).safeParse(msg.payload);
      if (!payload.success) {
        this.emitProtocolError(new ApiError('BAD_REQUEST', `The host sent an invalid "${msg.name}" event.`));
        return;
      }
      for (const l of this.listeners.get(msg.name) ?? []) l(payload.data);
    } else if (msg.ok) {
      const pending = this.pending.get(msg.id);
      if (!pending) return;
      const checked = (apiCalls[pending.method].result as z.ZodType).safeParse(msg.value);
      if (checked.success) this.settle(msg.id, undefined, checked.data);
      else this.settle(msg.id, new ApiError('INTERNAL', `The host sent an invalid result for ${pending.method}.`));
    } else {
      this.settle(msg.id, ApiError.fromShape(msg.error));
    }
  }

  /** Fails every call in flight, e.g. when the WebSocket closes. */
  disconnect(reason: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, new ApiError('DISCONNECTED', reason));
  }

  /** Best effort: the caller already has its answer, and a dead transport cancels everything host-side anyway. */
  private sendCancel(id: number) {
    try {
      this.send({ type: 'cancel', id });
    } catch {
      // The transport is gone; the host aborts the call when it notices the disconnect.
    }
  }

  private settle(id: number, err: unknown, value?: unknown) {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    pending.cleanup();
    if (err) pending.reject(err);
    else pending.resolve(value);
  }

  private emitProtocolError(err: ApiError) {
    for (const l of this.protocolErrorListeners) l(err);
  }
}
