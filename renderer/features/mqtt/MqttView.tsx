/**
 * The MQTT side bar: connect (a typed broker URL, a saved connection, or the
 * broker on this computer in one click), then the connection's state, its
 * subscriptions and the live topic tree. Picking a topic opens its messages
 * in the panel's MQTT tab.
 */
import './mqtt.css';
import { useEffect, useState, type FormEvent } from 'react';
import { brokerUrlProblem, type MqttConnectionDto, type MqttProfileDto } from '../../../electron/common/api/contract.js';
import { checkTopicFilter } from '../../../electron/common/mqtt/topics.js';
import { formatBytes } from '../../../electron/common/util/format.js';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import { EmptyState } from '../../shared/components/EmptyState.js';
import { MqttIcon } from '../../shared/icons/Icons.js';
import { useObservable } from '../../shared/util/Observable.js';
import { BrokerCard } from './BrokerCard.js';
import type { MqttExplorer } from './MqttExplorer.js';
import { ProfileForm } from './ProfileForm.js';
import { SubscriptionList } from './SubscriptionList.js';
import { TopicTreeView } from './TopicTreeView.js';

export function MqttView() {
  const workbench = useWorkbench();
  const explorer = workbench.mqtt;
  const connections = useObservable(explorer.connections);
  const activeId = useObservable(explorer.activeConnectionId);
  const selected = useObservable(explorer.selectedTopic);
  const [adding, setAdding] = useState(false);
  const active = connections.find((c) => c.id === activeId);

  useEffect(() => {
    if (selected !== null) workbench.layout.showPanelTab('mqtt');
  }, [selected, workbench]);

  return (
    <div className="view mqtt-view" data-testid="mqtt-view">
      {connections.length > 0 && (
        <div className="mqtt-connection-tabs" role="tablist" aria-label="MQTT connections">
          {connections.map((c) => (
            <button
              key={c.id}
              type="button"
              role="tab"
              aria-selected={c.id === activeId}
              className={`mqtt-connection-tab${c.id === activeId ? ' active' : ''}`}
              onClick={() => explorer.setActive(c.id)}
              title={c.url}
            >
              <span className={`mqtt-state-dot ${c.state}`} aria-hidden="true" />
              {c.name}
            </button>
          ))}
          <button type="button" className="icon-button mqtt-add" aria-label="New connection" title="New connection" aria-expanded={adding} onClick={() => setAdding(!adding)}>
            +
          </button>
        </div>
      )}
      {(connections.length === 0 || adding) && <ConnectSection explorer={explorer} onConnected={() => setAdding(false)} />}
      {active && !adding && <ConnectionBody explorer={explorer} connection={active} />}
    </div>
  );
}

