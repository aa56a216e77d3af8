/**
 * Records the messages matching a filter to a CSV file as they arrive (what
 * the seeds' sensor server did with `mosquitto_sub -t sensor-data`): one row
 * per message, appended as it comes, so a crash loses at most what the OS
 * had not written yet. A file that already exists is never overwritten.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../../common/api/errors.js';
import { CsvRows, type CsvMessage } from '../../../common/mqtt/csv.js';
import { topicMatches } from '../../../common/mqtt/topics.js';
import { errorMessage } from '../../../common/util/format.js';

/** `mqtt-sensors_+_temp-20261130-021530.csv`: the filter made safe for a file name, and when. */
export function recordingFileName(filter: string, now = new Date()): string {
  const safe = filter.replace(/[#]/g, 'all').replace(/[^\w+.-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60) || 'all';
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `mqtt-${safe}-${stamp}.csv`;
}

export class CsvRecorder {
  private readonly rows = new CsvRows();
  private count = 0;
  private failure: string | undefined;

  private constructor(
    readonly filter: string,
    readonly file: string,
    private readonly stream: WriteStream,
  ) {
    stream.on('error', (err) => (this.failure = `Writing ${file} failed: ${errorMessage(err)}. Recording stopped.`));
  }

  static async open(filter: string, file: string): Promise<CsvRecorder> {
    if (!path.isAbsolute(file)) throw new ApiError('BAD_REQUEST', `Give the recording's file as a full path, not "${file}".`);
    await mkdir(path.dirname(file), { recursive: true });
    // 'wx' fails when the file exists: a recording never replaces one made before.
    const stream = createWriteStream(file, { flags: 'wx' });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', (err) => {
        const code = (err as NodeJS.ErrnoException).code;
        reject(new ApiError(code === 'EEXIST' ? 'BAD_REQUEST' : 'PERMISSION', code === 'EEXIST' ? `${file} already exists; pick another file name.` : `Cannot write ${file}: ${errorMessage(err)}`));
      });
    });
    return new CsvRecorder(filter, file, stream);
  }

  /** Writes the message when its topic matches the filter. */
  write(message: CsvMessage): void {
    if (this.failure !== undefined || !topicMatches(this.filter, message.topic)) return;
    this.stream.write(this.rows.add(message));
    this.count++;
  }

  get state(): { filter: string; path: string; rows: number; error?: string } {
    return { filter: this.filter, path: this.file, rows: this.count, ...(this.failure !== undefined ? { error: this.failure } : {}) };
  }

  /** Flushes and closes the file. */
  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(() => resolve()));
  }
}
