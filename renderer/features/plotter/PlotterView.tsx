/**
 * The plotter beside the terminal: the numbers the program prints (see
 * PlotterModel for which lines count), one line per series against time,
 * redrawn a few times a second at most. Pause holds the picture still while
 * samples keep coming; Export saves them all as CSV.
 */
import './plotter.css';
import { useEffect, useRef, useState } from 'react';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import { saveFile } from '../../shared/util/saveFile.js';
import type { PlotSample, PlotterModel } from './PlotterModel.js';
import { formatPlotValue } from '../../shared/util/format.js';

/** Redraws at most this often under a fast printer. */
const REDRAW_MS = 200;
const MARGIN = { left: 48, right: 10, top: 8, bottom: 20 };
/** Series colours, in the order series appear; they repeat past eight. */
const COLORS = ['#2f80ed', '#eb5757', '#27ae60', '#f2994a', '#9b51e0', '#00a3a3', '#c2185b', '#8d6e63'];

interface Frame {
  version: number;
  series: readonly string[];
  points: readonly PlotSample[];
}

function snapshot(model: PlotterModel): Frame {
  return { version: model.version, series: [...model.series], points: [...model.points] };
}

/** The frame's polylines scaled into width × height, one per series (a sample without the series leaves a gap). */
function layout(frame: Frame, width: number, height: number) {
  let min = Infinity;
  let max = -Infinity;
  for (const p of frame.points) {
    for (const v of p.values.values()) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (!Number.isFinite(min)) [min, max] = [0, 1];
  if (min === max) [min, max] = [min - 1, max + 1];
  const start = frame.points[0]?.time ?? 0;
  const end = frame.points.at(-1)?.time ?? start;
  const n = frame.points.length;
  // Samples printed in the same burst share a time: spread them by index instead.
  const x = (i: number, time: number) => (end > start ? ((time - start) / (end - start)) * width : n <= 1 ? width / 2 : (i / (n - 1)) * width);
  const y = (v: number) => height - ((v - min) / (max - min)) * height;
  const paths = frame.series.map((name) => {
    let d = '';
    let pen = 'M';
    frame.points.forEach((p, i) => {
      const v = p.values.get(name);
      if (v === undefined) {
        pen = 'M';
        return;
      }
      d += `${pen}${x(i, p.time).toFixed(1)},${y(v).toFixed(1)} `;
      pen = 'L';
    });
    return { name, d };
  });
  return { paths, min, max, seconds: (end - start) / 1000 };
}

export function PlotterView() {
  const workbench = useWorkbench();
  const model = workbench.plotter;
  const [frame, setFrame] = useState<Frame>(() => snapshot(model));
  const [paused, setPaused] = useState(false);
  const [size, setSize] = useState({ width: 320, height: 160 });
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (paused) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const redraw = () => {
      timer = undefined;
      setFrame(snapshot(model));
    };
    redraw();
    const subscription = model.onDidChange(() => {
      timer ??= setTimeout(redraw, REDRAW_MS);
    });
    return () => {
      subscription.dispose();
      if (timer) clearTimeout(timer);
    };
  }, [model, paused]);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: Math.max(120, entry.contentRect.width), height: Math.max(80, entry.contentRect.height) });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const width = size.width - MARGIN.left - MARGIN.right;
  const height = size.height - MARGIN.top - MARGIN.bottom;
  const { paths, min, max, seconds } = layout(frame, width, height);
  const label =
    frame.points.length === 0
      ? 'Plot: no numbers printed yet'
      : `Plot of ${frame.series.join(', ')}: ${frame.points.length} ${frame.points.length === 1 ? 'sample' : 'samples'} from ${formatPlotValue(min)} to ${formatPlotValue(max)}`;

  return (
    <section className="plotter" aria-label="Plotter">
      <div className="plotter-toolbar">
        <div className="plotter-legend" aria-label="Series">
          {frame.series.map((name, i) => (
            <span key={name} className="plotter-series">
              <span className="plotter-swatch" style={{ background: COLORS[i % COLORS.length] }} />
              {name}
            </span>
          ))}
        </div>
        <button type="button" className="button small" aria-pressed={paused} onClick={() => setPaused(!paused)} title={paused ? 'Draw the samples that came meanwhile' : 'Hold the plot still; samples keep coming'}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" className="button small" aria-label="Export plot as CSV" disabled={model.points.length === 0} onClick={() => saveFile(new TextEncoder().encode(model.toCsv()), 'plot.csv', 'text/csv')}>
          Export CSV
        </button>
        <button type="button" className="button small" aria-label="Clear plot" onClick={() => model.clear()}>
          Clear
        </button>
      </div>
      <div className="plotter-canvas" ref={box}>
        {frame.points.length === 0 ? (
          <p className="plotter-empty" role="img" aria-label={label}>
            Print numbers to plot them: <code>print(t, h)</code> or <code>print("t=", t)</code>, one line per reading.
          </p>
        ) : (
          <svg width={size.width} height={size.height} role="img" aria-label={label}>
            <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
              <line className="plotter-axis" x1={0} y1={height} x2={width} y2={height} />
              <line className="plotter-axis" x1={0} y1={0} x2={0} y2={height} />
              <text className="plotter-tick" x={-6} y={8} textAnchor="end">
                {formatPlotValue(max)}
              </text>
              <text className="plotter-tick" x={-6} y={height} textAnchor="end">
                {formatPlotValue(min)}
              </text>
              <text className="plotter-tick" x={width} y={height + 14} textAnchor="end">
                {seconds > 0 ? `${seconds.toFixed(1)} s` : ''}
              </text>
              {paths.map(({ name, d }, i) => (
                <path key={name} d={d} fill="none" stroke={COLORS[i % COLORS.length]} strokeWidth={1.5} />
              ))}
            </g>
          </svg>
        )}
      </div>
    </section>
  );
}
