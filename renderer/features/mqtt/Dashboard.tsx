/**
 * The connection's dashboard, saved with its profile: switches that publish
 * on/off and show the state topic, buttons, values (gauges with a range) and
 * line charts, each bound to a topic, as the seeds' phone app had them.
 * Widgets read the explorer's model; a widget whose topic no subscription
 * covers says so and offers to subscribe.
 */
import { useMemo, useState, type FormEvent } from 'react';
import type { MqttConnectionDto, TopicSummaryDto, WidgetDto } from '../../../electron/common/api/contract.js';
import { checkTopicName, topicMatches } from '../../../electron/common/mqtt/topics.js';
import { numericValue, parseJsonPath, payloadText } from '../../../electron/common/mqtt/payloads.js';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import { useObservable } from '../../shared/util/Observable.js';
import type { MqttExplorer } from './MqttExplorer.js';
import { useThrottledLoad } from './useThrottledLoad.js';
import { plotPath, type PlotPoint } from './TopicPlot.js';
import { useTopicState } from './tree/useTopicState.js';

const CHART_WIDTH = 220;
const CHART_HEIGHT = 70;

/** The last payload of `topic` as the model has it: the summary's preview when it holds all of it, else fetched. */
function useLastPayload(explorer: MqttExplorer, connectionId: string, topic: string): Uint8Array | undefined {
  const workbench = useWorkbench();
  const summary: TopicSummaryDto | undefined = useTopicState(explorer, connectionId, topic)?.summary;
  const whole = summary && summary.last.preview.length === summary.last.size;
  const fetched = useThrottledLoad(
    summary && !whole ? () => workbench.api.call('mqtt.history', { connectionId, topic, limit: 1, payloadBytes: 64 * 1024 }) : undefined,
    `${connectionId} ${topic} ${summary?.last.seq ?? 'none'} ${whole ? 'preview' : 'fetch'}`,
  );
  if (!summary) return undefined;
  return whole ? summary.last.preview : fetched?.[0]?.payload;
}

