/**
 * The MQTT explorer's state in the window: saved profiles, open connections
 * and their states, the picked topic, pause, and the built-in broker's
 * status. The topic trees live in a worker (TreeClient, see
 * tree/treeProtocol.ts), fed the host's batched diffs as they arrive; the
 * window holds only the rows it shows. Lives on the workbench (not in a view)
 * so the trees keep growing while the side bar shows another view.
 */
import type { ApiClient } from '../../../electron/common/api/client.js';
import type { BrokerStatusDto, MqttConnectionDto, MqttProfileDto, MqttProfileInput } from '../../../electron/common/api/contract.js';
import { profileForUrl } from '../../../electron/common/mqtt/profileDefaults.js';
import type { HostConnection } from '../../app/HostConnection.js';
import { Observable } from '../../shared/util/Observable.js';
import { TreeClient } from './tree/TreeClient.js';
import type { FromTreeWorker, ModelStats, ToTreeWorker, TreePort } from './tree/treeProtocol.js';

export type { ModelStats } from './tree/treeProtocol.js';

/** The MQTT panel's tabs, in order. */
export const MQTT_PANEL_TABS = ['Message', 'History', 'Plot', 'Publish', 'Dashboard'] as const;
export type MqttPanelTab = (typeof MQTT_PANEL_TABS)[number];

/** A refresh whose answers keep being overtaken by local changes gives up asking after this many times. */
const REFRESH_ATTEMPTS = 5;

export class MqttExplorer {
  readonly profiles = new Observable<MqttProfileDto[]>([]);
  readonly secretsStorage = new Observable('');
  readonly connections = new Observable<MqttConnectionDto[]>([]);
  /** The connection whose tree the view shows. */
  readonly activeConnectionId = new Observable<string | null>(null);
  readonly selectedTopic = new Observable<string | null>(null);
  readonly paused = new Observable(false);
  /** The MQTT panel's tab (Message, History, Plot, Publish, Dashboard): the new-device wizard opens the dashboard. */
  readonly panelTab = new Observable<MqttPanelTab>('Message');
  /** Topic changes held back while paused (shown on the Resume button). */
  readonly heldCount = new Observable(0);
  /** The active connection's model figures (from the newest diff). */
  readonly stats = new Observable<ModelStats | null>(null);
  readonly broker = new Observable<BrokerStatusDto | null>(null);
  /** The topic trees, in their worker; views render its frames. */
  readonly tree: TreeClient;
  /** Connections whose trees the worker has (forgotten when they close). */
  private readonly known = new Set<string>();
  /** Counts changes to profiles and connections made here, so a refresh can tell its answers are stale. */
  private localChanges = 0;

  constructor(
    private readonly api: ApiClient,
    host: HostConnection,
    /** The worker's end of the tree channel (a Worker in the page, in-process in unit tests). */
    treePort: TreePort<ToTreeWorker, FromTreeWorker>,
    /** A diff that cannot be read: the workbench reports it (the tree keeps what it had). */
    onProtocolError: (err: unknown) => void = () => undefined,
  ) {
    this.tree = new TreeClient(treePort, onProtocolError);
    this.tree.frame.subscribe(() => {
      const frame = this.tree.frame.get();
      if (frame.viewport.connectionId !== this.activeConnectionId.get()) return;
      this.stats.set(frame.stats);
      this.heldCount.set(frame.heldCount);
    });
    api.on('mqtt.connection', (event) => this.onConnection(event));
    api.on('mqtt.topics', ({ connectionId, diff }) => this.tree.block('diff', connectionId, diff));
    api.on('broker.status', (status) => this.broker.set(status));
    host.onDidChangeState((state) => {
      if (state.status === 'connected') void this.refresh();
    });
    if (host.state.status === 'connected') void this.refresh();
  }

