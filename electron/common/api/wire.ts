/**
 * The envelope every API message travels in, over the WebSocket and over
 * Electron IPC alike. Calls carry an id so replies find their caller and a
 * `cancel` can abort a call in flight.
 */
import { z } from 'zod';
import { API_ERROR_CODES } from './errors.js';

/** Upper bound on one message, so a hostile or broken peer cannot make a host buffer without limit. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export const CallMessage = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(200),
  params: z.unknown(),
});

export const CancelMessage = z.object({
  type: z.literal('cancel'),
  id: z.number().int().nonnegative(),
});

export const ClientMessage = z.discriminatedUnion('type', [CallMessage, CancelMessage]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export const ErrorShape = z.object({
  name: z.string(),
  code: z.enum(API_ERROR_CODES),
  message: z.string(),
});

export const ResultMessage = z.union([
  z.object({ type: z.literal('result'), id: z.number().int(), ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('result'), id: z.number().int(), ok: z.literal(false), error: ErrorShape }),
]);

/** A reply to a message that could not be tied to a call id (unparseable JSON, say). */
export const ProtocolErrorMessage = z.object({ type: z.literal('protocolError'), error: ErrorShape });

export const EventMessage = z.object({ type: z.literal('event'), name: z.string(), payload: z.unknown() });

export const ServerMessage = z.union([ResultMessage, ProtocolErrorMessage, EventMessage]);
export type ServerMessage = z.infer<typeof ServerMessage>;
export type ResultMessage = z.infer<typeof ResultMessage>;
