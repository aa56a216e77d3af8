/**
 * Writes a file so a crash or power cut leaves either the old content or the
 * new, never half of each: the data goes to a temporary file in the same
 * folder, is flushed to disk, then renamed over the target (rename is atomic
 * within one filesystem). The temporary name is unique, so two writers never
 * share one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Suffix of the temporary files; a folder scan can recognise and skip them. */
export const ATOMIC_TEMP_SUFFIX = '.pinwheel-tmp';

export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}${ATOMIC_TEMP_SUFFIX}`;
  const handle = await open(temp, 'w');
  try {
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
