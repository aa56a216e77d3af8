/**
 * Keeps the editor's buffers on the host so unsaved work survives a restart or
 * a crash: `<userData>/drafts.json`, replaced atomically on every save. A file
 * that cannot be read back is moved aside rather than stopping the app.
 */
import path from 'node:path';
import { z } from 'zod';
import { Draft, type draftCalls } from '../../common/api/contract.js';
import type { HandlersFor } from '../../common/api/dispatcher.js';
import { readJsonOrMoveAside } from './SettingsStore.js';
import { PRIVATE_FILE_MODE, writeFileAtomic } from './writeFileAtomic.js';

export const DRAFTS_FILE_NAME = 'drafts.json';

const DraftsFile = z.object({ version: z.literal(1), drafts: z.array(Draft) });

export class DraftStore {
  /** Saves run one after another: the last save called is the one on disk. */
  private saving: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  static inDir(dir: string): DraftStore {
    return new DraftStore(path.join(dir, DRAFTS_FILE_NAME));
  }

  /** The saved drafts; none when the file is missing, or corrupt (then it is moved aside). */
  async load(): Promise<Draft[]> {
    await this.saving;
    const parsed = await readJsonOrMoveAside(this.file, DraftsFile);
    return parsed?.drafts ?? [];
  }

  async save(drafts: Draft[]): Promise<void> {
    const text = JSON.stringify({ version: 1, drafts });
    const write = this.saving.then(() => writeFileAtomic(this.file, text, { mode: PRIVATE_FILE_MODE }));
    this.saving = write.catch(() => undefined);
    await write;
  }

  handlers(): HandlersFor<typeof draftCalls> {
    return {
      'drafts.load': () => this.load(),
      'drafts.save': async (p) => {
        await this.save(p.drafts);
        return {};
      },
    };
  }

  /** Resolves once every save called so far has reached the disk (or failed). */
  flush(): Promise<void> {
    return this.saving;
  }
}
