/**
 * MQTT messages as CSV rows, the way the seeds' sensor server wrote them:
 * timestamp, topic, payload, then a JSON payload's fields as columns. Pure;
 * the recorder and the export both use it.
 */
import { bytesToBase64 } from '../util/base64.js';
import { flattenJson, payloadJson, payloadText } from './payloads.js';

export interface CsvMessage {
  topic: string;
  payload: Uint8Array;
  receivedAt: number;
  qos?: number;
  retain?: boolean;
}

/** One CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(fields: readonly (string | number | boolean | null | undefined)[]): string {
  return fields.map(csvField).join(',') + '\r\n';
}

/** The payload as a CSV cell: its text when UTF-8, else `base64:` and the bytes. */
export function payloadCell(payload: Uint8Array): string {
  const { text, valid } = payloadText(payload);
  return valid ? text : `base64:${bytesToBase64(payload)}`;
}

export const CSV_FIXED_COLUMNS = ['timestamp', 'topic', 'payload'] as const;
/** Fields of JSON payloads that were not among the columns when the header was written. */
export const CSV_EXTRA_COLUMN = 'other_fields';

/**
 * Rows for a stream of messages. The columns are fixed by the first message
 * (its JSON fields; a header cannot change once written to a file that is
 * still growing); fields that appear later go, as JSON, into one last
 * column, so nothing is lost.
 */
export class CsvRows {
  private fields: string[] | undefined;

  /** The header, once known (after the first message, or at once when `fields` are given). */
  get columns(): string[] | undefined {
    return this.fields && [...CSV_FIXED_COLUMNS, ...this.fields, CSV_EXTRA_COLUMN];
  }

  constructor(fields?: string[]) {
    this.fields = fields;
  }

  /** Returns the lines to write for `message`: the header first when this message fixes it. */
  add(message: CsvMessage): string {
    const flat = flattenJson(payloadJson(message.payload));
    let out = '';
    if (!this.fields) {
      this.fields = Object.keys(flat);
      out += csvLine(this.columns!);
    }
    const extra: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(flat)) if (!this.fields.includes(key)) extra[key] = value;
    out += csvLine([
      new Date(message.receivedAt).toISOString(),
      message.topic,
      payloadCell(message.payload),
      ...this.fields.map((f) => flat[f]),
      Object.keys(extra).length > 0 ? JSON.stringify(extra) : '',
    ]);
    return out;
  }
}

/** A whole export: the columns are every field any of the messages has. */
export function messagesToCsv(messages: readonly CsvMessage[]): string {
  const fields = new Set<string>();
  for (const m of messages) for (const key of Object.keys(flattenJson(payloadJson(m.payload)))) fields.add(key);
  const rows = new CsvRows([...fields]);
  return csvLine(rows.columns!) + messages.map((m) => rows.add(m)).join('');
}
