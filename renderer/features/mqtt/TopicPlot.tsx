/**
 * A topic's numbers over time: the whole payload when it is a number
 * ("21.5", "true"), or a JSON field picked from the latest message. Drawn
 * from the model's history (up to the history length per topic) and redrawn
 * as messages arrive, a few times a second at most.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TopicSummaryDto } from '../../../electron/common/api/contract.js';
import { formatJsonPath, numericFields, numericValue, payloadJson, type JsonPath } from '../../../electron/common/mqtt/payloads.js';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import type { MqttExplorer } from './MqttExplorer.js';
import { useThrottledLoad } from './useThrottledLoad.js';
import { timeText } from './topicText.js';
import { formatPlotValue } from '../../shared/util/format.js';

/** The plot fills the panel's height, within these bounds; the picker row above takes the rest. */
const PLOT_MIN_HEIGHT_PX = 90;
const PLOT_MAX_HEIGHT_PX = 420;
const PICKER_ROW_PX = 34;
const MARGIN = { left: 56, right: 12, top: 10, bottom: 22 };
/** Each point needs only the start of its payload. */
const PLOT_PAYLOAD_BYTES = 4096;

export interface PlotPoint {
  time: number;
  value: number;
}

/** The SVG path of `points` scaled into a width × height box. */
export function plotPath(points: readonly PlotPoint[], width: number, height: number): { d: string; min: number; max: number; start: number; end: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const p of points) {
    if (p.value < min) min = p.value;
    if (p.value > max) max = p.value;
  }
  if (min === max) {
    min -= 1;
    max += 1;
  }
  const start = points[0]?.time ?? 0;
  const end = points[points.length - 1]?.time ?? start;
  const span = Math.max(1, end - start);
  const d = points
    .map((p, i) => {
      const x = points.length === 1 ? width / 2 : ((p.time - start) / span) * width;
      const y = height - ((p.value - min) / (max - min)) * height;
      return `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
  return { d, min, max, start, end };
}

export function TopicPlot({ explorer, connectionId, summary }: { explorer: MqttExplorer; connectionId: string; summary: TopicSummaryDto }) {
  const workbench = useWorkbench();
  const { topic } = summary;
  const [fieldKey, setFieldKey] = useState<string>('');
  const [width, setWidth] = useState(600);
  const [boxHeight, setBoxHeight] = useState(200);
  const boxRef = useRef<HTMLDivElement>(null);
  void explorer;
  const messages = useThrottledLoad(
    () => workbench.api.call('mqtt.history', { connectionId, topic, payloadBytes: PLOT_PAYLOAD_BYTES }),
    `${connectionId} ${topic} ${summary.last.seq}`,
  );

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const measure = () => {
      setWidth(box.clientWidth);
      setBoxHeight(box.clientHeight);
    };
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    measure();
    return () => observer.disconnect();
  }, []);

  const latest = messages?.[messages.length - 1];
  const fields = useMemo(() => (latest ? numericFields(payloadJson(latest.payload)) : []), [latest]);
  const wholeIsNumber = latest ? numericValue(latest.payload) !== undefined : false;
  // The first choice: the whole payload when it is a number, else the first numeric field.
  const chosen = fieldKey !== '' ? fieldKey : wholeIsNumber ? '(payload)' : fields[0] ? JSON.stringify(fields[0].path) : '';
  const path: JsonPath | undefined = chosen === '' ? undefined : chosen === '(payload)' ? [] : (JSON.parse(chosen) as JsonPath);

  const points = useMemo(() => {
    if (!messages || !path) return [];
    const out: PlotPoint[] = [];
    for (const m of messages) {
      const value = numericValue(m.payload, path);
      if (value !== undefined) out.push({ time: m.receivedAt, value });
    }
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [messages, chosen]);

  const plotHeight = Math.min(PLOT_MAX_HEIGHT_PX, Math.max(PLOT_MIN_HEIGHT_PX, boxHeight - PICKER_ROW_PX));
  const innerWidth = Math.max(50, width - MARGIN.left - MARGIN.right);
  const innerHeight = plotHeight - MARGIN.top - MARGIN.bottom;
  const plot = plotPath(points, innerWidth, innerHeight);
  const name = path === undefined ? '' : path.length === 0 ? 'the payload' : formatJsonPath(path);

  return (
    <div className="mqtt-plot" ref={boxRef}>
      <div className="mqtt-row">
        <label className="mqtt-check">
          Plot{' '}
          <select className="select-input" aria-label="Value to plot" value={chosen} onChange={(e) => setFieldKey(e.target.value)}>
            {chosen === '' && <option value="">(no number in this topic's messages)</option>}
            {wholeIsNumber && <option value="(payload)">the payload</option>}
            {fields.map((f) => (
              <option key={JSON.stringify(f.path)} value={JSON.stringify(f.path)}>
                {formatJsonPath(f.path)}
              </option>
            ))}
          </select>
        </label>
        {points.length > 0 && (
          <span className="mqtt-note">
            {points.length} points · last {formatPlotValue(points[points.length - 1]!.value)}
          </span>
        )}
      </div>
      {points.length === 0 ? (
        <p className="mqtt-note">{messages ? 'No numbers to plot yet: a plot follows a numeric payload or a numeric JSON field.' : 'Loading…'}</p>
      ) : (
        <svg
          className="mqtt-plot-svg"
          width={width}
          height={plotHeight}
          role="img"
          aria-label={`Plot of ${name}: ${points.length} points from ${formatPlotValue(plot.min)} to ${formatPlotValue(plot.max)}`}
        >
          <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
            <line className="plot-axis" x1={0} y1={innerHeight} x2={innerWidth} y2={innerHeight} />
            <line className="plot-axis" x1={0} y1={0} x2={0} y2={innerHeight} />
            <text className="plot-label" x={-6} y={8} textAnchor="end">
              {formatPlotValue(plot.max)}
            </text>
            <text className="plot-label" x={-6} y={innerHeight} textAnchor="end">
              {formatPlotValue(plot.min)}
            </text>
            <text className="plot-label" x={0} y={innerHeight + 16}>
              {timeText(plot.start)}
            </text>
            <text className="plot-label" x={innerWidth} y={innerHeight + 16} textAnchor="end">
              {timeText(plot.end)}
            </text>
            <path className="plot-line" d={plot.d} />
            {points.length <= 60 &&
              points.map((p, i) => {
                const x = points.length === 1 ? innerWidth / 2 : ((p.time - plot.start) / Math.max(1, plot.end - plot.start)) * innerWidth;
                const y = innerHeight - ((p.value - plot.min) / (plot.max - plot.min)) * innerHeight;
                return <circle key={i} className="plot-dot" cx={x} cy={y} r={2.5} />;
              })}
          </g>
        </svg>
      )}
    </div>
  );
}
