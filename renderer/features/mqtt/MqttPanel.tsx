/**
 * The panel's MQTT tab: the picked topic's latest message (JSON, text, hex,
 * base64; MQTT 5 properties; a diff against the one before), its history, a
 * plot of its numbers, and publishing. Messages come from the host's model on
 * demand; a busy topic is re-read a few times a second, not per message.
 */
import './mqtt.css';
import { useMemo, useState } from 'react';
import type { StoredMessageDto, TopicSummaryDto } from '../../../electron/common/api/contract.js';
import { formatBytes } from '../../../electron/common/util/format.js';
import { detectFormat, formatPayload, lineDiff, payloadJson, payloadText, type PayloadFormat } from '../../../electron/common/mqtt/payloads.js';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import { useObservable } from '../../shared/util/Observable.js';
import { saveFile } from '../../shared/util/saveFile.js';
import { Dashboard } from './Dashboard.js';
import { JsonTree } from './JsonTree.js';
import { MQTT_PANEL_TABS, type MqttExplorer, type MqttPanelTab } from './MqttExplorer.js';
import { PublishForm } from './PublishForm.js';
import { FORMAT_LABELS } from './QosSelect.js';
import { TopicPlot } from './TopicPlot.js';
import { useTopicState } from './tree/useTopicState.js';
import { timeText } from './topicText.js';
import { useThrottledLoad } from './useThrottledLoad.js';

const SUBTABS = MQTT_PANEL_TABS;
/** The message view reads at most this much of a payload; "Load the whole message" gets the rest. */
const MESSAGE_PAYLOAD_BYTES = 1024 * 1024;
/** Text beyond this is not put in the page (a 10 MB payload would freeze it); Copy and Export have it all. */
const DISPLAY_CHARS = 256 * 1024;
/** History rows carry this much of each payload. */
const HISTORY_PAYLOAD_BYTES = 512;


export function MqttPanel() {
  const workbench = useWorkbench();
  const explorer = workbench.mqtt;
  const tab = useObservable(explorer.panelTab);
  const setTab = (next: MqttPanelTab) => explorer.panelTab.set(next);
  const connectionId = useObservable(explorer.activeConnectionId);
  const connections = useObservable(explorer.connections);
  const connection = connections.find((c) => c.id === connectionId);
  const topic = useObservable(explorer.selectedTopic);
  const selected = useTopicState(explorer, connectionId, topic);
  const summary = selected?.summary;

  return (
    <div className="mqtt-panel" data-testid="mqtt-panel">
      <div className="mqtt-subtabs" role="tablist" aria-label="MQTT views">
        {SUBTABS.map((t) => (
          <button key={t} type="button" role="tab" aria-selected={t === tab} className={`mqtt-subtab${t === tab ? ' active' : ''}`} onClick={() => setTab(t)}>
            {t}
          </button>
        ))}
        {topic !== null && (
          <span className="mqtt-panel-topic" title={topic}>
            {topic === '' ? '(empty topic)' : topic}
          </span>
        )}
      </div>
      <div className="mqtt-panel-body" role="tabpanel" aria-label={tab}>
        {connectionId === null || !connection ? (
          <p className="mqtt-note">Connect to a broker in the MQTT view to see its messages here.</p>
        ) : tab === 'Dashboard' ? (
          <Dashboard explorer={explorer} connection={connection} />
        ) : tab === 'Publish' ? (
          <PublishForm explorer={explorer} connectionId={connectionId} topic={topic} />
        ) : topic === null || !summary ? (
          <p className="mqtt-note">{topic === null ? 'Pick a topic in the MQTT view.' : 'No message on this exact topic yet: pick one of the topics under it.'}</p>
        ) : tab === 'Message' ? (
          <MessageView connectionId={connectionId} summary={summary} hasChildren={selected?.hasChildren ?? false} onPublish={() => setTab('Publish')} />
        ) : tab === 'History' ? (
          <HistoryView explorer={explorer} connectionId={connectionId} summary={summary} />
        ) : (
          <TopicPlot explorer={explorer} connectionId={connectionId} summary={summary} />
        )}
      </div>
    </div>
  );
}

