/**
 * The MQTT explorer's state in the window: saved profiles, open connections
 * and their states, one topic tree per connection fed by the host's batched
 * diffs, the picked topic, pause, and the built-in broker's status. Lives on
 * the workbench (not in a view) so the trees keep growing while the side bar
 * shows another view.
 */
import type { ApiClient } from '../../../electron/common/api/client.js';
import type { BrokerStatusDto, MemoryUseDto, MqttConnectionDto, MqttProfileDto, MqttProfileInput, TopicSummaryDto } from '../../../electron/common/api/contract.js';
import { decodeTopicDiff, type WireTopicDiff } from '../../../electron/common/mqtt/diffCodec.js';
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

/** Changes applied to a tree per slice; a flood's first diffs create 10,000 topics at once. */
const APPLY_SLICE = 2000;
/** A slice of work stops after this long, so the page keeps answering (a long task is 50 ms). */
const SLICE_BUDGET_MS = 12;

/**
 * Applies diffs to the trees in slices of at most APPLY_SLICE topics, as
 * many per task as fit SLICE_BUDGET_MS, the rest in the next task (a
 * MessageChannel message, not setTimeout's 4 ms clamp). Order is kept.
 */
class SlicedApplier {
  private readonly queue: Array<{ connectionId: string; diff: TreeDiff }> = [];
  private scheduled = false;
  private readonly channel = new MessageChannel();

  constructor(
    private readonly apply: (connectionId: string, diff: TreeDiff) => void,
    private readonly applied: (connectionId: string) => void,
  ) {
    this.channel.port1.onmessage = () => this.drain();
  }

  push(connectionId: string, diff: TreeDiff): void {
    const { changed } = diff;
    this.queue.push({ connectionId, diff: { reset: diff.reset, removed: diff.removed, changed: changed.slice(0, APPLY_SLICE) } });
    for (let at = APPLY_SLICE; at < changed.length; at += APPLY_SLICE) {
      this.queue.push({ connectionId, diff: { reset: false, removed: [], changed: changed.slice(at, at + APPLY_SLICE) } });
    }
    if (!this.scheduled) {
      this.scheduled = true;
      this.channel.port2.postMessage(null);
    }
  }

  private drain(): void {
    const deadline = performance.now() + SLICE_BUDGET_MS;
    const touched = new Set<string>();
    do {
      const next = this.queue.shift()!;
      this.apply(next.connectionId, next.diff);
      touched.add(next.connectionId);
    } while (this.queue.length > 0 && performance.now() < deadline);
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
  private readonly applier = new SlicedApplier(
    // A connection closed while its diffs waited has no names any more: its tree is not made again.
    (connectionId, diff) => (this.topicNames.has(connectionId) ? this.tree(connectionId).apply(diff) : undefined),
    (connectionId) => this.touched(connectionId),
  );

  constructor(
    private readonly api: ApiClient,
    host: HostConnection,
    /** A diff that cannot be read: the workbench reports it (the tree keeps what it had). */
    private readonly onProtocolError: (err: unknown) => void = () => undefined,
  ) {
    api.on('mqtt.connection', (event) => this.onConnection(event));
    api.on('mqtt.topics', ({ connectionId, diff }) => {
      let decoded: WireTopicDiff;
      try {
        decoded = decodeTopicDiff(diff);
      } catch (err) {
        this.onProtocolError(err);
        return;
      }
      this.onDiff(connectionId, decoded);
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

  private async loadSnapshot(connectionId: string): Promise<void> {
    const snapshot = await this.api.call('mqtt.topics', { connectionId });
    this.topicNames.set(connectionId, new Map(snapshot.topics.map((t) => [t.id, t.topic])));
    this.tree(connectionId).load(snapshot.topics);
    this.statsByConnection.set(connectionId, { memory: snapshot.memory, topicCount: snapshot.topics.length, messageCount: snapshot.messageCount });
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
    if (!list.some((c) => c.id === this.activeConnectionId.get())) this.activeConnectionId.set(list[0]?.id ?? null);
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

  /** The wire's ids turned back into names; a topic whose name this window never got (before its snapshot) waits for the snapshot. */
  private named(connectionId: string, wire: WireTopicDiff): TreeDiff {
    let names = this.topicNames.get(connectionId);
    if (!names) this.topicNames.set(connectionId, (names = new Map()));
    if (wire.reset) names.clear();
    const removed: string[] = [];
    for (const id of wire.removedIds) {
      const topic = names.get(id);
      if (topic === undefined) continue;
      names.delete(id);
      removed.push(topic);
    }
    const changed: TopicSummaryDto[] = [];
    for (const change of wire.changed) {
      if (change.topic !== undefined) names.set(change.id, change.topic);
      const topic = change.topic ?? names.get(change.id);
      if (topic === undefined) continue;
      changed.push({ id: change.id, topic, count: change.count, rate: change.rate, last: change.last, retained: change.retained });
    }
    return { changed, removed, reset: wire.reset };
  }

  private onDiff(connectionId: string, wire: WireTopicDiff): void {
    this.statsByConnection.set(connectionId, { memory: wire.memory, topicCount: wire.topicCount, messageCount: wire.messageCount });
    const diff = this.named(connectionId, wire);
    if (this.paused.get()) {
      let held = this.held.get(connectionId);
      if (!held) this.held.set(connectionId, (held = new HeldDiffs()));
      held.add(diff);
      if (connectionId === this.activeConnectionId.get()) this.heldCount.set(held.size);
      return;
    }
    this.applier.push(connectionId, diff);
  }

  private touched(connectionId: string): void {
    if (connectionId !== this.activeConnectionId.get()) return;
    this.stats.set(this.statsByConnection.get(connectionId) ?? null);
    this.treeVersion.set(this.treeVersion.get() + 1);
  }

  setActive(connectionId: string): void {
    this.activeConnectionId.set(connectionId);
    this.selectedTopic.set(null);
    this.heldCount.set(this.held.get(connectionId)?.size ?? 0);
    this.touched(connectionId);
  }

  /** Pause keeps the tree still to read it; nothing is lost, the changes wait (merged per topic). */
  setPaused(paused: boolean): void {
    this.paused.set(paused);
    if (paused) return;
    for (const [connectionId, held] of this.held) this.applier.push(connectionId, held.take());
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
