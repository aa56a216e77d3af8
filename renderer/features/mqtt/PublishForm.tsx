/**
 * Publishing: topic (checked as typed: no wildcards), payload as text, JSON,
 * hex or base64 (checked before anything is sent), QoS, retain, and the MQTT 5
 * properties when the connection speaks 5. Sent messages are kept as
 * "recent" (and can be saved) in this window's storage, to send again.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { encodePayload, PAYLOAD_FORMATS, type PayloadFormat } from '../../../electron/common/mqtt/payloads.js';
import { checkTopicName } from '../../../electron/common/mqtt/topics.js';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import { useObservable } from '../../shared/util/Observable.js';
import { PersistedValue } from '../../shared/util/PersistedValue.js';
import type { MqttExplorer } from './MqttExplorer.js';
import { FORMAT_LABELS, QosSelect } from './QosSelect.js';

export interface PublishDraft {
  topic: string;
  payload: string;
  format: PayloadFormat;
  qos: 0 | 1 | 2;
  retain: boolean;
}

const RECENT_LIMIT = 20;
const isDraftList = (value: unknown): value is PublishDraft[] =>
  Array.isArray(value) && value.every((d) => typeof d === 'object' && d !== null && typeof (d as PublishDraft).topic === 'string' && typeof (d as PublishDraft).payload === 'string');
const recent = new PersistedValue<PublishDraft[]>('mqtt.recentPublishes', [], isDraftList);
const saved = new PersistedValue<PublishDraft[]>('mqtt.savedPublishes', [], isDraftList);

const sameDraft = (a: PublishDraft, b: PublishDraft) => a.topic === b.topic && a.payload === b.payload && a.format === b.format && a.qos === b.qos && a.retain === b.retain;

/** `key=value` lines as MQTT 5 user properties (a key given twice keeps both values). */
export function parseUserProperties(text: string): { ok: true; value: Record<string, string | string[]> } | { ok: false; error: string } {
  const value: Record<string, string | string[]> = {};
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { ok: false, error: `Line ${index + 1}: write user properties as key=value.` };
    const key = line.slice(0, eq).trim();
    const v = line.slice(eq + 1).trim();
    const existing = value[key];
    value[key] = existing === undefined ? v : ([] as string[]).concat(existing, v);
  }
  return { ok: true, value };
}

