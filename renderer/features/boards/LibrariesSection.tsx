/**
 * The board card's Libraries: what is in the board's /lib, and an Install box
 * that puts packages there the way `mip` does (index names such as
 * umqtt.simple, github:/gitlab: addresses, URLs), fetched by this computer so
 * a board without Wi-Fi gets them too. The package index can be changed (a
 * mirror, a local one); micropython-lib's is the default.
 */
import { useState, type FormEvent } from 'react';
import type { BoardFileEntryDto, PackageInstallResultDto } from '../../../electron/common/api/contract.js';
import { ApiError } from '../../../electron/common/api/errors.js';
import { boardMipCode } from '../../../electron/common/packages/boardMip.js';
import { DEFAULT_PACKAGE_INDEX } from '../../../electron/common/packages/packageSpec.js';
import { errorMessage, formatBytes } from '../../../electron/common/util/format.js';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import { useObservable } from '../../shared/util/Observable.js';

const LIB = '/lib';

export function LibrariesSection({ boardHasMip }: { boardHasMip: boolean }) {
  const workbench = useWorkbench();
  /** A real board with Wi-Fi may fetch packages itself (MicroPython's mip); the host fetches otherwise. */
  const [onBoard, setOnBoard] = useState(false);
  const [open, setOpen] = useState(false);
  const [entries, setEntries] = useState<BoardFileEntryDto[] | undefined>(undefined);
  const [spec, setSpec] = useState('');
  const index = useObservable(workbench.packageIndex);
  const setIndex = (value: string) => workbench.packageIndex.set(value);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: true; result: PackageInstallResultDto } | { ok: false; message: string } | null>(null);

  const load = async () => {
    try {
      const list = await workbench.api.call('files.list', { path: LIB });
      setEntries(list.filter((e) => !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name)));
    } catch (err) {
      // No /lib yet: nothing installed.
      if (err instanceof ApiError && err.code === 'NOT_FOUND') setEntries([]);
      else setEntries(undefined);
    }
  };

  /** After an install, done or not: /lib again here and in the Files view's board tree. */
  const finished = () => {
    setBusy(false);
    void load();
    workbench.boardFilesVersion.update((v) => v + 1);
  };

  const install = async (event: FormEvent) => {
    event.preventDefault();
    const specs = spec.split(/[\s,]+/).filter((s) => s !== '');
    if (specs.length === 0 || busy) return;
    setBusy(true);
    setOutcome(null);
    if (onBoard && boardHasMip) {
      try {
        const code = boardMipCode(specs, index.trim() || undefined);
        workbench.terminal.note(`Installing ${specs.join(', ')} with mip on the board; its output follows.`, { replacesPrompt: true });
        const result = await workbench.api.call('board.run', { code, name: 'mip install' }, { timeoutMs: 0 });
        if (result.ok) setSpec('');
        else setOutcome({ ok: false, message: "The board's mip did not finish: its message is in the terminal (is the board's Wi-Fi up?)." });
      } catch (err) {
        setOutcome({ ok: false, message: errorMessage(err) });
      } finally {
        finished();
      }
      return;
    }
    try {
      const result = await workbench.jobs.run(`Installing ${specs.join(', ')}`, (job) =>
        workbench.api.call('packages.install', { specs, ...(index.trim() ? { index: index.trim() } : {}), jobId: job.id }, { signal: job.signal, timeoutMs: 0 }),
      );
      setOutcome({ ok: true, result });
      setSpec('');
    } catch (err) {
      setOutcome({ ok: false, message: errorMessage(err) });
    } finally {
      finished();
    }
  };

  return (
    <details
      className="board-card-libraries"
      open={open}
      onToggle={(e) => {
        const isOpen = e.currentTarget.open;
        setOpen(isOpen);
        if (isOpen) void load();
      }}
    >
      <summary>Libraries{entries ? ` (${entries.length} in ${LIB})` : ''}</summary>
      {entries && entries.length === 0 && <p className="board-card-note">Nothing in {LIB} yet.</p>}
      {entries && entries.length > 0 && (
        <ul className="board-card-lib-list" aria-label={`Installed in ${LIB}`}>
          {entries.map((e) => (
            <li key={e.path} title={e.path}>
              {e.name}
              {e.type === 'dir' ? '/' : ''}
              {e.type === 'file' && e.size >= 0 && <span className="board-card-lib-size">{formatBytes(e.size)}</span>}
            </li>
          ))}
        </ul>
      )}
      <form className="board-card-install" onSubmit={(e) => void install(e)}>
        <input
          type="text"
          className="text-input"
          aria-label="Package to install"
          placeholder="umqtt.simple, github:org/repo, or a URL"
          value={spec}
          onChange={(e) => setSpec(e.target.value)}
          disabled={busy}
          spellCheck={false}
        />
        <button type="submit" className="button small" disabled={busy || spec.trim() === ''}>
          {busy ? 'Installing…' : 'Install'}
        </button>
      </form>
      {boardHasMip && (
        <label className="board-card-mip">
          <input type="checkbox" checked={onBoard} onChange={(e) => setOnBoard(e.target.checked)} disabled={busy} /> Let the board download it with mip (its Wi-Fi must be up)
        </label>
      )}
      <details className="board-card-index">
        <summary>Package index</summary>
        <input type="url" className="text-input" aria-label="Package index URL" placeholder={DEFAULT_PACKAGE_INDEX} value={index} onChange={(e) => setIndex(e.target.value)} disabled={busy} spellCheck={false} />
      </details>
      {outcome?.ok === false && (
        <p className="board-card-error" role="alert">
          {outcome.message}
        </p>
      )}
      {outcome?.ok === true && (
        <div className="board-card-note" role="status" aria-label="Install result">
          <p>
            Installed {outcome.result.packages.map((p) => `${p.name}${p.version ? ` ${p.version}` : ''}`).join(', ')} to {outcome.result.target} ({outcome.result.written.length}{' '}
            {outcome.result.written.length === 1 ? 'file' : 'files'}, {formatBytes(outcome.result.bytes)}).
          </p>
          {outcome.result.notes.map((note) => (
            <p key={note} className="board-card-lib-note">
              {note}
            </p>
          ))}
        </div>
      )}
    </details>
  );
}