function MessageView({ connectionId, summary, hasChildren, onPublish }: { connectionId: string; summary: TopicSummaryDto; hasChildren: boolean; onPublish(): void }) {
  const workbench = useWorkbench();
  const { topic } = summary;
  const pair = useThrottledLoad(() => workbench.api.call('mqtt.history', { connectionId, topic, limit: 2, payloadBytes: MESSAGE_PAYLOAD_BYTES }), `${connectionId} ${topic} ${summary.last.seq}`);
  const [format, setFormat] = useState<PayloadFormat | 'auto'>('auto');
  const [jsonMode, setJsonMode] = useState<'pretty' | 'tree'>('tree');
  const [compare, setCompare] = useState(false);
  const [full, setFull] = useState<{ seq: number; payload: Uint8Array } | null>(null);
  const current = pair?.[pair.length - 1];
  const previous = pair && pair.length > 1 ? pair[0] : undefined;

  if (!current || current.topic !== topic) return <p className="mqtt-note">Loading…</p>;
  const payload = full?.seq === current.seq ? full.payload : current.payload;
  const shownFormat = format === 'auto' ? detectFormat(payload) : format;
  const isJson = payloadJson(payload) !== undefined;
  const cut = payload.length < current.size;

  const loadFull = () =>
    void workbench.attempt('Could not load the whole message', async () => {
      const { payload: bytes } = await workbench.api.call('mqtt.payload', { connectionId, topic, seq: current.seq });
      if (!bytes) throw new Error('The model no longer keeps this message whole (a newer one arrived, or memory ran short).');
      setFull({ seq: current.seq, payload: bytes });
    });

  const clearRetained = (subtree: boolean) =>
    void workbench.attempt('Could not clear retained messages', async () => {
      const { cleared } = await workbench.api.call('mqtt.clearRetained', { connectionId, topic, subtree });
      workbench.notifications.info(`Cleared ${cleared.length} retained ${cleared.length === 1 ? 'message' : 'messages'}`, cleared.slice(0, 5).join(', ') + (cleared.length > 5 ? ' …' : ''));
    });

  return (
    <div className="mqtt-message">
      <div className="mqtt-message-meta" aria-label="Message details">
        <span>QoS {current.qos}</span>
        {current.retain && <span className="topic-flag">retained</span>}
        <span>{formatBytes(current.size)}</span>
        <span title={new Date(current.receivedAt).toISOString()}>{timeText(current.receivedAt)}</span>
        <span>
          {summary.count.toLocaleString()} {summary.count === 1 ? 'message' : 'messages'}
        </span>
        <span className="mqtt-spacer" />
        <div className="mqtt-segmented" role="radiogroup" aria-label="Payload format">
          {(['auto', 'json', 'text', 'hex', 'base64'] as const).map((f) => (
            <button key={f} type="button" role="radio" aria-checked={format === f} className={format === f ? 'active' : ''} disabled={f === 'json' && !isJson} onClick={() => setFormat(f)}>
              {f === 'auto' ? 'Auto' : FORMAT_LABELS[f]}
            </button>
          ))}
        </div>
        {shownFormat === 'json' && !compare && (
          <button type="button" className="link-button" onClick={() => setJsonMode(jsonMode === 'tree' ? 'pretty' : 'tree')}>
            {jsonMode === 'tree' ? 'Show as text' : 'Show as tree'}
          </button>
        )}
        <label className="mqtt-check">
          <input type="checkbox" checked={compare} disabled={!previous} onChange={(e) => setCompare(e.target.checked)} /> Compare with previous
        </label>
      </div>
      {cut && (
        <p className="mqtt-note">
          Showing {formatBytes(payload.length)} of {formatBytes(current.size)}.{' '}
          <button type="button" className="link-button" onClick={loadFull}>
            Load the whole message
          </button>
        </p>
      )}
      {!payloadText(payload).valid && shownFormat === 'text' && <p className="mqtt-note">Not valid UTF-8: undecodable bytes show as �.</p>}
      <div className="mqtt-message-body" aria-label="Payload">
        {compare && previous ? (
          <DiffView before={shownText(formatPayload(previous.payload, shownFormat))} after={shownText(formatPayload(payload, shownFormat))} />
        ) : shownFormat === 'json' && jsonMode === 'tree' ? (
          <JsonTree value={payloadJson(payload)!} />
        ) : (
          <pre className="mqtt-payload">{current.size === 0 ? '(empty payload)' : shownText(formatPayload(payload, shownFormat))}</pre>
        )}
      </div>
      {current.properties && <PropertiesTable properties={current.properties} />}
      <div className="mqtt-row mqtt-message-actions">
        <button type="button" className="button small" onClick={onPublish}>
          Publish to this topic…
        </button>
        <button type="button" className="button small" onClick={() => void workbench.attempt('Could not copy', () => navigator.clipboard.writeText(formatPayload(payload, shownFormat)))}>
          Copy payload
        </button>
        {summary.retained && (
          <button type="button" className="button small" onClick={() => clearRetained(false)}>
            Clear retained
          </button>
        )}
        {hasChildren && (
          <button type="button" className="button small" onClick={() => clearRetained(true)}>
            Clear retained in subtree
          </button>
        )}
        <ExportButtons connectionId={connectionId} topic={topic} hasChildren={hasChildren} />
      </div>
    </div>
  );
}

