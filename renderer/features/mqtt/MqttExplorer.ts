/**
 * The MQTT explorer's state in the window: saved profiles, open connections
 * and their states, one topic tree per connection fed by the host's batched
 * diffs, the picked topic, pause, and the built-in broker's status. Lives on
 * the workbench (not in a view) so the trees keep growing while the side bar
 * shows another view.
 */
import type { ApiClient } from '../../../electron/common/api/client.js';
import type { BrokerStatusDto, MemoryUseDto, MqttConnectionDto, MqttProfileDto, MqttProfileInput, TopicSummaryDto } from '../../../electron/common/api/contract.js';
import { TopicDiffReader, type WireTopicChange } from '../../../electron/common/mqtt/diffCodec.js';
import { profileForUrl } from '../../../electron/common/mqtt/profileDefaults.js';
import type { HostConnection } from '../../app/HostConnection.js';
import { Observable } from '../../shared/util/Observable.js';
import { TopicTree, type TreeDiff } from './TopicTree.js';

type MemoryUse = MemoryUseDto;

export interface ModelStats {
  memory: MemoryUse;
  topicCount: number;
  messageCount: number;
}

/** Diffs that arrived while paused, merged: the newest summary per topic. */
class HeldDiffs {
  reset = false;
  readonly changed = new Map<string, TopicSummaryDto>();
  readonly removed = new Set<string>();

  add(diff: TreeDiff): void {
    if (diff.reset) {
      this.reset = true;
      this.changed.clear();
      this.removed.clear();
    }
    for (const topic of diff.removed) {
      this.changed.delete(topic);
      this.removed.add(topic);
    }
    for (const summary of diff.changed) {
      this.removed.delete(summary.topic);
      this.changed.set(summary.topic, summary);
    }
  }

  get size(): number {
    return this.changed.size + this.removed.size;
  }

  take(): TreeDiff {
    const diff = { changed: [...this.changed.values()], removed: [...this.removed], reset: this.reset };
    this.reset = false;
    this.changed.clear();
    this.removed.clear();
    return diff;
  }
}

/**
 * Topics applied to a tree per slice; a flood's diff changes 10,000 at once.
 * Small, because the time budget is checked between slices and a new topic
 * costs far more than an update (a node per new level, its path, a summary):
 * with 1,000 a slice, a Chromium trace of the flood benchmark showed the
 * first diff's tasks at up to 18 ms of CPU each, one stretched to 76 ms while
 * the page's thread waited for a core.
 */
const APPLY_SLICE = 200;
/**
 * The tree and the counts re-render at most this often under a flood: ten
 * times a second reads as live, and each render's garbage (React's, the
 * rows') is what the page's collector otherwise has to keep up with.
 */
const RENDER_INTERVAL_MS = 100;
/** A task of slices stops after this long, so the page keeps answering (a long task is 50 ms). */
const SLICE_BUDGET_MS = 8;

/** One diff being applied: `step()` does one slice and says whether it was the last. */
interface SliceWork {
  connectionId: string;
  step(): boolean;
}

/**
 * Runs diffs' work in slices, as many per task as fit SLICE_BUDGET_MS, the
 * rest in the next task (a MessageChannel message, not setTimeout's 4 ms
 * clamp). Diffs are applied in the order they came.
 */
class SliceRunner {
  private readonly queue: SliceWork[] = [];
  private scheduled = false;
  private readonly channel = new MessageChannel();

  constructor(private readonly applied: (connectionId: string) => void) {
    this.channel.port1.onmessage = () => this.drain();
  }

  push(work: SliceWork): void {
    this.queue.push(work);
    if (!this.scheduled) {
      this.scheduled = true;
      this.channel.port2.postMessage(null);
    }
  }

  /** Everything queued, now (before the explorer pauses: held diffs must come after these). */
  finish(): void {
    const touched = new Set<string>();
    while (this.queue.length > 0) this.stepFirst(touched);
    for (const connectionId of touched) this.applied(connectionId);
  }

