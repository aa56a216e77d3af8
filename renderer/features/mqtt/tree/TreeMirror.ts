/**
 * The topic-tree worker's state: one TopicTree per connection, built from the
 * host's batched diffs (topics named again from their ids: a diff names a
 * topic only when it is new), diffs held while paused, and the frames the
 * window shows (see treeProtocol.ts). No DOM: it runs in a Worker in the
 * page and in-process in unit tests.
 */
import type { TopicSummaryDto } from '../../../../electron/common/api/contract.js';
import { TopicDiffReader } from '../../../../electron/common/mqtt/diffCodec.js';
import { HeldDiffs } from './HeldDiffs.js';
import { TopicTree, type TopicRow, type TreeDiff } from './TopicTree.js';
import type { FromTreeWorker, ModelStats, ToTreeWorker, TreeFrame, TreeRowDto, TreeViewport, WatchedTopic } from './treeProtocol.js';

/** Data changes reach the window at most this often: ten times a second reads as live, and each frame is a re-render. */
export const FRAME_INTERVAL_MS = 100;

interface ConnectionTree {
  readonly tree: TopicTree;
  /** The topics' names by the store's ids. */
  readonly names: Map<number, string>;
  readonly held: HeldDiffs;
  stats: ModelStats | null;
}

function rowDto(row: TopicRow): TreeRowDto {
  const { node } = row;
  // Summaries go as they are: posting a message copies it (structured clone) before the tree changes them again.
  const dto: TreeRowDto = { path: node.path, name: node.name, depth: row.depth, expanded: row.expanded, hasChildren: row.hasChildren, messages: node.messages, topics: node.topics, rate: node.rate };
  if (node.summary) dto.summary = node.summary;
  if (row.match) dto.match = row.match;
  return dto;
}

export class TreeMirror {
  private readonly connections = new Map<string, ConnectionTree>();
  private paused = false;
  private viewport: TreeViewport = { connectionId: null, filter: '', first: 0, count: 0 };
  private watched: WatchedTopic[] = [];
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the pending timer fires; a command wanting its frame sooner brings it forward. */
  private timerDue = Infinity;
  private lastFrameAt = -Infinity;
  /** Commands answered once the next frame is out. */
  private readonly waitingForFrame: number[] = [];

  constructor(private readonly send: (message: FromTreeWorker) => void) {}

  receive(message: ToTreeWorker): void {
    switch (message.kind) {
      case 'snapshot':
      case 'diff':
        return this.onBlock(message.kind, message.connectionId, message.bytes);
      case 'forget':
        this.connections.delete(message.connectionId);
        return this.changed(message.connectionId, true);
      case 'paused':
        return this.setPaused(message.paused);
      case 'viewport':
        this.viewport = message.viewport;
        return this.frameSoon(0);
      case 'watch':
        this.watched = message.topics;
        return this.frameSoon(0);
      case 'expand':
        this.connection(message.connectionId).tree.setExpanded(message.path, message.expanded);
        this.waitingForFrame.push(message.id);
        return this.frameSoon(0);
      case 'query':
        return this.answer(message);
    }
  }

  private connection(connectionId: string): ConnectionTree {
    let entry = this.connections.get(connectionId);
    if (!entry) this.connections.set(connectionId, (entry = { tree: new TopicTree(), names: new Map(), held: new HeldDiffs(), stats: null }));
    return entry;
  }

  private onBlock(kind: 'snapshot' | 'diff', connectionId: string, bytes: Uint8Array): void {
    let reader: TopicDiffReader;
    try {
      // The whole block is checked first: one that cannot be read leaves the tree as it was.
      reader = new TopicDiffReader(bytes);
    } catch (err) {
      this.send({ kind: 'problem', message: err instanceof Error ? err.message : String(err) });
      return;
    }
    const entry = this.connection(connectionId);
    entry.stats = { memory: reader.memory, topicCount: reader.topicCount, messageCount: reader.messageCount };
    if (kind === 'snapshot') {
      // Every topic is named in a snapshot; what was held is older than it.
      const topics = reader.next(reader.changedCount) as TopicSummaryDto[];
      entry.names.clear();
      for (const t of topics) entry.names.set(t.id, t.topic);
      entry.held.take();
      entry.tree.load(topics);
    } else if (this.paused) {
      entry.held.add({ ...this.openDiff(entry, reader), changed: this.named(entry, reader) });
    } else {
      entry.tree.apply({ ...this.openDiff(entry, reader), changed: [] });
      // Entries are read in place and copied into the tree's own summaries: a flood's diffs leave no garbage.
      const { names, tree } = entry;
      reader.visit(reader.changedCount, (cursor) => {
        if (cursor.topic !== undefined) names.set(cursor.id, cursor.topic);
        const topic = cursor.topic ?? names.get(cursor.id);
        if (topic !== undefined) tree.upsert(topic, cursor);
      });
    }
    this.changed(connectionId, kind === 'snapshot');
  }