export function Dashboard({ explorer, connection }: { explorer: MqttExplorer; connection: MqttConnectionDto }) {
  const workbench = useWorkbench();
  const profiles = useObservable(explorer.profiles);
  const profile = profiles.find((p) => p.id === connection.profileId);
  const [adding, setAdding] = useState(false);
  const widgets = profile?.dashboard ?? [];

  const save = async (next: WidgetDto[]) => {
    const saved = await workbench.api.call('mqtt.saveDashboard', { profileId: connection.profileId, widgets: next });
    explorer.putProfile(saved);
  };

  return (
    <div className="mqtt-dashboard">
      <div className="mqtt-dashboard-grid" role="list" aria-label="Dashboard">
        {widgets.map((w) => (
          <div key={w.id} className="mqtt-widget" role="listitem" aria-label={w.title}>
            <div className="mqtt-widget-header">
              <span className="mqtt-widget-title">{w.title}</span>
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove ${w.title}`}
                title="Remove from the dashboard"
                onClick={() => void workbench.attempt('Could not change the dashboard', () => save(widgets.filter((x) => x.id !== w.id)))}
              >
                ×
              </button>
            </div>
            <WidgetBody explorer={explorer} connection={connection} widget={w} />
          </div>
        ))}
        {widgets.length === 0 && !adding && <p className="mqtt-note">No widgets yet. A switch, a button, a value or a chart, each bound to a topic, saved with this connection.</p>}
      </div>
      {adding ? (
        <WidgetForm
          onCancel={() => setAdding(false)}
          onSave={async (widget) => {
            await save([...widgets, widget]);
            setAdding(false);
          }}
        />
      ) : (
        <button type="button" className="button small" onClick={() => setAdding(true)}>
          Add widget
        </button>
      )}
    </div>
  );
}

function widgetTopic(w: WidgetDto): string {
  return w.kind === 'switch' ? w.stateTopic : w.topic;
}

function WidgetBody({ explorer, connection, widget }: { explorer: MqttExplorer; connection: MqttConnectionDto; widget: WidgetDto }) {
  const workbench = useWorkbench();
  const topic = widgetTopic(widget);
  const covered = connection.subscriptions.some((s) => !s.error && topicMatches(s.filter, topic));
  const publish = (target: string, payload: string, qos: 0 | 1 | 2, retain: boolean) =>
    void workbench.attempt(`Could not publish to ${target}`, () =>
      workbench.api.call('mqtt.publish', { connectionId: connection.id, topic: target, payload: new TextEncoder().encode(payload), qos, retain }),
    );
  const notCovered = !covered && widget.kind !== 'button' && (
    <p className="mqtt-note">
      No subscription covers {topic}.{' '}
      <button
        type="button"
        className="link-button"
        onClick={() => void workbench.attempt('Could not subscribe', () => workbench.api.call('mqtt.subscribe', { connectionId: connection.id, subscription: { filter: topic, qos: 0 } }))}
      >
        Subscribe
      </button>
    </p>
  );
  switch (widget.kind) {
    case 'switch':
      return (
        <>
          <SwitchWidget explorer={explorer} connection={connection} widget={widget} onPublish={publish} />
          {notCovered}
        </>
      );
    case 'button':
      return (
        <button type="button" className="button primary" disabled={connection.state !== 'connected'} onClick={() => publish(widget.topic, widget.payload, widget.qos, widget.retain)}>
          Send {widget.payload.length > 12 ? `${widget.payload.slice(0, 12)}…` : widget.payload || '(empty)'}
        </button>
      );
    case 'value':
      return (
        <>
          <ValueWidget explorer={explorer} connectionId={connection.id} widget={widget} />
          {notCovered}
        </>
      );
    case 'chart':
      return (
        <>
          <ChartWidget explorer={explorer} connectionId={connection.id} widget={widget} />
          {notCovered}
        </>
      );
  }
}

function SwitchWidget({
  explorer,
  connection,
  widget,
  onPublish,
}: {
  explorer: MqttExplorer;
  connection: MqttConnectionDto;
  widget: Extract<WidgetDto, { kind: 'switch' }>;
  onPublish(topic: string, payload: string, qos: 0 | 1 | 2, retain: boolean): void;
}) {
  const last = useLastPayload(explorer, connection.id, widget.stateTopic);
  const text = last === undefined ? undefined : payloadText(last).text.trim();
  const state = text === undefined ? 'unknown' : text === widget.onPayload ? 'on' : text === widget.offPayload ? 'off' : 'other';
  const target = widget.commandTopic || widget.stateTopic;
  return (
    <div className="mqtt-switch-row">
      <button
        type="button"
        role="switch"
        aria-checked={state === 'on'}
        aria-label={widget.title}
        className={`mqtt-switch ${state}`}
        disabled={connection.state !== 'connected'}
        onClick={() => onPublish(target, state === 'on' ? widget.offPayload : widget.onPayload, widget.qos, widget.retain)}
      >
        <span className="mqtt-switch-knob" />
      </button>
      <span className="mqtt-note">{state === 'unknown' ? 'No state yet' : state === 'other' ? `State: ${text}` : state === 'on' ? 'On' : 'Off'}</span>
    </div>
  );
}

function ValueWidget({ explorer, connectionId, widget }: { explorer: MqttExplorer; connectionId: string; widget: Extract<WidgetDto, { kind: 'value' }> }) {
  const last = useLastPayload(explorer, connectionId, widget.topic);
  const value = last === undefined ? undefined : numericValue(last, widget.field);
  const shown = value !== undefined ? String(Math.round(value * 100) / 100) : last !== undefined && widget.field.length === 0 ? payloadText(last).text.slice(0, 24) : '—';
  const ranged = widget.min !== null && widget.max !== null && widget.max > widget.min;
  const fraction = ranged && value !== undefined ? Math.min(1, Math.max(0, (value - widget.min!) / (widget.max! - widget.min!))) : undefined;
  return (
    <div className="mqtt-value" aria-label={`${widget.title}: ${shown}${widget.unit ? ` ${widget.unit}` : ''}`}>
      {ranged && (
        <svg className="mqtt-gauge" width={120} height={66} viewBox="0 0 120 66" aria-hidden="true">
          <path d="M10 60 A50 50 0 0 1 110 60" className="gauge-track" />
          {fraction !== undefined && <path d={`M10 60 A50 50 0 0 1 ${60 - 50 * Math.cos(Math.PI * fraction)} ${60 - 50 * Math.sin(Math.PI * fraction)}`} className="gauge-fill" />}
        </svg>
      )}
      <span className="mqtt-value-number">
        {shown}
        {widget.unit && <span className="mqtt-value-unit"> {widget.unit}</span>}
      </span>
      {ranged && (
        <span className="mqtt-note">
          {widget.min} to {widget.max}
        </span>
      )}
    </div>
  );
}

function ChartWidget({ explorer, connectionId, widget }: { explorer: MqttExplorer; connectionId: string; widget: Extract<WidgetDto, { kind: 'chart' }> }) {
  const workbench = useWorkbench();
  const summary = useTopicState(explorer, connectionId, widget.topic)?.summary;
  const messages = useThrottledLoad(
    summary ? () => workbench.api.call('mqtt.history', { connectionId, topic: widget.topic, limit: 200, payloadBytes: 4096 }) : undefined,
    `${connectionId} ${widget.topic} ${summary?.last.seq ?? 'none'}`,
  );
  const points = useMemo(() => {
    const out: PlotPoint[] = [];
    for (const m of messages ?? []) {
      const value = numericValue(m.payload, widget.field);
      if (value !== undefined) out.push({ time: m.receivedAt, value });
    }
    return out;
  }, [messages, widget.field]);
  if (points.length === 0) return <p className="mqtt-note">No numbers yet.</p>;
  const plot = plotPath(points, CHART_WIDTH, CHART_HEIGHT);
  const last = points[points.length - 1]!.value;
  return (
    <div className="mqtt-chart">
      <svg width={CHART_WIDTH} height={CHART_HEIGHT} role="img" aria-label={`${widget.title}: ${points.length} points, last ${last}${widget.unit ? ` ${widget.unit}` : ''}`}>
        <path className="plot-line" d={plot.d} />
      </svg>
      <span className="mqtt-note">
        last {Math.round(last * 100) / 100}
        {widget.unit ? ` ${widget.unit}` : ''} · {Math.round(plot.min * 100) / 100} to {Math.round(plot.max * 100) / 100}
      </span>
    </div>
  );
}

function WidgetForm({ onSave, onCancel }: { onSave(widget: WidgetDto): Promise<void>; onCancel(): void }) {
  const [kind, setKind] = useState<WidgetDto['kind']>('switch');
  const [title, setTitle] = useState('');
  const [topic, setTopic] = useState('');
  const [commandTopic, setCommandTopic] = useState('');
  const [onPayload, setOnPayload] = useState('1');
  const [offPayload, setOffPayload] = useState('0');
  const [payload, setPayload] = useState('');
  const [field, setField] = useState('');
  const [unit, setUnit] = useState('');
  const [min, setMin] = useState('');
  const [max, setMax] = useState('');
  const [retain, setRetain] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const topicCheck = checkTopicName(topic);
  const commandCheck = commandTopic === '' ? { ok: true as const } : checkTopicName(commandTopic);
  const path = parseJsonPath(field);
  const number = (text: string) => (text.trim() === '' ? null : Number.isFinite(Number(text)) ? Number(text) : undefined);
  const problem = !topicCheck.ok
    ? topic === ''
      ? 'Give the widget a topic.'
      : topicCheck.error
    : !commandCheck.ok
      ? `Command topic: ${commandCheck.error}`
      : (kind === 'value' || kind === 'chart') && !path
        ? 'The JSON field is a path like t, data.temp or list[0] (empty: the whole payload).'
        : kind === 'value' && (number(min) === undefined || number(max) === undefined)
          ? 'Min and max are numbers (or empty).'
          : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (problem) return;
    const base = { id: `w-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`, title: title.trim() || topic };
    const widget: WidgetDto =
      kind === 'switch'
        ? { ...base, kind, stateTopic: topic, commandTopic, onPayload, offPayload, qos: 1, retain }
        : kind === 'button'
          ? { ...base, kind, topic, payload, qos: 1, retain }
          : kind === 'value'
            ? { ...base, kind, topic, field: path!, unit, min: number(min) ?? null, max: number(max) ?? null }
            : { ...base, kind, topic, field: path!, unit };
    try {
      await onSave(widget);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <form className="mqtt-widget-form" aria-label="New widget" onSubmit={(e) => void submit(e)}>
      <div className="mqtt-row">
        <select className="select-input" aria-label="Widget kind" value={kind} onChange={(e) => setKind(e.target.value as WidgetDto['kind'])}>
          <option value="switch">Switch</option>
          <option value="button">Button</option>
          <option value="value">Value or gauge</option>
          <option value="chart">Line chart</option>
        </select>
        <input className="text-input" aria-label="Widget title" placeholder="Title" value={title} onChange={(e) => setTitle(e.target.value)} />
        <input
          className="text-input mqtt-grow"
          aria-label={kind === 'switch' ? 'State topic' : 'Widget topic'}
          placeholder={kind === 'switch' ? 'State topic, e.g. room/led/stat' : 'Topic'}
          value={topic}
          spellCheck={false}
          onChange={(e) => setTopic(e.target.value)}
        />
      </div>
      {kind === 'switch' && (
        <div className="mqtt-row">
          <input className="text-input mqtt-grow" aria-label="Command topic" placeholder="Command topic (empty: the state topic)" value={commandTopic} spellCheck={false} onChange={(e) => setCommandTopic(e.target.value)} />
          <input className="text-input" aria-label="On payload" placeholder="On payload" value={onPayload} onChange={(e) => setOnPayload(e.target.value)} />
          <input className="text-input" aria-label="Off payload" placeholder="Off payload" value={offPayload} onChange={(e) => setOffPayload(e.target.value)} />
        </div>
      )}
      {kind === 'button' && <input className="text-input" aria-label="Button payload" placeholder="Payload to send" value={payload} onChange={(e) => setPayload(e.target.value)} />}
      {(kind === 'value' || kind === 'chart') && (
        <div className="mqtt-row">
          <input className="text-input" aria-label="JSON field" placeholder="JSON field (empty: whole payload)" value={field} spellCheck={false} onChange={(e) => setField(e.target.value)} />
          <input className="text-input" aria-label="Unit" placeholder="Unit" value={unit} onChange={(e) => setUnit(e.target.value)} />
          {kind === 'value' && (
            <>
              <input className="text-input" aria-label="Gauge minimum" placeholder="Min" inputMode="decimal" value={min} onChange={(e) => setMin(e.target.value)} />
              <input className="text-input" aria-label="Gauge maximum" placeholder="Max" inputMode="decimal" value={max} onChange={(e) => setMax(e.target.value)} />
            </>
          )}
        </div>
      )}
      {(kind === 'switch' || kind === 'button') && (
        <label className="mqtt-check">
          <input type="checkbox" checked={retain} onChange={(e) => setRetain(e.target.checked)} /> Publish retained
        </label>
      )}
      {problem && topic !== '' && <p className="mqtt-inline-error">{problem}</p>}
      {error && (
        <p className="mqtt-inline-error" role="alert">
          {error}
        </p>
      )}
      <div className="mqtt-row">
        <button type="submit" className="button primary small" disabled={problem !== null}>
          Add to dashboard
        </button>
        <button type="button" className="link-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