  private stepFirst(touched: Set<string>): void {
    const work = this.queue[0]!;
    touched.add(work.connectionId);
    if (work.step()) this.queue.shift();
  }

  private drain(): void {
    const deadline = performance.now() + SLICE_BUDGET_MS;
    const touched = new Set<string>();
    while (this.queue.length > 0 && (touched.size === 0 || performance.now() < deadline)) this.stepFirst(touched);
    for (const connectionId of touched) this.applied(connectionId);
    if (this.queue.length > 0) this.channel.port2.postMessage(null);
    else this.scheduled = false;
  }
}

export class MqttExplorer {
  readonly profiles = new Observable<MqttProfileDto[]>([]);
  readonly secretsStorage = new Observable('');
  readonly connections = new Observable<MqttConnectionDto[]>([]);
  /** The connection whose tree the view shows. */
  readonly activeConnectionId = new Observable<string | null>(null);
  readonly selectedTopic = new Observable<string | null>(null);
  readonly paused = new Observable(false);
  /** Topic changes held back while paused (shown on the Resume button). */
  readonly heldCount = new Observable(0);
  /** Bumped when the active tree changed; views recompute their rows then. */
  readonly treeVersion = new Observable(0);
  readonly stats = new Observable<ModelStats | null>(null);
  readonly broker = new Observable<BrokerStatusDto | null>(null);
  private readonly trees = new Map<string, TopicTree>();
  private readonly held = new Map<string, HeldDiffs>();
  private readonly statsByConnection = new Map<string, ModelStats>();
  /** Per connection, the names of the topics by the store's ids (diffs name a topic only when it is new). */
  private readonly topicNames = new Map<string, Map<number, string>>();
  private frameRequested = false;
  private readonly runner = new SliceRunner((connectionId) => this.touched(connectionId));

  constructor(
    private readonly api: ApiClient,
    host: HostConnection,
    /** A diff that cannot be read: the workbench reports it (the tree keeps what it had). */
    private readonly onProtocolError: (err: unknown) => void = () => undefined,
  ) {
    api.on('mqtt.connection', (event) => this.onConnection(event));
    api.on('mqtt.topics', ({ connectionId, diff }) => {
      const reader = this.read(diff);
      if (reader) this.onDiff(connectionId, reader);
    });
    api.on('broker.status', (status) => this.broker.set(status));
    host.onDidChangeState((state) => {
      if (state.status === 'connected') void this.refresh();
    });
    if (host.state.status === 'connected') void this.refresh();
  }

  /** Everything again from the host (first load, and after the host restarted). */
  async refresh(): Promise<void> {
    try {
      const [{ profiles, secretsStorage }, connections, broker] = await Promise.all([
        this.api.call('mqtt.profiles', {}),
        this.api.call('mqtt.connections', {}),
        this.api.call('broker.status', {}),
      ]);
      this.profiles.set(profiles);
      this.secretsStorage.set(secretsStorage);
      this.broker.set(broker);
      this.connections.set(connections);
      for (const id of [...this.trees.keys()]) if (!connections.some((c) => c.id === id)) this.forget(id);
      await Promise.all(connections.map((c) => this.loadSnapshot(c.id)));
      this.ensureActive();
    } catch {
      // The host went away again; the next connect refreshes.
    }
  }

  /** A diff or snapshot block checked whole; one that cannot be read is reported and left out. */
  private read(block: Uint8Array): TopicDiffReader | undefined {
    try {
      return new TopicDiffReader(block);
    } catch (err) {
      this.onProtocolError(err);
      return undefined;
    }
  }

  private async loadSnapshot(connectionId: string): Promise<void> {
    const { snapshot } = await this.api.call('mqtt.topics', { connectionId });
    const reader = this.read(snapshot);
    if (!reader) return;
    // Every topic is named in a snapshot.
    const topics = reader.next(reader.changedCount) as TopicSummaryDto[];
    this.topicNames.set(connectionId, new Map(topics.map((t) => [t.id, t.topic])));
    this.tree(connectionId).load(topics);
    this.statsByConnection.set(connectionId, { memory: reader.memory, topicCount: reader.topicCount, messageCount: reader.messageCount });
    this.touched(connectionId);
  }