  /** The start of a diff: reset forgets the names, removed ids become topics. */
  private openDiff(entry: ConnectionTree, reader: TopicDiffReader): Pick<TreeDiff, 'reset' | 'removed'> {
    if (reader.reset) entry.names.clear();
    const removed: string[] = [];
    for (const id of reader.removedIds) {
      const topic = entry.names.get(id);
      if (topic === undefined) continue;
      entry.names.delete(id);
      removed.push(topic);
    }
    return { reset: reader.reset, removed };
  }

  /** Changes named again (held while paused); one whose name this tree never got is left to the next snapshot. */
  private named(entry: ConnectionTree, reader: TopicDiffReader): TopicSummaryDto[] {
    const changed: TopicSummaryDto[] = [];
    for (const change of reader.next(reader.changedCount)) {
      if (change.topic !== undefined) entry.names.set(change.id, change.topic);
      else change.topic = entry.names.get(change.id);
      if (change.topic !== undefined) changed.push(change as TopicSummaryDto);
    }
    return changed;
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    if (!paused) for (const entry of this.connections.values()) if (entry.held.size > 0) entry.tree.apply(entry.held.take());
    this.frameSoon(0);
  }

  /** A connection's tree or figures changed: a frame when the window shows any of it. */
  private changed(connectionId: string, soon: boolean): void {
    const shown = this.viewport.connectionId === connectionId || this.watched.some((w) => w.connectionId === connectionId);
    if (shown) this.frameSoon(soon ? 0 : Math.max(0, this.lastFrameAt + FRAME_INTERVAL_MS - performance.now()));
  }

  private frameSoon(delayMs: number): void {
    const due = performance.now() + delayMs;
    if (this.timer !== undefined && this.timerDue <= due) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => this.sendFrame(), delayMs);
  }

  private sendFrame(): void {
    this.timer = undefined;
    this.timerDue = Infinity;
    this.lastFrameAt = performance.now();
    this.send({ kind: 'frame', frame: this.frame() });
    for (const id of this.waitingForFrame.splice(0)) this.send({ kind: 'done', id });
  }

  private frame(): TreeFrame {
    const { viewport } = this;
    const entry = viewport.connectionId === null ? undefined : this.connections.get(viewport.connectionId);
    const all = entry?.tree.rows(viewport.filter) ?? [];
    const rows = all.slice(viewport.first, viewport.first + viewport.count).map(rowDto);
    const watched = this.watched.map(({ connectionId, topic }) => {
      const node = this.connections.get(connectionId)?.tree.node(topic);
      return node?.summary ? { connectionId, topic, summary: node.summary, hasChildren: node.children.size > 0 } : { connectionId, topic, hasChildren: (node?.children.size ?? 0) > 0 };
    });
    return { viewport, rowCount: all.length, rows, watched, stats: entry?.stats ?? null, heldCount: entry?.held.size ?? 0, seq: ++this.seq };
  }

  private answer(message: Extract<ToTreeWorker, { kind: 'query' }>): void {
    const rows = this.connections.get(message.connectionId)?.tree.rows(message.filter) ?? [];
    const { query, id } = message;
    if ('rowAt' in query) {
      const row = rows[query.rowAt];
      this.send(row ? { kind: 'answer', id, row: rowDto(row) } : { kind: 'answer', id });
    } else {
      this.send({ kind: 'answer', id, index: rows.findIndex((r) => r.node.path === query.indexOf) });
    }
  }
}
