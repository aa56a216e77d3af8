/**
 * The API contract: every call the renderer can make and every event it can
 * receive, with runtime schemas. Each domain declares its own calls and events
 * in `domains/`; this file merges them into the one contract that the
 * dispatcher serves, the clients call and both hosts validate.
 *
 * Adding a domain: write `domains/<name>.ts` with `<name>Calls` and
 * `<name>Events`, spread them in below, and give `Backend` the service's
 * handlers (`HandlersFor<typeof <name>Calls>`).
 */
import type { z } from 'zod';
import { appCalls, appEvents } from './domains/app.js';
import { boardCalls, boardEvents } from './domains/board.js';
import { draftCalls, draftEvents } from './domains/drafts.js';
import { fileCalls, fileEvents } from './domains/files.js';
import { jobCalls, jobEvents } from './domains/jobs.js';
import { terminalCalls, terminalEvents } from './domains/terminal.js';
import { vboardCalls, vboardEvents } from './domains/vboard.js';
import { flashCalls, flashEvents } from './domains/flash.js';
import { packageCalls, packageEvents } from './domains/packages.js';
import { deviceCalls, deviceEvents } from './domains/device.js';
import { brokerCalls, brokerEvents, mqttCalls, mqttEvents } from './domains/mqtt.js';
import { workspaceCalls, workspaceEvents } from './domains/workspace.js';

export * from './domains/app.js';
export * from './domains/board.js';
export * from './domains/drafts.js';
export * from './domains/files.js';
export * from './domains/jobs.js';
export * from './domains/terminal.js';
export * from './domains/vboard.js';
export * from './domains/flash.js';
export * from './domains/packages.js';
export * from './domains/device.js';
export * from './domains/mqtt.js';
export * from './domains/workspace.js';

export const apiCalls = {
  ...appCalls,
  ...boardCalls,
  ...terminalCalls,
  ...fileCalls,
  ...workspaceCalls,
  ...draftCalls,
  ...vboardCalls,
  ...flashCalls,
  ...packageCalls,
  ...deviceCalls,
  ...mqttCalls,
  ...brokerCalls,
  ...jobCalls,
} as const;

export const apiEvents = {
  ...appEvents,
  ...boardEvents,
  ...terminalEvents,
  ...fileEvents,
  ...workspaceEvents,
  ...draftEvents,
  ...vboardEvents,
  ...flashEvents,
  ...packageEvents,
  ...deviceEvents,
  ...mqttEvents,
  ...brokerEvents,
  ...jobEvents,
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
