/**
 * The window's end of the topic-tree worker: forwards the host's blocks, says
 * what the window shows (viewport, watched topics), and keeps the newest
 * frame as an Observable the views render from. Questions (a row by index, a
 * row's index) and expand commands are promises with a timeout, so a worker
 * that died cannot leave a key press waiting for ever.
 */
import { Observable } from '../../../shared/util/Observable.js';
import type { FromTreeWorker, ToTreeWorker, TreeFrame, TreePort, TreeQuery, TreeRowDto, TreeViewport, WatchedState } from './treeProtocol.js';

/** The worker answers in milliseconds; this is for one that crashed. */
const ANSWER_TIMEOUT_MS = 10_000;

export const EMPTY_FRAME: TreeFrame = { viewport: { connectionId: null, filter: '', first: 0, count: 0 }, rowCount: 0, rows: [], watched: [], stats: null, heldCount: 0, seq: 0 };

interface Waiting {
  resolve(message: FromTreeWorker): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

function sameViewport(a: TreeViewport, b: TreeViewport): boolean {
  return a.connectionId === b.connectionId && a.filter === b.filter && a.first === b.first && a.count === b.count;
}

export class TreeClient {
  readonly frame = new Observable<TreeFrame>(EMPTY_FRAME);
  private viewport: TreeViewport = EMPTY_FRAME.viewport;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  /** Watched topics with how many views watch each ("connection\ntopic"). */
  private readonly watchers = new Map<string, number>();
  private watchPosted = false;

  constructor(
    private readonly port: TreePort<ToTreeWorker, FromTreeWorker>,
    private readonly onProblem: (err: Error) => void,
  ) {
    port.onMessage((message) => this.onMessage(message));
  }

  private onMessage(message: FromTreeWorker): void {
    switch (message.kind) {
      case 'frame':
        return this.frame.set(message.frame);
      case 'problem':
        return this.onProblem(new Error(message.message));
      case 'done':
      case 'answer': {
        const waiting = this.waiting.get(message.id);
        if (!waiting) return;
        this.waiting.delete(message.id);
        clearTimeout(waiting.timer);
        waiting.resolve(message);
      }
    }
  }

  block(kind: 'snapshot' | 'diff', connectionId: string, bytes: Uint8Array): void {
    this.port.post({ kind, connectionId, bytes });
  }

  forget(connectionId: string): void {
    this.port.post({ kind: 'forget', connectionId });
  }

  setPaused(paused: boolean): void {
    this.port.post({ kind: 'paused', paused });
  }

  setViewport(viewport: TreeViewport): void {
    if (sameViewport(viewport, this.viewport)) return;
    this.viewport = viewport;
    this.port.post({ kind: 'viewport', viewport });
  }

  /** The rows the frame holds are for this viewport (the window may have scrolled since). */
  get currentViewport(): TreeViewport {
    return this.viewport;
  }

  /** Keeps a topic's state in every frame until the returned function is called. */
  watch(connectionId: string, topic: string): () => void {
    const key = `${connectionId}\n${topic}`;
    this.watchers.set(key, (this.watchers.get(key) ?? 0) + 1);
    this.postWatchSoon();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.watchers.get(key) ?? 1) - 1;
      if (left === 0) this.watchers.delete(key);
      else this.watchers.set(key, left);
      this.postWatchSoon();
    };
  }

  /**
   * A topic's state in the newest frame: watched, or else one of the rows
   * shown (a row just clicked is read from there until the frame that
   * watches it arrives). undefined when the frame has neither.
   */
  watched(connectionId: string, topic: string): WatchedState | undefined {
    const frame = this.frame.get();
    const watched = frame.watched.find((w) => w.connectionId === connectionId && w.topic === topic);
    if (watched || frame.viewport.connectionId !== connectionId) return watched;
    const row = frame.rows.find((r) => r.path === topic);
    return row && (row.summary ? { connectionId, topic, summary: row.summary, hasChildren: row.hasChildren } : { connectionId, topic, hasChildren: row.hasChildren });
  }

  /** Views mount and unmount together: one message for all of them. */
  private postWatchSoon(): void {
    if (this.watchPosted) return;
    this.watchPosted = true;
    queueMicrotask(() => {
      this.watchPosted = false;
      const topics = [...this.watchers.keys()].map((key) => {
        const cut = key.indexOf('\n');
        return { connectionId: key.slice(0, cut), topic: key.slice(cut + 1) };
      });
      this.port.post({ kind: 'watch', topics });
    });
  }

  /** Expands or collapses a level; resolves once a frame showing it has arrived. */
  async expand(connectionId: string, path: string, expanded: boolean): Promise<void> {
    await this.ask((id) => ({ kind: 'expand', id, connectionId, path, expanded }));
  }

  /** The row at `index` under `filter` (undefined past the end). */
  async rowAt(connectionId: string, filter: string, index: number): Promise<TreeRowDto | undefined> {
    const answer = await this.query(connectionId, filter, { rowAt: index });
    return answer.row;
  }

  /** Where the row of `path` is under `filter` (-1: not shown). */
  async indexOf(connectionId: string, filter: string, path: string): Promise<number> {
    const answer = await this.query(connectionId, filter, { indexOf: path });
    return answer.index ?? -1;
  }

  private async query(connectionId: string, filter: string, query: TreeQuery): Promise<Extract<FromTreeWorker, { kind: 'answer' }>> {
    const answer = await this.ask((id) => ({ kind: 'query', id, connectionId, filter, query }));
    if (answer.kind !== 'answer') throw new Error(`The topic tree answered a question with "${answer.kind}".`);
    return answer;
  }

  private ask(message: (id: number) => ToTreeWorker): Promise<FromTreeWorker> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`The topic tree did not answer within ${ANSWER_TIMEOUT_MS / 1000} s.`));
      }, ANSWER_TIMEOUT_MS);
      this.waiting.set(id, { resolve, reject, timer });
      this.port.post(message(id));
    });
  }
}
