/**
 * Writes a file so a crash or power cut leaves either the old content or the
 * new, never half of each: the data goes to a temporary file in the same
 * folder, is flushed to disk, then renamed over the target (rename is atomic
 * within one filesystem). The temporary name is unique, so two writers never
 * share one. The file keeps its permissions (a 0755 script stays executable,
 * a 0600 file stays private); `mode` sets them instead (files that hold the
 * user's state are written PRIVATE_FILE_MODE).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** Suffix of the temporary files; a folder scan can recognise and skip them. */
export const ATOMIC_TEMP_SUFFIX = '.pinwheel-tmp';

/** For files only this user may read: settings, drafts, secrets. */
export const PRIVATE_FILE_MODE = 0o600;

export async function writeFileAtomic(file: string, data: Uint8Array | string, options: { mode?: number } = {}): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const existingMode = await stat(file).then(
    (s) => s.mode & 0o7777,
    () => undefined,
  );
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}${ATOMIC_TEMP_SUFFIX}`;
  // An existing file keeps its mode exactly (chmod, past the umask); a new one gets the usual 0666 less the umask.
  const mode = options.mode ?? existingMode;
  const handle = await open(temp, 'w', mode ?? 0o666);
  try {
    if (mode !== undefined) await handle.chmod(mode);
    await handle.writeFile(data);
    // Without the flush, a power cut after the rename can leave an empty file under the new name.
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/**
 * One file saved again and again (settings, profiles): each save waits for
 * the one before, so an older snapshot never lands after a newer one.
 */
export class SerialFileWriter {
  private saving: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly mode = PRIVATE_FILE_MODE,
  ) {}

  /** Resolves once `text` is on disk; a failed save rejects here but does not stop later ones. */
  write(text: string): Promise<void> {
    const write = this.saving.then(() => writeFileAtomic(this.file, text, { mode: this.mode }));
    this.saving = write.catch(() => undefined);
    return write;
  }

  /** Resolves once every save asked for so far has reached the disk (or failed). */
  flush(): Promise<void> {
    return this.saving;
  }
}
