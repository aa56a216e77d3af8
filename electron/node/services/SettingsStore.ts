/**
 * Small user settings kept across restarts in `<userData>/settings.json`: the
 * last board port, the open project folder and the built-in virtual board's
 * firmware. Written atomically; a file
 * that cannot be parsed is moved aside (kept for a person to look at) and the
 * defaults are used, so a corrupt file never stops the app from starting.
 */
import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { BOARD_PROFILE_NAMES } from '../../common/board/boardProfileNames.js';
import { PartsWiring } from '../../common/parts/partsWiring.js';
import { SerialFileWriter } from './writeFileAtomic.js';

export const SETTINGS_FILE_NAME = 'settings.json';

const Settings = z.object({
  /** The port the user last connected to (a device path or VIRTUAL_BOARD_PATH). */
  lastPort: z.string().optional(),
  lastBaudRate: z.number().int().positive().optional(),
  /** The project folder last opened. */
  workspaceRoot: z.string().optional(),
  /** The firmware the built-in virtual board imitates; absent (or a name this version does not know): the default. */
  virtualBoardProfile: z.enum(BOARD_PROFILE_NAMES).optional().catch(undefined),
  /** Programs on the virtual board may connect to the internet (by default only this computer and the local network). */
  virtualBoardInternet: z.boolean().optional().catch(undefined),
  /** The parts wired to the virtual board (a wiring this version cannot read: none). */
  virtualBoardParts: PartsWiring.optional().catch(undefined),
});
export type Settings = z.infer<typeof Settings>;

export class SettingsStore {
  private values: Settings = {};
  private loaded = false;
  private readonly writer: SerialFileWriter;

  constructor(readonly file: string) {
    this.writer = new SerialFileWriter(file);
  }

  static inDir(dir: string): SettingsStore {
    return new SettingsStore(path.join(dir, SETTINGS_FILE_NAME));
  }

  /** Reads the file once; later calls return what is in memory. */
  async load(): Promise<Settings> {
    if (this.loaded) return { ...this.values };
    this.loaded = true;
    const parsed = await readJsonOrMoveAside(this.file, Settings);
    this.values = parsed ?? {};
    return { ...this.values };
  }

  get(): Settings {
    return { ...this.values };
  }

  /** Applies `patch` (an `undefined` value removes the key) and saves. */
  async update(patch: Partial<Settings>): Promise<void> {
    await this.load();
    const next: Record<string, unknown> = { ...this.values };
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    this.values = Settings.parse(next);
    await this.writer.write(JSON.stringify(this.values, null, 2) + '\n');
  }

  /** Resolves once every save called so far has reached the disk (or failed). */
  flush(): Promise<void> {
    return this.writer.flush();
  }
}

/**
 * Reads and validates a JSON file. Missing: undefined. Unreadable as JSON or
 * not matching the schema: the file is renamed to `<name>.corrupt-<time>` and
 * undefined is returned.
 */
export async function readJsonOrMoveAside<T>(file: string, schema: z.ZodType<T>): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    await moveAside(file);
    return undefined;
  }
  const checked = schema.safeParse(value);
  if (!checked.success) {
    await moveAside(file);
    return undefined;
  }
  return checked.data;
}

async function moveAside(file: string): Promise<void> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  await rename(file, `${file}.corrupt-${stamp}`).catch(() => undefined);
}