function ConnectSection({ explorer, onConnected }: { explorer: MqttExplorer; onConnected(): void }) {
  const workbench = useWorkbench();
  const profiles = useObservable(explorer.profiles);
  const secretsStorage = useObservable(explorer.secretsStorage);
  const [url, setUrl] = useState('mqtt://localhost:1883');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<MqttProfileDto | 'new' | null>(null);
  const problem = brokerUrlProblem(url);

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      onConnected();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!problem) void run(() => explorer.connectUrl(url));
  };

  if (editing !== null) {
    return (
      <ProfileForm
        {...(editing === 'new' ? { url } : { profile: editing })}
        secretsStorage={secretsStorage}
        onCancel={() => setEditing(null)}
        onSave={async (input, connect) => {
          const saved = await explorer.saveProfile(input);
          setEditing(null);
          if (connect) await run(() => explorer.connectProfile(saved.id));
        }}
      />
    );
  }

  return (
    <div className="mqtt-connect">
      <form className="mqtt-connect-form" onSubmit={submit} aria-label="Connect to a broker">
        <label className="mqtt-field">
          <span>Broker URL</span>
          <input
            className="text-input"
            aria-label="Broker URL"
            value={url}
            spellCheck={false}
            aria-invalid={touched && problem ? true : undefined}
            onChange={(e) => (setUrl(e.target.value), setTouched(true), setError(null))}
          />
        </label>
        {touched && problem && <p className="mqtt-inline-error">{problem}</p>}
        <div className="mqtt-row">
          <button type="submit" className="button primary" disabled={busy || problem !== undefined}>
            {busy ? 'Connecting…' : 'Connect'}
          </button>
          <button type="button" className="button" onClick={() => setEditing('new')}>
            More settings…
          </button>
        </div>
        {error && (
          <p className="mqtt-inline-error" role="alert">
            {error}
          </p>
        )}
      </form>
      {profiles.length > 0 && (
        <section className="mqtt-section" aria-label="Saved connections">
          <h3 className="section-title">Saved connections</h3>
          <ul className="mqtt-profiles">
            {profiles.map((p) => (
              <li key={p.id} className="mqtt-profile">
                <span className="mqtt-profile-name" title={p.url}>
                  {p.name}
                  <span className="mqtt-profile-url">{p.url}</span>
                </span>
                <button type="button" className="button small" aria-label={`Connect to ${p.name}`} disabled={busy} onClick={() => void run(() => explorer.connectProfile(p.id))}>
                  Connect
                </button>
                <button type="button" className="link-button" aria-label={`Edit ${p.name}`} onClick={() => setEditing(p)}>
                  Edit
                </button>
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Delete ${p.name}`}
                  onClick={() => void workbench.attempt(`Could not delete ${p.name}`, () => explorer.deleteProfile(p.id))}
                >
                  Delete
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <BrokerCard explorer={explorer} onConnect={(brokerUrl) => run(() => explorer.connectUrl(brokerUrl))} />
      {profiles.length === 0 && (
        <EmptyState icon={<MqttIcon size={28} />} title="Watch your boards' messages" testId="mqtt-empty">
          <p>Connect to the broker your boards publish to, or start one on this computer.</p>
        </EmptyState>
      )}
    </div>
  );
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function connectionStateText(c: MqttConnectionDto, now: number): string {
  switch (c.state) {
    case 'connecting':
      return c.attempts > 1 ? `Connecting (attempt ${c.attempts})…` : 'Connecting…';
    case 'connected':
      return `Connected as ${c.clientId} (MQTT ${c.protocolVersion === 5 ? '5' : '3.1.1'})`;
    case 'retrying':
      return `Retrying in ${Math.max(0, Math.ceil(((c.retryAt ?? now) - now) / 1000))} s`;
    case 'failed':
      return 'Not connected';
    case 'disconnected':
      return 'Disconnected';
  }
}

function ConnectionBody({ explorer, connection }: { explorer: MqttExplorer; connection: MqttConnectionDto }) {
  const workbench = useWorkbench();
  const now = useNow(connection.state === 'retrying');
  const paused = useObservable(explorer.paused);
  const held = useObservable(explorer.heldCount);
  const stats = useObservable(explorer.stats);
  const [filter, setFilter] = useState('');
  const [editingLimits, setEditingLimits] = useState(false);

  return (
    <div className="mqtt-connection">
      <div className={`mqtt-status ${connection.state}`} role="status" aria-label="Connection state">
        <span className={`mqtt-state-dot ${connection.state}`} aria-hidden="true" />
        <span className="mqtt-status-text">
          {connectionStateText(connection, now)}
          {connection.error && connection.state !== 'connected' && <span className="mqtt-status-error">{connection.error}</span>}
        </span>
        {connection.state === 'failed' && (
          <button type="button" className="button small" onClick={() => void workbench.attempt('Could not connect', () => explorer.connectProfile(connection.profileId))}>
            Reconnect
          </button>
        )}
        <button type="button" className="button small" onClick={() => void workbench.attempt('Could not disconnect', () => explorer.disconnect(connection.id))}>
          Disconnect
        </button>
      </div>
      {connection.insecure && (
        <p className="mqtt-warning" role="alert">
          TLS certificate checks are off for this connection.
        </p>
      )}
      <SubscriptionList explorer={explorer} connection={connection} />
      <div className="mqtt-tree-toolbar">
        <input className="text-input mqtt-filter" type="search" aria-label="Filter topics" placeholder="Filter topics" value={filter} spellCheck={false} onChange={(e) => setFilter(e.target.value)} />
        <button type="button" className="button small" aria-pressed={paused} onClick={() => explorer.setPaused(!paused)} title={paused ? 'Show the changes that arrived meanwhile' : 'Hold the tree still; messages keep arriving'}>
          {paused ? `Resume${held > 0 ? ` (${held})` : ''}` : 'Pause'}
        </button>
        <button
          type="button"
          className="button small"
          aria-label="Clear messages"
          onClick={() => void workbench.attempt('Could not clear the messages', () => explorer.clearModel())}
          title="Forget the messages received so far (retained ones come back when you next subscribe)"
        >
          Clear
        </button>
      </div>
      <TopicTreeView explorer={explorer} filter={filter} />
      <RecordBar connection={connection} />
      {stats && (
        <div className="mqtt-memory-row">
          <p className="mqtt-memory" aria-label="Memory use" title="Messages kept for history, under the memory cap">
            {stats.topicCount.toLocaleString()} topics · {stats.messageCount.toLocaleString()} messages · {formatBytes(stats.memory.usedBytes)} of {formatBytes(stats.memory.capBytes)}
            {stats.memory.evictedMessages > 0 && ` · ${stats.memory.evictedMessages.toLocaleString()} oldest dropped (${formatBytes(stats.memory.evictedBytes)})`}
          </p>
          <button type="button" className="link-button" aria-expanded={editingLimits} onClick={() => setEditingLimits(!editingLimits)}>
            Limits
          </button>
        </div>
      )}
      {editingLimits && <LimitsForm onDone={() => setEditingLimits(false)} />}
    </div>
  );
}

/** Recording the messages of a filter to a CSV file as they arrive. */
function RecordBar({ connection }: { connection: MqttConnectionDto }) {
  const workbench = useWorkbench();
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState('#');
  const [error, setError] = useState<string | null>(null);
  const recording = connection.recording;
  const check = checkTopicFilter(filter);

  if (recording) {
    return (
      <div className="mqtt-record" role="status" aria-label="Recording">
        <span className="mqtt-record-dot" aria-hidden="true" />
        <span className="mqtt-record-text" title={recording.path}>
          Recording <code>{recording.filter}</code>: {recording.rows.toLocaleString()} rows to {recording.path}
          {recording.error && <span className="mqtt-inline-error"> {recording.error}</span>}
        </span>
        <button
          type="button"
          className="button small"
          onClick={() =>
            void workbench.attempt('Could not stop recording', async () => {
              const done = await workbench.api.call('mqtt.stopRecording', { connectionId: connection.id });
              workbench.notifications.info(`Recorded ${done.rows.toLocaleString()} ${done.rows === 1 ? 'message' : 'messages'}`, done.path);
            })
          }
        >
          Stop recording
        </button>
      </div>
    );
  }
  if (!open) {
    return (
      <button type="button" className="link-button mqtt-record-open" onClick={() => setOpen(true)}>
        Record to CSV…
      </button>
    );
  }
  const start = async (event: FormEvent) => {
    event.preventDefault();
    if (!check.ok) return;
    setError(null);
    try {
      await workbench.api.call('mqtt.record', { connectionId: connection.id, filter });
      setOpen(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form className="mqtt-record-form" aria-label="Record to CSV" onSubmit={(e) => void start(e)}>
      <div className="mqtt-row">
        <input className="text-input mqtt-grow" aria-label="Topics to record" value={filter} spellCheck={false} aria-invalid={!check.ok ? true : undefined} onChange={(e) => setFilter(e.target.value)} />
        <button type="submit" className="button small" disabled={!check.ok}>
          Start recording
        </button>
        <button type="button" className="link-button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
      {!check.ok && filter !== '' && <p className="mqtt-inline-error">{check.error}</p>}
      <p className="mqtt-note">One row per message (time, topic, payload, JSON fields as columns), into a new file in the project folder.</p>
      {error && (
        <p className="mqtt-inline-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

const MB = 1024 * 1024;

/** How much history the explorer keeps: per topic, and in memory for all connections together. */
function LimitsForm({ onDone }: { onDone(): void }) {
  const workbench = useWorkbench();
  const [history, setHistory] = useState('');
  const [capMb, setCapMb] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void workbench.api.call('mqtt.limits', {}).then(
      (limits) => {
        setHistory(String(limits.historyLength));
        setCapMb(String(Math.round(limits.memoryCapBytes / MB)));
      },
      () => undefined,
    );
  }, [workbench]);
  const historyOk = /^\d+$/.test(history) && Number(history) >= 1 && Number(history) <= 100_000;
  const capOk = /^\d+$/.test(capMb) && Number(capMb) >= 1 && Number(capMb) <= 8192;
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!historyOk || !capOk) return;
    try {
      await workbench.api.call('mqtt.setLimits', { historyLength: Number(history), memoryCapBytes: Number(capMb) * MB });
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form className="mqtt-limits" aria-label="Limits" onSubmit={(e) => void save(e)}>
      <label className="mqtt-field">
        <span>Messages kept per topic</span>
        <input className="text-input" aria-label="Messages kept per topic" inputMode="numeric" value={history} aria-invalid={!historyOk ? true : undefined} onChange={(e) => setHistory(e.target.value)} />
      </label>
      <label className="mqtt-field">
        <span>Memory for history (MB, all connections)</span>
        <input className="text-input" aria-label="Memory for history in MB" inputMode="numeric" value={capMb} aria-invalid={!capOk ? true : undefined} onChange={(e) => setCapMb(e.target.value)} />
      </label>
      {(!historyOk || !capOk) && <p className="mqtt-inline-error">Messages per topic: 1 to 100,000. Memory: 1 to 8192 MB.</p>}
      <p className="mqtt-note">When the memory is full, the oldest messages are dropped first; every topic keeps its latest.</p>
      {error && (
        <p className="mqtt-inline-error" role="alert">
          {error}
        </p>
      )}
      <div className="mqtt-row">
        <button type="submit" className="button small" disabled={!historyOk || !capOk}>
          Apply
        </button>
        <button type="button" className="link-button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