/** The topic's kept messages (and its subtopics', when asked) saved as CSV or JSON. */
function ExportButtons({ connectionId, topic, hasChildren }: { connectionId: string; topic: string; hasChildren: boolean }) {
  const workbench = useWorkbench();
  const [subtree, setSubtree] = useState(false);
  const exportAs = (format: 'csv' | 'json') =>
    void workbench.attempt('Could not export', async () => {
      const result = await workbench.api.call('mqtt.export', { connectionId, topic, subtree: subtree && hasChildren, format });
      saveFile(result.content, result.fileName, format === 'csv' ? 'text/csv' : 'application/json');
    });
  return (
    <>
      <span className="mqtt-spacer" />
      {hasChildren && (
        <label className="mqtt-check">
          <input type="checkbox" checked={subtree} onChange={(e) => setSubtree(e.target.checked)} /> With subtopics
        </label>
      )}
      <button type="button" className="button small" onClick={() => exportAs('csv')}>
        Export CSV
      </button>
      <button type="button" className="button small" onClick={() => exportAs('json')}>
        Export JSON
      </button>
    </>
  );
}

function shownText(text: string): string {
  if (text.length <= DISPLAY_CHARS) return text;
  return `${text.slice(0, DISPLAY_CHARS)}\n… ${(text.length - DISPLAY_CHARS).toLocaleString()} more characters not shown: Copy payload or Export has them all.`;
}

function DiffView({ before, after }: { before: string; after: string }) {
  const lines = useMemo(() => lineDiff(before, after), [before, after]);
  const changed = lines.some((l) => l.kind !== 'same');
  return (
    <pre className="mqtt-payload mqtt-diff" aria-label="Difference from the previous message">
      {!changed && <span className="mqtt-note">Same as the previous message.{'\n'}</span>}
      {lines.map((line, i) => (
        <span key={i} className={`diff-${line.kind}`}>
          {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
          {line.text}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}

function PropertiesTable({ properties }: { properties: NonNullable<StoredMessageDto['properties']> }) {
  const rows: [string, string][] = [];
  if (properties.contentType !== undefined) rows.push(['Content type', properties.contentType]);
  if (properties.responseTopic !== undefined) rows.push(['Response topic', properties.responseTopic]);
  if (properties.correlationData !== undefined) rows.push(['Correlation data', formatPayload(properties.correlationData, detectFormat(properties.correlationData) === 'hex' ? 'hex' : 'text')]);
  if (properties.payloadFormatIndicator !== undefined) rows.push(['Payload format', properties.payloadFormatIndicator ? 'UTF-8 text' : 'bytes']);
  if (properties.messageExpiryInterval !== undefined) rows.push(['Message expiry', `${properties.messageExpiryInterval} s`]);
  if (properties.topicAlias !== undefined) rows.push(['Topic alias', String(properties.topicAlias)]);
  if (properties.subscriptionIdentifiers !== undefined) rows.push(['Subscription ids', properties.subscriptionIdentifiers.join(', ')]);
  for (const [key, value] of Object.entries(properties.userProperties ?? {})) rows.push([`User: ${key}`, ([] as string[]).concat(value).join(', ')]);
  return (
    <table className="mqtt-properties" aria-label="MQTT 5 properties">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function HistoryView({ explorer, connectionId, summary }: { explorer: MqttExplorer; connectionId: string; summary: TopicSummaryDto }) {
  const workbench = useWorkbench();
  const { topic } = summary;
  const limit = 1000;
  const messages = useThrottledLoad(
    () => workbench.api.call('mqtt.history', { connectionId, topic, limit, payloadBytes: HISTORY_PAYLOAD_BYTES }),
    `${connectionId} ${topic} ${summary.last.seq}`,
  );
  void explorer;
  if (!messages) return <p className="mqtt-note">Loading…</p>;
  const rows = [...messages].reverse();
  return (
    <div className="mqtt-history">
      <p className="mqtt-note">
        {messages.length.toLocaleString()} kept of {summary.count.toLocaleString()} received (newest first).
      </p>
      <table className="mqtt-history-table" aria-label="Message history">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">QoS</th>
            <th scope="col">Size</th>
            <th scope="col">Payload</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr key={m.seq}>
              <td>{timeText(m.receivedAt)}</td>
              <td>
                {m.qos}
                {m.retain ? ' R' : ''}
              </td>
              <td>{formatBytes(m.size)}</td>
              <td className="mqtt-history-payload">{m.size === 0 ? '(empty)' : formatPayload(m.payload, detectFormat(m.payload) === 'hex' ? 'hex' : 'text').slice(0, 200)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