export function PublishForm({ explorer, connectionId, topic: selectedTopic }: { explorer: MqttExplorer; connectionId: string; topic: string | null }) {
  const workbench = useWorkbench();
  const connections = useObservable(explorer.connections);
  const connection = connections.find((c) => c.id === connectionId);
  const recentList = useObservable(recent);
  const savedList = useObservable(saved);
  const [topic, setTopic] = useState(selectedTopic ?? '');
  const [payload, setPayload] = useState('');
  const [format, setFormat] = useState<PayloadFormat>('text');
  const [qos, setQos] = useState<0 | 1 | 2>(0);
  const [retain, setRetain] = useState(false);
  const [contentType, setContentType] = useState('');
  const [responseTopic, setResponseTopic] = useState('');
  const [userProperties, setUserProperties] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const v5 = connection?.protocolVersion === 5;

  useEffect(() => {
    if (selectedTopic !== null) setTopic(selectedTopic);
  }, [selectedTopic]);
  // What the last Publish said belongs to what was sent then, not to what is being typed now.
  useEffect(() => setResult(null), [topic, payload, format, qos, retain]);

  const topicCheck = topic === '' ? null : checkTopicName(topic);
  const encoded = encodePayload(payload, format);
  const props = parseUserProperties(userProperties);
  const responseCheck = responseTopic === '' ? null : checkTopicName(responseTopic);
  const problem =
    topic === ''
      ? 'Type a topic to publish to.'
      : !topicCheck?.ok
        ? (topicCheck as { error: string }).error
        : !encoded.ok
          ? encoded.error
          : v5 && !props.ok
            ? props.error
            : v5 && responseCheck && !responseCheck.ok
              ? `Response topic: ${responseCheck.error}`
              : null;
  const draft: PublishDraft = { topic, payload, format, qos, retain };

  const fill = (d: PublishDraft) => {
    setTopic(d.topic);
    setPayload(d.payload);
    setFormat(d.format);
    setQos(d.qos);
    setRetain(d.retain);
  };

  const publish = async (event: FormEvent) => {
    event.preventDefault();
    if (problem || !encoded.ok) return;
    setBusy(true);
    setResult(null);
    try {
      await workbench.api.call('mqtt.publish', {
        connectionId,
        topic,
        payload: encoded.bytes,
        qos,
        retain,
        ...(v5 && props.ok
          ? {
              properties: {
                ...(contentType !== '' ? { contentType } : {}),
                ...(responseTopic !== '' ? { responseTopic } : {}),
                ...(Object.keys(props.value).length > 0 ? { userProperties: props.value } : {}),
              },
            }
          : {}),
      });
      recent.set([draft, ...recent.get().filter((d) => !sameDraft(d, draft))].slice(0, RECENT_LIMIT));
      setResult({ ok: true, text: `Published ${encoded.bytes.length} ${encoded.bytes.length === 1 ? 'byte' : 'bytes'} to ${topic}${qos > 0 ? ` (acknowledged, QoS ${qos})` : ''}.` });
    } catch (err) {
      setResult({ ok: false, text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="mqtt-publish">
      <form className="mqtt-publish-form" aria-label="Publish a message" onSubmit={(e) => void publish(e)}>
        <div className="mqtt-row">
          <input className="text-input mqtt-grow" aria-label="Topic to publish to" placeholder="Topic, e.g. test/led" value={topic} spellCheck={false} aria-invalid={topicCheck && !topicCheck.ok ? true : undefined} onChange={(e) => setTopic(e.target.value)} />
          <select className="select-input" aria-label="Payload format" value={format} onChange={(e) => setFormat(e.target.value as PayloadFormat)}>
            {PAYLOAD_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABELS[f]}
              </option>
            ))}
          </select>
          <QosSelect label="Publish QoS" value={qos} onChange={setQos} />
          <label className="mqtt-check">
            <input type="checkbox" checked={retain} onChange={(e) => setRetain(e.target.checked)} /> Retain
          </label>
        </div>
        <textarea className="text-input mqtt-publish-payload" aria-label="Message to publish" placeholder={format === 'json' ? '{"on": true}' : format === 'hex' ? '01 02 ff' : 'Message'} value={payload} spellCheck={false} onChange={(e) => setPayload(e.target.value)} />
        {v5 && (
          <div className="mqtt-row">
            <input className="text-input" aria-label="Content type" placeholder="Content type" value={contentType} onChange={(e) => setContentType(e.target.value)} />
            <input className="text-input" aria-label="Response topic" placeholder="Response topic" value={responseTopic} onChange={(e) => setResponseTopic(e.target.value)} />
            <textarea className="text-input mqtt-user-properties" aria-label="User properties" placeholder="key=value per line" value={userProperties} onChange={(e) => setUserProperties(e.target.value)} />
          </div>
        )}
        <div className="mqtt-row">
          <button type="submit" className="button primary small" disabled={busy || problem !== null || connection?.state !== 'connected'}>
            Publish
          </button>
          <button type="button" className="button small" disabled={problem !== null} onClick={() => saved.set([draft, ...saved.get().filter((d) => !sameDraft(d, draft))])}>
            Save message
          </button>
          {problem && topic !== '' && <span className="mqtt-inline-error">{problem}</span>}
          {!problem && connection?.state !== 'connected' && <span className="mqtt-inline-error">Not connected.</span>}
          {result && (
            <span className={result.ok ? 'mqtt-ok' : 'mqtt-inline-error'} role={result.ok ? 'status' : 'alert'}>
              {result.text}
            </span>
          )}
        </div>
      </form>
      <DraftList title="Saved" drafts={savedList} onPick={fill} onRemove={(d) => saved.set(saved.get().filter((x) => !sameDraft(x, d)))} />
      <DraftList title="Recent" drafts={recentList} onPick={fill} />
    </div>
  );
}

function DraftList({ title, drafts, onPick, onRemove }: { title: string; drafts: PublishDraft[]; onPick(d: PublishDraft): void; onRemove?(d: PublishDraft): void }) {
  if (drafts.length === 0) return null;
  return (
    <section className="mqtt-drafts" aria-label={`${title} messages`}>
      <h3 className="section-title">{title}</h3>
      <ul>
        {drafts.map((d, i) => (
          <li key={i}>
            <button type="button" className="link-button" onClick={() => onPick(d)} title="Fill the form with this message">
              {d.topic}: {d.payload.length > 40 ? `${d.payload.slice(0, 40)}…` : d.payload || '(empty)'}
              {d.retain ? ' (retained)' : ''}
            </button>
            {onRemove && (
              <button type="button" className="icon-button" aria-label={`Remove saved message to ${d.topic}`} onClick={() => onRemove(d)}>
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
