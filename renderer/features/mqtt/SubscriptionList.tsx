/**
 * A connection's subscriptions: each filter with its QoS and what the broker
 * granted or why it refused; a field to add one, checked as it is typed (a
 * wrong filter is an inline message, never a broken connection); `$SYS/#`
 * one click away, since `#` does not include it.
 */
import { useState, type FormEvent } from 'react';
import type { MqttConnectionDto, SubscriptionDto } from '../../../electron/common/api/contract.js';
import { checkTopicFilter } from '../../../electron/common/mqtt/topics.js';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import type { MqttExplorer } from './MqttExplorer.js';
import { QosSelect } from './QosSelect.js';

export function SubscriptionList({ explorer, connection }: { explorer: MqttExplorer; connection: MqttConnectionDto }) {
  const workbench = useWorkbench();
  const [filter, setFilter] = useState('');
  const [qos, setQos] = useState<0 | 1 | 2>(0);
  const [noLocal, setNoLocal] = useState(false);
  const [retainAsPublished, setRetainAsPublished] = useState(false);
  const [retainHandling, setRetainHandling] = useState<0 | 1 | 2>(0);
  const [error, setError] = useState<string | null>(null);
  const check = filter === '' ? null : checkTopicFilter(filter);
  const v5 = connection.protocolVersion === 5;
  const hasSys = connection.subscriptions.some((s) => s.filter === '$SYS/#');

  const subscribe = async (subscription: SubscriptionDto) => {
    setError(null);
    try {
      await workbench.api.call('mqtt.subscribe', { connectionId: connection.id, subscription });
      return true;
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return false;
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!check?.ok) return;
    const ok = await subscribe({ filter, qos, ...(v5 ? { noLocal, retainAsPublished, retainHandling } : {}) });
    if (ok) setFilter('');
  };

  return (
    <section className="mqtt-section mqtt-subscriptions" aria-label="Subscriptions">
      <ul className="mqtt-subscription-list">
        {connection.subscriptions.map((s) => (
          <li key={s.filter} className={`mqtt-subscription${s.error ? ' refused' : ''}`}>
            <code className="mqtt-filter-text">{s.filter}</code>
            <span className="mqtt-subscription-qos" title={s.grantedQos !== undefined && s.grantedQos !== s.qos ? `Asked QoS ${s.qos}, the broker granted ${s.grantedQos}` : undefined}>
              QoS {s.grantedQos ?? s.qos}
              {s.grantedQos === undefined && !s.error && connection.state === 'connected' ? ' …' : ''}
            </span>
            {s.error && <span className="mqtt-inline-error">{s.error}</span>}
            <button
              type="button"
              className="icon-button"
              aria-label={`Unsubscribe from ${s.filter}`}
              title="Unsubscribe"
              onClick={() => void workbench.attempt(`Could not unsubscribe from ${s.filter}`, () => workbench.api.call('mqtt.unsubscribe', { connectionId: connection.id, filter: s.filter }))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form className="mqtt-subscribe-form" onSubmit={(e) => void submit(e)} aria-label="Subscribe">
        <input
          className="text-input"
          aria-label="Subscribe to"
          placeholder="Subscribe to, e.g. sensors/+/temp"
          value={filter}
          spellCheck={false}
          aria-invalid={check && !check.ok ? true : undefined}
          onChange={(e) => (setFilter(e.target.value), setError(null))}
        />
        <QosSelect label="Subscription QoS" value={qos} onChange={setQos} />
        <button type="submit" className="button small" disabled={!check?.ok}>
          Subscribe
        </button>
      </form>
      {check && !check.ok && <p className="mqtt-inline-error">{check.error}</p>}
      {error && (
        <p className="mqtt-inline-error" role="alert">
          {error}
        </p>
      )}
      {v5 && filter !== '' && (
        <div className="mqtt-row mqtt-v5-options">
          <label className="mqtt-check" title="Do not send this connection's own messages back to it">
            <input type="checkbox" checked={noLocal} onChange={(e) => setNoLocal(e.target.checked)} /> No local
          </label>
          <label className="mqtt-check" title="Keep the retain flag as the publisher set it">
            <input type="checkbox" checked={retainAsPublished} onChange={(e) => setRetainAsPublished(e.target.checked)} /> Retain as published
          </label>
          <select className="select-input" aria-label="Retain handling" value={retainHandling} onChange={(e) => setRetainHandling(Number(e.target.value) as 0 | 1 | 2)}>
            <option value={0}>Send retained</option>
            <option value={1}>Retained if new</option>
            <option value={2}>No retained</option>
          </select>
        </div>
      )}
      {!hasSys && (
        <button type="button" className="link-button mqtt-sys" onClick={() => void subscribe({ filter: '$SYS/#', qos: 0 })}>
          Also show the broker's $SYS topics
        </button>
      )}
    </section>
  );
}
