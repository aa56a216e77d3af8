/** Progress as people read it (sizes and error messages: electron/common/util/format.ts). */
import { formatBytes } from '../../../electron/common/util/format.js';

/** "42%" of a job, or null while its total is unknown. */
export function percent(done: number, total: number): number | null {
  if (!(total > 0)) return null;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}

/** "1.2 MB of 1.5 MB · 85 KB/s · 4 s left" for a byte-counting job; null when there is nothing to say yet. */
export function transferText(view: { done: number; total: number; bytesPerSecond?: number | undefined; etaSeconds?: number | undefined }): string | null {
  if (!(view.total > 0)) return null;
  const parts = [`${formatBytes(view.done)} of ${formatBytes(view.total)}`];
  if (view.bytesPerSecond !== undefined) parts.push(`${formatBytes(view.bytesPerSecond)}/s`);
  if (view.etaSeconds !== undefined) parts.push(`${formatDuration(view.etaSeconds)} left`);
  return parts.join(' · ');
}

/** 4.2 -> "5 s", 75 -> "1 min 15 s": a countdown, rounded up so it never says 0 before the end. */
export function formatDuration(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
}

/** A plot's axis value: whole or large numbers to two decimals at most, others to four significant digits. */
export function formatPlotValue(value: number): string {
  return Math.abs(value) >= 1000 || Number.isInteger(value) ? String(Math.round(value * 100) / 100) : value.toPrecision(4);
}