  tree(connectionId: string): TopicTree {
    let tree = this.trees.get(connectionId);
    if (!tree) {
      tree = new TopicTree();
      this.trees.set(connectionId, tree);
    }
    return tree;
  }

  activeTree(): TopicTree | undefined {
    const id = this.activeConnectionId.get();
    return id === null ? undefined : this.tree(id);
  }

  activeConnection(): MqttConnectionDto | undefined {
    return this.connections.get().find((c) => c.id === this.activeConnectionId.get());
  }

  private ensureActive(): void {
    const list = this.connections.get();
    if (list.some((c) => c.id === this.activeConnectionId.get())) return;
    const next = list[0]?.id ?? null;
    this.activeConnectionId.set(next);
    // Its tree and counts may already be loaded (a snapshot read before it became the active one).
    if (next !== null) this.touched(next);
  }

  private onConnection(event: MqttConnectionDto & { closed: boolean }): void {
    const { closed, ...dto } = event;
    const others = this.connections.get().filter((c) => c.id !== dto.id);
    if (closed) {
      this.connections.set(others);
      this.forget(dto.id);
    } else {
      const list = this.connections.get();
      const index = list.findIndex((c) => c.id === dto.id);
      this.connections.set(index === -1 ? [...list, dto] : list.map((c) => (c.id === dto.id ? dto : c)));
    }
    this.ensureActive();
  }

  private forget(connectionId: string): void {
    this.trees.delete(connectionId);
    this.topicNames.delete(connectionId);
    this.held.delete(connectionId);
    this.statsByConnection.delete(connectionId);
    if (this.activeConnectionId.get() === connectionId) {
      this.selectedTopic.set(null);
      this.stats.set(null);
    }
  }

  private namesOf(connectionId: string): Map<number, string> {
    let names = this.topicNames.get(connectionId);
    if (!names) this.topicNames.set(connectionId, (names = new Map()));
    return names;
  }

  /** The start of a diff: reset forgets the names, removed ids become topics. */
  private openDiff(connectionId: string, reader: TopicDiffReader): Pick<TreeDiff, 'reset' | 'removed'> {
    const names = this.namesOf(connectionId);
    if (reader.reset) names.clear();
    const removed: string[] = [];
    for (const id of reader.removedIds) {
      const topic = names.get(id);
      if (topic === undefined) continue;
      names.delete(id);
      removed.push(topic);
    }
    return { reset: reader.reset, removed };
  }

  /**
   * Changes named again from their ids (a diff names a topic only when it is
   * new); one this window never got the name of (from before its snapshot)
   * is left to the snapshot. The decoded change becomes the summary itself:
   * a flood's diff has 10,000, a copy each was garbage.
   */
  private named(connectionId: string, changes: WireTopicChange[]): TopicSummaryDto[] {
    const names = this.namesOf(connectionId);
    const changed: TopicSummaryDto[] = [];
    for (const change of changes) {
      if (change.topic !== undefined) names.set(change.id, change.topic);
      else change.topic = names.get(change.id);
      if (change.topic !== undefined) changed.push(change as TopicSummaryDto);
    }
    return changed;
  }

  private onDiff(connectionId: string, reader: TopicDiffReader): void {
    this.statsByConnection.set(connectionId, { memory: reader.memory, topicCount: reader.topicCount, messageCount: reader.messageCount });
    if (this.paused.get()) {
      const start = this.openDiff(connectionId, reader);
      let held = this.held.get(connectionId);
      if (!held) this.held.set(connectionId, (held = new HeldDiffs()));
      held.add({ ...start, changed: this.named(connectionId, reader.next(reader.changedCount)) });
      if (connectionId === this.activeConnectionId.get()) this.heldCount.set(held.size);
      return;
    }
    let first = true;
    this.runner.push({
      connectionId,
      step: () => {
        // A connection closed while its diffs waited: its tree is not made again.
        if (!this.connections.get().some((c) => c.id === connectionId)) return true;
        const tree = this.tree(connectionId);
        if (first) tree.apply({ ...this.openDiff(connectionId, reader), changed: [] });
        first = false;
        // Entries are read in place and copied into the tree's own summaries: a flood's diffs leave no garbage.
        const names = this.namesOf(connectionId);
        reader.visit(APPLY_SLICE, (entry) => {
          if (entry.topic !== undefined) names.set(entry.id, entry.topic);
          const topic = entry.topic ?? names.get(entry.id);
          if (topic !== undefined) tree.upsert(topic, entry);
        });
        return reader.remaining === 0;
      },
    });
  }

