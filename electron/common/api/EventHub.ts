/**
 * Where main-side services publish API events. Each host subscribes once per
 * connected client and forwards the envelopes; payloads are checked against
 * the contract here, so a service cannot push an event the renderer would reject.
 */
import type { z } from 'zod';
import { apiEvents, type EventName, type EventPayload } from './contract.js';
import type { Disposable } from '../util/disposable.js';

export interface EventEnvelope {
  type: 'event';
  name: EventName;
  payload: unknown;
}

export class EventHub {
  private readonly subscribers = new Set<(event: EventEnvelope) => void>();

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    const checked = (apiEvents[name] as z.ZodType).safeParse(payload);
    if (!checked.success) {
      throw new Error(`Event "${name}" does not match the API contract: ${checked.error.issues[0]?.message ?? ''}`);
    }
    const envelope: EventEnvelope = { type: 'event', name, payload: checked.data };
    for (const s of [...this.subscribers]) s(envelope);
  }

  subscribe(listener: (event: EventEnvelope) => void): Disposable {
    this.subscribers.add(listener);
    return { dispose: () => this.subscribers.delete(listener) };
  }
}
