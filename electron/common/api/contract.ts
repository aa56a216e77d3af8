/**
 * The API contract: every call the renderer can make and every event it can
 * receive, with runtime schemas. The Electron preload bridge, the web host's
 * WebSocket and the renderer's client all speak this one contract; both hosts
 * validate every message against it (see dispatcher.ts).
 */
import { z } from 'zod';

export const HostKind = z.enum(['electron', 'web']);
export type HostKind = z.infer<typeof HostKind>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  host: HostKind,
  platform: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const PortInfo = z.object({
  /** What to pass to connect: a device path such as /dev/ttyUSB0 or COM3, or `virtual:` ids. */
  path: z.string(),
  kind: z.enum(['serial', 'virtual']),
  /** A name a person recognises: "CP2102 USB-UART (ESP32 dev board) on /dev/ttyUSB0". */
  friendlyName: z.string(),
  vendorId: z.string().optional(),
  productId: z.string().optional(),
  manufacturer: z.string().optional(),
  serialNumber: z.string().optional(),
  /** True when the USB ids belong to a bridge or board commonly running MicroPython. */
  likelyMicroPython: z.boolean(),
});
export type PortInfo = z.infer<typeof PortInfo>;

const NoParams = z.object({}).strict();

function call<P extends z.ZodType, R extends z.ZodType>(params: P, result: R) {
  return { params, result };
}

export const apiCalls = {
  'app.info': call(NoParams, AppInfo),
  'ports.list': call(NoParams, z.array(PortInfo)),
} as const;

export const apiEvents = {
  'ports.changed': z.object({ ports: z.array(PortInfo) }),
} as const;

export type ApiCalls = typeof apiCalls;
export type CallName = keyof ApiCalls;
export type CallParams<K extends CallName> = z.input<ApiCalls[K]['params']>;
export type CallResult<K extends CallName> = z.output<ApiCalls[K]['result']>;

export type ApiEvents = typeof apiEvents;
export type EventName = keyof ApiEvents;
export type EventPayload<K extends EventName> = z.output<ApiEvents[K]>;

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(apiCalls, name);
}

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(apiEvents, name);
}
