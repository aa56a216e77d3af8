/**
 * The main-side application: owns every service and exposes them as the API
 * handlers both hosts serve. Hosts stay thin: they only move messages.
 */
import os from 'node:os';
import type { ApiHandlers } from '../../common/api/dispatcher.js';
import { Dispatcher } from '../../common/api/dispatcher.js';
import { EventHub } from '../../common/api/EventHub.js';
import type { HostKind, PortInfo } from '../../common/api/contract.js';
import type { Disposable } from '../../common/util/disposable.js';
import { APP_VERSION } from '../appPaths.js';
import { VIRTUAL_PORT_INFO, type BoardService } from './BoardService.js';
import type { DraftStore } from './DraftStore.js';
import type { SettingsStore } from './SettingsStore.js';
import type { WorkspaceService } from './WorkspaceService.js';

/** What the backend needs from port discovery (electron/node/services/PortDiscovery.ts). */
export interface PortSource {
  list(): Promise<PortInfo[]>;
  onDidChange(listener: (ports: PortInfo[]) => void): Disposable;
  /** Checks a typed path (a pty, a /dev/serial/by-id link) without opening it. */
  describePath?(path: string): Promise<PortInfo>;
  start(): void;
  stop(): void;
}

export interface BackendOptions {
  host: HostKind;
  ports: PortSource;
  /** Where the services publish; the hosts forward it to every client. */
  events: EventHub;
  board: BoardService;
  workspace: WorkspaceService;
  drafts: DraftStore;
  settings: SettingsStore;
}

/** Base64 in and out of the JSON envelope; Node's Buffer does it without copying twice. */
function fromBase64(text: string): Uint8Array {
  const buf = Buffer.from(text, 'base64');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

function toBase64(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}

/** The serial ports, with the built-in virtual board always first. */
function withVirtualBoard(ports: PortInfo[]): PortInfo[] {
  return [VIRTUAL_PORT_INFO, ...ports];
}

export class Backend {
  readonly events: EventHub;
  readonly dispatcher: Dispatcher;
  private readonly disposables: Disposable[] = [];
  private disposing: Promise<void> | undefined;

  constructor(private readonly options: BackendOptions) {
    this.events = options.events;
    const { board, workspace, drafts } = options;
    const handlers: ApiHandlers = {
      'app.info': async () => ({
        name: 'Pinwheel',
        version: APP_VERSION,
        host: options.host,
        platform: `${os.platform()}-${os.arch()}`,
      }),
      'ports.list': async () => withVirtualBoard(await options.ports.list()),

      'board.connect': (p, ctx) => board.connect(p.path, { baudRate: p.baudRate, signal: ctx.signal }),
      'board.disconnect': () => board.disconnect(),
      'board.status': async () => board.getStatus(),
      'board.run': (p, ctx) => board.run(p.code, ctx.signal),
      'board.stop': async () => {
        await board.stop();
        return {};
      },
      'board.softReset': async (_p, ctx) => {
        await board.softReset(ctx.signal);
        return {};
      },
      'board.hardReset': (_p, ctx) => board.hardReset(ctx.signal),
      'board.completions': (p, ctx) => board.completions(p.expr, ctx.signal),
      'terminal.write': async (p) => {
        await board.writeTerminal(p.data);
        return {};
      },
      'terminal.paste': async (p) => {
        await board.pasteTerminal(p.text);
        return {};
      },

      'files.list': (p, ctx) => board.listFiles(p.path, p.recursive === true, ctx.signal),
      'files.read': async (p, ctx) => {
        const data = await board.readFile(p.path, p.jobId, ctx.signal);
        return { base64: toBase64(data), size: data.length };
      },
      'files.write': (p, ctx) => board.writeFile(p.path, fromBase64(p.base64), { jobId: p.jobId, force: p.force, signal: ctx.signal }),
      'files.mkdir': async (p, ctx) => {
        await board.mkdir(p.path, ctx.signal);
        return {};
      },
      'files.remove': async (p, ctx) => {
        await board.remove(p.path, p.recursive === true, ctx.signal);
        return {};
      },
      'files.rename': async (p, ctx) => {
        await board.rename(p.from, p.to, ctx.signal);
        return {};
      },
      'files.stat': (p, ctx) => board.statFile(p.path, ctx.signal),
      'files.diskUsage': (p, ctx) => board.diskUsage(p.path, ctx.signal),

      'workspace.open': (p) => workspace.open(p.path),
      'workspace.current': async () => workspace.current(),
      'workspace.browse': (p) => workspace.browse(p.path),
      'workspace.list': () => workspace.list(),
      'workspace.readFile': async (p) => ({ base64: toBase64(await workspace.readFile(p.path)) }),
      'workspace.writeFile': async (p) => {
        await workspace.writeFile(p.path, fromBase64(p.base64));
        return {};
      },
      'workspace.uploadToBoard': (p, ctx) => workspace.uploadToBoard(p.paths, p.remoteRoot, p.jobId, ctx.signal),
      'workspace.syncToBoard': (p, ctx) => workspace.syncToBoard(p.remoteRoot, p.jobId, ctx.signal),

      'drafts.load': () => drafts.load(),
      'drafts.save': async (p) => {
        await drafts.save(p.drafts);
        return {};
      },

      'vboard.pins': async () => ({ pins: board.pins() }),
    };
    this.dispatcher = new Dispatcher(handlers);
    this.disposables.push(options.ports.onDidChange((ports) => this.events.emit('ports.changed', { ports: withVirtualBoard(ports) })));
    options.ports.start();
  }

  /** Closes the board (the virtual board saves its flash), stops discovery and lets pending draft saves land. */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      this.options.ports.stop();
      for (const d of this.disposables.splice(0)) d.dispose();
      await this.options.board.dispose();
      await this.options.drafts.flush();
      await this.options.settings.flush();
    })();
    return this.disposing;
  }
}
