/** Short texts the explorer shows for a topic: its last value in one line, its rate, sizes and times. */
import type { TopicSummaryDto } from '../../../electron/common/api/contract.js';
import { payloadText } from '../../../electron/common/mqtt/payloads.js';

const PREVIEW_CHARS = 80;

/** The last payload in one line: text when it is UTF-8, else its first bytes in hex. */
export function previewText(summary: Pick<TopicSummaryDto, 'last'>): string {
  const { preview, size } = summary.last;
  if (size === 0) return '(empty)';
  const { text, valid } = payloadText(preview);
  // eslint-disable-next-line no-control-regex
  if (valid && !/[\u0000-\u0008\u000e-\u001f]/.test(text)) {
    const line = text.replace(/\s+/g, ' ').trim();
    return line.length > PREVIEW_CHARS || size > preview.length ? `${line.slice(0, PREVIEW_CHARS)}…` : line;
  }
  const hex = Array.from(preview.subarray(0, 12), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `<${size} bytes> ${hex}${size > 12 ? ' …' : ''}`;
}

export function rateText(rate: number): string {
  if (rate >= 100) return `${Math.round(rate)}/s`;
  if (rate >= 10) return `${rate.toFixed(0)}/s`;
  return `${rate.toFixed(1)}/s`;
}

export function timeText(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
