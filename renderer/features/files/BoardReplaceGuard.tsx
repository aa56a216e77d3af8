/**
 * Asks before a board file that exists is replaced by something else: a tab
 * saved under another file's name, "Save and reset" of a file that is not
 * main.py, an upload. Once per file and board (the person has then chosen
 * that file's new content), and never again in a project where they ticked
 * "Don't ask again". Saving a board file's own tab is editing it, not
 * replacing it, and never asks; nor does Sync, whose job is replacing.
 */
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../../electron/common/api/errors.js';
import type { Workbench } from '../../app/Workbench.js';
import { PersistedValue } from '../../shared/util/PersistedValue.js';

/** Projects (their folder, or "" for none) where replacing board files asks nothing. */
const quietProjects = new PersistedValue<string[]>('files.replaceWithoutAsking', [], (v): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string'));

export class BoardReplaceGuard {
  /** "board path|file path" pairs the person already agreed to replace. */
  private readonly agreed = new Set<string>();

  constructor(private readonly workbench: Workbench) {}

  /**
   * True when writing `paths` on the connected board may go ahead: none of
   * them is there, or the person agrees to replace the ones that are.
   * `why` finishes "…replaces it with …", e.g. "errors.py's text".
   */
  async mayReplace(paths: readonly string[], why: string): Promise<boolean> {
    const { workbench } = this;
    const board = workbench.board.status.get().port;
    if (!board) return true;
    const project = (await workbench.api.call('workspace.current', {}).catch(() => null))?.root ?? '';
    if (quietProjects.get().includes(project)) return true;
    const unasked = paths.filter((p) => !this.agreed.has(`${board.path}|${p}`));
    if (unasked.length === 0) return true;
    const existing = await this.existingFiles(unasked);
    if (existing.length === 0) return true;
    const answer = await workbench.dialogs.open<{ replace: boolean; quiet: boolean }>(
      existing.length === 1 ? `Replace ${existing[0]} on the board?` : `Replace ${existing.length} files on the board?`,
      (close) => <ReplaceBody board={board.friendlyName} files={existing} why={why} onAnswer={close} />,
      { replace: false, quiet: false },
      { testId: 'dialog-replace' },
    );
    if (!answer.replace) return false;
    for (const p of existing) this.agreed.add(`${board.path}|${p}`);
    if (answer.quiet) quietProjects.set([...quietProjects.get(), project]);
    return true;
  }

  /** Which of `paths` are files on the board (one listing when there are several). */
  private async existingFiles(paths: readonly string[]): Promise<string[]> {
    const { api } = this.workbench;
    if (paths.length > 2) {
      const files = new Set((await api.call('files.list', { path: '/', recursive: true })).filter((e) => e.type === 'file').map((e) => e.path));
      return paths.filter((p) => files.has(p));
    }
    const found: string[] = [];
    for (const path of paths) {
      const stat = await api.call('files.stat', { path }).catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 'NOT_FOUND') return null;
        throw err;
      });
      if (stat?.type === 'file') found.push(path);
    }
    return found;
  }
}

function ReplaceBody({ board, files, why, onAnswer }: { board: string; files: readonly string[]; why: string; onAnswer(value: { replace: boolean; quiet: boolean }): void }) {
  const [quiet, setQuiet] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  // Replacing loses the board's copy: Enter must not be the way to do it.
  useEffect(() => cancel.current?.focus(), []);
  const shown = files.slice(0, 5);
  return (
    <>
      <div className="dialog-message">
        {files.length === 1 ? `${files[0]} is already on ${board}.` : `These files are already on ${board}:`}
        {files.length > 1 && (
          <ul className="dialog-list">
            {shown.map((f) => (
              <li key={f}>{f}</li>
            ))}
            {files.length > shown.length && <li>and {files.length - shown.length} more</li>}
          </ul>
        )}{' '}
        Going ahead replaces {files.length === 1 ? 'it' : 'them'} with {why}; the board's copy is lost.
      </div>
      <label className="dialog-check">
        <input type="checkbox" checked={quiet} onChange={(e) => setQuiet(e.target.checked)} data-testid="replace-dont-ask" />
        Don't ask again for this project
      </label>
      <div className="dialog-buttons">
        <button type="button" className="button" ref={cancel} onClick={() => onAnswer({ replace: false, quiet: false })}>
          Cancel
        </button>
        <button type="button" className="button danger" onClick={() => onAnswer({ replace: true, quiet })}>
          Replace
        </button>
      </div>
    </>
  );
}