  /**
   * Everything again from the host (first load, and after the host restarted).
   * The answers may be older than a change made meanwhile in this window (a
   * profile saved, a connection opened while the MQTT thread was starting):
   * then they are asked for again rather than put over the newer state, which
   * once lost a new connection's profile and with it its dashboard.
   */
  async refresh(): Promise<void> {
    try {
      let answers;
      for (let attempt = 1; ; attempt++) {
        const changesBefore = this.localChanges;
        answers = await Promise.all([this.api.call('mqtt.profiles', {}), this.api.call('mqtt.connections', {}), this.api.call('broker.status', {})]);
        if (this.localChanges === changesBefore || attempt === REFRESH_ATTEMPTS) break;
      }
      const [{ profiles, secretsStorage }, connections, broker] = answers;
      this.profiles.set(profiles);
      this.secretsStorage.set(secretsStorage);
      this.broker.set(broker);
      this.connections.set(connections);
      for (const id of this.known) if (!connections.some((c) => c.id === id)) this.forget(id);
      await Promise.all(connections.map((c) => this.loadSnapshot(c.id)));
      this.ensureActive();
    } catch {
      // The host went away again; the next connect refreshes.
    }
  }

  private async loadSnapshot(connectionId: string): Promise<void> {
    const { snapshot } = await this.api.call('mqtt.topics', { connectionId });
    this.known.add(connectionId);
    this.tree.block('snapshot', connectionId, snapshot);
  }

  activeConnection(): MqttConnectionDto | undefined {
    return this.connections.get().find((c) => c.id === this.activeConnectionId.get());
  }

  private ensureActive(): void {
    const list = this.connections.get();
    if (list.some((c) => c.id === this.activeConnectionId.get())) return;
    this.showConnection(list[0]?.id ?? null);
  }

  /** The connection whose tree the view shows (its rows, figures and held count come in the next frame). */
  private showConnection(connectionId: string | null): void {
    if (connectionId === this.activeConnectionId.get()) return;
    this.activeConnectionId.set(connectionId);
    this.stats.set(null);
    this.heldCount.set(0);
    this.tree.setViewport({ ...this.tree.currentViewport, connectionId, first: 0 });
  }

  private onConnection(event: MqttConnectionDto & { closed: boolean }): void {
    this.localChanges++;
    const { closed, ...dto } = event;
    const others = this.connections.get().filter((c) => c.id !== dto.id);
    if (closed) {
      this.connections.set(others);
      this.forget(dto.id);
    } else {
      this.known.add(dto.id);
      const list = this.connections.get();
      const index = list.findIndex((c) => c.id === dto.id);
      this.connections.set(index === -1 ? [...list, dto] : list.map((c) => (c.id === dto.id ? dto : c)));
    }
    this.ensureActive();
  }

  private forget(connectionId: string): void {
    this.known.delete(connectionId);
    this.tree.forget(connectionId);
    if (this.activeConnectionId.get() === connectionId) {
      this.selectedTopic.set(null);
      this.stats.set(null);
    }
  }

  setActive(connectionId: string): void {
    this.selectedTopic.set(null);
    this.showConnection(connectionId);
  }

  /** Pause keeps the tree still to read it; nothing is lost, the changes wait (merged per topic) in the worker. */
  setPaused(paused: boolean): void {
    this.paused.set(paused);
    this.tree.setPaused(paused);
  }

  /** Connects to a typed URL: the saved profile with that URL, or a new one made for it. */
  async connectUrl(url: string): Promise<MqttConnectionDto> {
    const wanted = url.trim();
    let profile = this.profiles.get().find((p) => p.url === wanted);
    if (!profile) {
      profile = await this.api.call('mqtt.saveProfile', profileForUrl(wanted));
      this.putProfile(profile);
    }
    return this.connectProfile(profile.id);
  }

  async connectProfile(profileId: string): Promise<MqttConnectionDto> {
    const connection = await this.api.call('mqtt.connect', { profileId });
    this.localChanges++;
    const list = this.connections.get();
    if (!list.some((c) => c.id === connection.id)) this.connections.set([...list, connection]);
    this.setActive(connection.id);
    return connection;
  }

  async saveProfile(input: MqttProfileInput): Promise<MqttProfileDto> {
    const saved = await this.api.call('mqtt.saveProfile', input);
    this.putProfile(saved);
    return saved;
  }

  /** A profile as the host saved it (a dashboard change too), in place of the one this window had. */
  putProfile(saved: MqttProfileDto): void {
    this.localChanges++;
    const list = this.profiles.get();
    this.profiles.set(list.some((p) => p.id === saved.id) ? list.map((p) => (p.id === saved.id ? saved : p)) : [...list, saved]);
  }

  async deleteProfile(profileId: string): Promise<void> {
    await this.api.call('mqtt.deleteProfile', { profileId });
    this.localChanges++;
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
