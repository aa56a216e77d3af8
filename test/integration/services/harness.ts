/**
 * Runs the real Backend (createBackend, as both hosts do) and talks to it
 * through its Dispatcher and the API client, every message round-tripped
 * through the web host's wire frames (JSON, bytes as binary frames). Records events so tests
 * can wait for status changes and terminal output.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from '../../../electron/common/api/client.js';
import type { BoardStatus, EventName, EventPayload, PortInfo } from '../../../electron/common/api/contract.js';
import type { Disposable } from '../../../electron/common/util/disposable.js';
import { Emitter } from '../../../electron/common/util/disposable.js';
import type { Backend } from '../../../electron/node/services/Backend.js';
import { createBackend, type CreateBackendOptions, type PortSource } from '../../../electron/node/services/createBackend.js';
import { PortDiscovery } from '../../../electron/node/ports/PortDiscovery.js';
import { decodeFrame, encodeFrame } from '../../../electron/common/api/wireFrames.js';

export interface TestBackend {
  backend: Backend;
  client: ApiClient;
  dataDir: string;
  events: EventLog;
  terminal: TerminalLog;
  close(): Promise<void>;
}

/** A log that tests wait on: `until` resolves with the first value `probe` finds, re-checked on every push. */
abstract class WaitableLog {
  private waiters = new Set<() => void>();

  protected changed(): void {
    for (const w of [...this.waiters]) w();
  }

  protected until<T>(probe: () => T | undefined, timeoutMs: number, failure: () => string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (found === undefined) return;
        done();
        resolve(found);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(failure()));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }
}

/** Every event received, in order. */
export class EventLog extends WaitableLog {
  readonly all: Array<{ name: EventName; payload: unknown; at: number }> = [];

  push(name: EventName, payload: unknown): void {
    this.all.push({ name, payload, at: Date.now() });
    this.changed();
  }

  of<K extends EventName>(name: K): Array<EventPayload<K>> {
    return this.all.filter((e) => e.name === name).map((e) => e.payload as EventPayload<K>);
  }

  /** Resolves with the first event (from index `from`) matching `test`. */
  waitFor<K extends EventName>(name: K, test: (payload: EventPayload<K>) => boolean, timeoutMs = 10_000, from = 0): Promise<EventPayload<K>> {
    return this.until(
      () => {
        for (let i = from; i < this.all.length; i++) {
          const e = this.all[i]!;
          if (e.name === name && test(e.payload as EventPayload<K>)) return { payload: e.payload as EventPayload<K> };
        }
        return undefined;
      },
      timeoutMs,
      () => `no matching ${name} event within ${timeoutMs} ms; last ones: ${JSON.stringify(this.of(name).slice(-5)).slice(0, 800)}`,
    ).then((found) => found.payload);
  }

  status(test: (s: BoardStatus) => boolean, timeoutMs?: number, from?: number): Promise<BoardStatus> {
    return this.waitFor('board.status', test, timeoutMs, from);
  }
}

/** The terminal as the renderer sees it: the concatenation of terminal.data events. */
export class TerminalLog extends WaitableLog {
  text = '';
  /** Where the next wait starts searching. */
  mark = 0;

  push(data: string): void {
    this.text += data;
    this.changed();
  }

  /** Waits for `pattern` after the mark and moves the mark past it; returns the text up to it. */
  waitFor(pattern: string | RegExp, timeoutMs = 10_000): Promise<string> {
    return this.until(
      () => {
        const rest = this.text.slice(this.mark);
        let end = -1;
        if (typeof pattern === 'string') {
          const i = rest.indexOf(pattern);
          if (i >= 0) end = i + pattern.length;
        } else {
          const m = pattern.exec(rest);
          if (m) end = m.index + m[0].length;
        }
        if (end < 0) return undefined;
        this.mark += end;
        return rest.slice(0, end);
      },
      timeoutMs,
      () => `terminal never showed ${String(pattern)} within ${timeoutMs} ms; it has ${JSON.stringify(this.text.slice(this.mark).slice(-400))}`,
    );
  }

  /** Waits until no output arrived for `quietMs`, then moves the mark to the end. */
  async settle(quietMs = 150, maxMs = 5000): Promise<void> {
    const deadline = Date.now() + maxMs;
    let seen = -1;
    while (seen !== this.text.length && Date.now() < deadline) {
      seen = this.text.length;
      await new Promise((r) => setTimeout(r, quietMs));
    }
    this.mark = this.text.length;
  }
}

/** A port source with no USB ports: typed paths (ptys) are checked by the real PortDiscovery.describePath. */
export function noUsbPorts(): PortDiscovery {
  return new PortDiscovery({ lister: async () => [], fallbackScanner: async () => [] });
}

/** A scripted port list: tests plug and unplug ports by calling set(). */
export class ScriptedPorts implements PortSource {
  private ports: PortInfo[] = [];
  private readonly emitter = new Emitter<PortInfo[]>();
  readonly onDidChange = (listener: (ports: PortInfo[]) => void): Disposable => this.emitter.event(listener);
  async list(): Promise<PortInfo[]> {
    return this.ports;
  }
  set(ports: PortInfo[]): void {
    this.ports = ports;
    this.emitter.fire(ports);
  }
  start(): void {}
  stop(): void {}
}

export interface HarnessOptions {
  /** False leaves terminal.data out of `events` and `terminal`, for tests that stream more output than a log should hold. */
  recordTerminal?: boolean;
}

export async function startTestBackend(options: Partial<CreateBackendOptions> = {}, harness: HarnessOptions = {}): Promise<TestBackend> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'pinwheel-services-'));
  const backend = await createBackend({ host: 'web', ports: noUsbPorts(), ...options, dataDir });
  const events = new EventLog();
  const terminal = new TerminalLog();
  const wire = <T>(m: T): T => decodeFrame(encodeFrame(m)) as T;
  let session: ReturnType<Backend['dispatcher']['open']> | undefined;
  const client = new ApiClient((message) => {
    const copy = wire(message);
    queueMicrotask(() => session!.receive(copy));
  });
  session = backend.dispatcher.open('test-client', (reply) => client.receive(wire(reply)));
  const subscription = backend.events.subscribe((event) => {
    const copy = wire(event);
    const isTerminal = copy.name === 'terminal.data';
    if (!isTerminal || harness.recordTerminal !== false) {
      events.push(copy.name, copy.payload);
      if (isTerminal) terminal.push((copy.payload as { data: string }).data);
    }
    client.receive(copy);
  });
  return {
    backend,
    client,
    dataDir,
    events,
    terminal,
    close: async () => {
      session?.close();
      subscription.dispose();
      await backend.dispose();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Text or bytes as the Uint8Array that file calls carry. */
export function bytes(value: string | Uint8Array): Uint8Array {
  return typeof value === 'string' ? new TextEncoder().encode(value) : value;
}
