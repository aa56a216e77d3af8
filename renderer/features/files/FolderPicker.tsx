/**
 * Picking a project folder inside the app: the web host has no native folder
 * dialog, so this walks the host's folders through `workspace.browse`.
 */
import './FolderPicker.css';
import './fileTree.css';
import { useEffect, useState } from 'react';
import type { FolderListing } from '../../../electron/common/api/contract.js';
import type { ApiClient } from '../../../electron/common/api/client.js';
import { ChevronUpIcon, FolderIcon } from '../../shared/icons/Icons.js';
import { errorMessage } from '../../../electron/common/util/format.js';

export function FolderPicker({ api, start, onAnswer }: { api: ApiClient; start: string | undefined; onAnswer(path: string | null): void }) {
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [target, setTarget] = useState<string | undefined>(start);

  useEffect(() => {
    const controller = new AbortController();
    api.call('workspace.browse', target === undefined ? {} : { path: target }, { signal: controller.signal }).then(
      (result) => {
        setListing(result);
        setTyped(result.path);
        setError(null);
      },
      (err: unknown) => {
        if (!controller.signal.aborted) setError(errorMessage(err));
      },
    );
    return () => controller.abort();
  }, [api, target]);

  const join = (dir: string) => (listing ? `${listing.path.replace(/[\\/]+$/, '')}/${dir}` : dir);

  return (
    <div className="folder-picker" data-testid="folder-picker">
      <form
        className="folder-picker-path"
        onSubmit={(e) => {
          e.preventDefault();
          setTarget(typed);
        }}
      >
        <button type="button" className="icon-button" title="Up one folder" aria-label="Up one folder" disabled={!listing?.parent} onClick={() => listing?.parent && setTarget(listing.parent)}>
          <ChevronUpIcon size={16} />
        </button>
        <input className="text-input" value={typed} onChange={(e) => setTyped(e.target.value)} aria-label="Folder path" data-testid="folder-path" spellCheck={false} />
        <button type="submit" className="button small">
          Go
        </button>
      </form>
      {error && (
        <p className="dialog-problem" role="alert">
          {error}
        </p>
      )}
      <ul className="folder-list" aria-label="Folders">
        {listing === null && !error && <li className="tree-note">Reading folders…</li>}
        {listing?.dirs.length === 0 && <li className="tree-note">No folders inside.</li>}
        {listing?.dirs.map((dir) => (
          <li key={dir}>
            <button type="button" className="folder-item" onClick={() => setTarget(join(dir))} data-testid="folder-item">
              <FolderIcon size={15} />
              <span>{dir}</span>
            </button>
          </li>
        ))}
      </ul>
      <div className="dialog-buttons">
        <button type="button" className="button" onClick={() => onAnswer(null)}>
          Cancel
        </button>
        <button type="button" className="button primary" data-testid="folder-open" aria-disabled={!listing} onClick={() => listing && onAnswer(listing.path)}>
          Open this folder
        </button>
      </div>
    </div>
  );
}
