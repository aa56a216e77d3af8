/**
 * Runs the real Backend (createBackend, as both hosts do) and talks to it
 * through its Dispatcher and the API client, every message round-tripped
 * through JSON like the WebSocket and IPC carry it. Records events so tests
 * can wait for status changes and terminal output.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from '../../../electron/common/api/client.js';
import type { BoardStatus, EventName, EventPayload, PortInfo } from '../../../electron/common/api/contract.js';
import type { Disposable } from '../../../electron/common/util/disposable.js';
import { Emitter } from '../../../electron/common/util/disposable.js';
import type { Backend, PortSource } from '../../../electron/node/services/Backend.js';
import { createBackend, type CreateBackendOptions } from '../../../electron/node/services/createBackend.js';
import { PortDiscovery } from '../../../electron/node/services/PortDiscovery.js';

export interface TestBackend {
  backend: Backend;
  client: ApiClient;
  dataDir: string;
  events: EventLog;
  terminal: TerminalLog;
  close(): Promise<void>;
}

/** Every event received, in order. */
export class EventLog {
  readonly all: Array<{ name: EventName; payload: unknown; at: number }> = [];
  private waiters = new Set<() => void>();

  push(name: EventName, payload: unknown): void {
    this.all.push({ name, payload, at: Date.now() });
    for (const w of [...this.waiters]) w();
  }

  of<K extends EventName>(name: K): Array<EventPayload<K>> {
    return this.all.filter((e) => e.name === name).map((e) => e.payload as EventPayload<K>);
  }

  /** Resolves with the first event (from index `from`) matching `test`. */
  waitFor<K extends EventName>(name: K, test: (payload: EventPayload<K>) => boolean, timeoutMs = 10_000, from = 0): Promise<EventPayload<K>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (let i = from; i < this.all.length; i++) {
          const e = this.all[i]!;
          if (e.name === name && test(e.payload as EventPayload<K>)) {
            done();
            resolve(e.payload as EventPayload<K>);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        done();
        const seen = this.of(name).slice(-5);
        reject(new Error(`no matching ${name} event within ${timeoutMs} ms; last ones: ${JSON.stringify(seen).slice(0, 800)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  status(test: (s: BoardStatus) => boolean, timeoutMs?: number, from?: number): Promise<BoardStatus> {
    return this.waitFor('board.status', test, timeoutMs, from);
  }
}

/** The terminal as the renderer sees it: the concatenation of terminal.data events. */
export class TerminalLog {
  text = '';
  /** Where the next wait starts searching. */
  mark = 0;
  private waiters = new Set<() => void>();

  push(data: string): void {
    this.text += data;
    for (const w of [...this.waiters]) w();
  }

  /** Waits for `pattern` after the mark and moves the mark past it; returns the text up to it. */
  waitFor(pattern: string | RegExp, timeoutMs = 10_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const rest = this.text.slice(this.mark);
        let end = -1;
        if (typeof pattern === 'string') {
          const i = rest.indexOf(pattern);
          if (i >= 0) end = i + pattern.length;
        } else {
          const m = pattern.exec(rest);
          if (m) end = m.index + m[0].length;
        }
        if (end < 0) return;
        done();
        this.mark += end;
        resolve(rest.slice(0, end));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`terminal never showed ${String(pattern)} within ${timeoutMs} ms; it has ${JSON.stringify(this.text.slice(this.mark).slice(-400))}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
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

export async function startTestBackend(options: Partial<CreateBackendOptions> = {}): Promise<TestBackend> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'pinwheel-services-'));
  const backend = await createBackend({ host: 'web', ports: noUsbPorts(), ...options, dataDir });
  const events = new EventLog();
  const terminal = new TerminalLog();
  const wire = <T>(m: T): T => JSON.parse(JSON.stringify(m)) as T;
  let session: ReturnType<Backend['dispatcher']['open']> | undefined;
  const client = new ApiClient((message) => {
    const copy = wire(message);
    queueMicrotask(() => session!.receive(copy));
  });
  session = backend.dispatcher.open('test-client', (reply) => client.receive(wire(reply)));
  const subscription = backend.events.subscribe((event) => {
    const copy = wire(event);
    events.push(copy.name, copy.payload);
    if (copy.name === 'terminal.data') terminal.push((copy.payload as { data: string }).data);
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

export function b64(text: string | Uint8Array): string {
  return Buffer.from(text).toString('base64');
}

export function unb64(text: string): Buffer {
  return Buffer.from(text, 'base64');
}