  private touched(connectionId: string): void {
    if (connectionId !== this.activeConnectionId.get() || this.frameRequested) return;
    // Views render at most every RENDER_INTERVAL_MS however many slices were applied meanwhile.
    this.frameRequested = true;
    setTimeout(() => {
      this.frameRequested = false;
      const active = this.activeConnectionId.get();
      this.stats.set(active === null ? null : (this.statsByConnection.get(active) ?? null));
      this.treeVersion.set(this.treeVersion.get() + 1);
    }, RENDER_INTERVAL_MS);
  }

  setActive(connectionId: string): void {
    this.activeConnectionId.set(connectionId);
    this.selectedTopic.set(null);
    this.heldCount.set(this.held.get(connectionId)?.size ?? 0);
    this.touched(connectionId);
  }

  /** Pause keeps the tree still to read it; nothing is lost, the changes wait (merged per topic). */
  setPaused(paused: boolean): void {
    if (paused) {
      // Diffs still being applied go first: the held ones come after them and may name their topics by id only.
      this.runner.finish();
      this.paused.set(true);
      return;
    }
    this.paused.set(false);
    for (const [connectionId, held] of this.held) {
      const diff = held.take();
      this.runner.push({
        connectionId,
        step: () => {
          this.tree(connectionId).apply(diff);
          return true;
        },
      });
    }
    this.held.clear();
    this.heldCount.set(0);
  }

  selectedSummary(): TopicSummaryDto | undefined {
    const topic = this.selectedTopic.get();
    return topic === null ? undefined : this.activeTree()?.node(topic)?.summary;
  }

  /** Connects to a typed URL: the saved profile with that URL, or a new one made for it. */
  async connectUrl(url: string): Promise<MqttConnectionDto> {
    const wanted = url.trim();
    let profile = this.profiles.get().find((p) => p.url === wanted);
    if (!profile) {
      profile = await this.api.call('mqtt.saveProfile', profileForUrl(wanted));
      this.profiles.set([...this.profiles.get(), profile]);
    }
    return this.connectProfile(profile.id);
  }

  async connectProfile(profileId: string): Promise<MqttConnectionDto> {
    const connection = await this.api.call('mqtt.connect', { profileId });
    const list = this.connections.get();
    if (!list.some((c) => c.id === connection.id)) this.connections.set([...list, connection]);
    this.setActive(connection.id);
    return connection;
  }

  async saveProfile(input: MqttProfileInput): Promise<MqttProfileDto> {
    const saved = await this.api.call('mqtt.saveProfile', input);
    const list = this.profiles.get();
    this.profiles.set(list.some((p) => p.id === saved.id) ? list.map((p) => (p.id === saved.id ? saved : p)) : [...list, saved]);
    return saved;
  }

  async deleteProfile(profileId: string): Promise<void> {
    await this.api.call('mqtt.deleteProfile', { profileId });
    this.profiles.set(this.profiles.get().filter((p) => p.id !== profileId));
  }

  async disconnect(connectionId: string): Promise<void> {
    await this.api.call('mqtt.disconnect', { connectionId });
  }

  /** Forgets the messages of the active connection (the broker's retained ones come back on the next subscribe). */
  async clearModel(): Promise<void> {
    const connectionId = this.activeConnectionId.get();
    if (connectionId === null) return;
    await this.api.call('mqtt.clearModel', { connectionId });
  }
}
