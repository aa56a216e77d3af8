/**
 * The virtual board's flash as the host keeps it: in memory, mirrored to a
 * host folder when one is given. It outlives the interpreter worker, which is
 * replaced on every reset, exactly as flash outlives a board's RAM.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FlashEntry } from './boardProtocol.js';

export class FlashStore {
  private readonly entries = new Map<string, Uint8Array | null>();

  /** `dir`: host folder holding the files (created if missing); omitted: in memory only. */
  constructor(private readonly dir?: string) {
    if (dir) {
      fs.mkdirSync(dir, { recursive: true });
      this.readHostDir(dir, '/');
    }
  }

  /** Every file and folder, parents before children. */
  snapshot(): FlashEntry[] {
    return [...this.entries]
      .map(([p, data]) => ({ path: p, data }))
      .sort((a, b) => a.path.split('/').length - b.path.split('/').length);
  }

  /**
   * Applies what the board changed. Host files are replaced by rename, so a
   * board killed mid-sync leaves the old or the new file, never half of one.
   */
  apply(writes: FlashEntry[], deletes: string[]): void {
    for (const p of [...deletes].sort((a, b) => b.length - a.length)) {
      const target = this.dir ? this.hostPath(p) : undefined;
      for (const key of [...this.entries.keys()]) if (key === p || key.startsWith(`${p}/`)) this.entries.delete(key);
      if (target) fs.rmSync(target, { recursive: true, force: true });
    }
    for (const { path: p, data } of [...writes].sort((a, b) => a.path.split('/').length - b.path.split('/').length)) {
      const target = this.dir ? this.hostPath(p) : undefined;
      this.entries.set(p, data);
      if (!target) continue;
      if (data === null) {
        fs.mkdirSync(target, { recursive: true });
      } else {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        const tmp = `${target}.pinwheel-tmp`;
        fs.writeFileSync(tmp, data);
        fs.renameSync(tmp, target);
      }
    }
  }

  /** Board path "/a/b.py" -> host path inside the flash folder; refuses anything that would escape it. */
  private hostPath(boardPath: string): string {
    const root = this.dir!;
    const target = path.resolve(root, `.${boardPath}`);
    if (target !== root && !target.startsWith(root + path.sep)) throw new Error(`flash path outside the flash folder: ${boardPath}`);
    return target;
  }

  private readHostDir(hostDir: string, boardDir: string): void {
    for (const ent of fs.readdirSync(hostDir, { withFileTypes: true })) {
      if (ent.name.endsWith('.pinwheel-tmp')) continue;
      const boardPath = boardDir === '/' ? `/${ent.name}` : `${boardDir}/${ent.name}`;
      const hostPath = path.join(hostDir, ent.name);
      if (ent.isDirectory()) {
        this.entries.set(boardPath, null);
        this.readHostDir(hostPath, boardPath);
      } else if (ent.isFile()) {
        this.entries.set(boardPath, new Uint8Array(fs.readFileSync(hostPath)));
      }
    }
  }
}
