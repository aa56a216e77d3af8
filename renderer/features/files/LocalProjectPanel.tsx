/**
 * The project folder on this computer: open one (through the in-app folder
 * picker), browse its files, open them in the editor, upload a file or folder
 * to the board, or sync every changed file.
 */
import './fileTree.css';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { WorkspaceEntry, WorkspaceInfo } from '../../../electron/common/api/contract.js';
import { useHostState } from '../../app/HostProvider.js';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import { ChevronRightIcon, FileIcon, FolderIcon, RefreshIcon, SyncIcon, UploadIcon } from '../../shared/icons/Icons.js';
import { errorMessage, formatBytes } from '../../../electron/common/util/format.js';
import { useObservable } from '../../shared/util/Observable.js';
import { boardUnavailableReason } from '../boards/BoardStore.js';
import { EditorCommands } from '../editor/EditorCommands.js';
import { FileCommands } from './FileCommands.js';
import { useCollapsedFolders, useTreeKeyboard } from './useTreeKeyboard.js';
import { buildTree, filesUnder, treeSize, type TreeNode } from './fileTree.js';

export function LocalProjectPanel() {
  const workbench = useWorkbench();
  const hostUp = useHostState().status === 'connected';
  const status = useObservable(workbench.board.status);
  const localVersion = useObservable(workbench.localFilesVersion);
  const [folder, setFolder] = useState<WorkspaceInfo | null | undefined>(undefined);
  const [entries, setEntries] = useState<WorkspaceEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { collapsed, setCollapsed, toggleFolder } = useCollapsedFolders();
  const boardReason = boardUnavailableReason(status);

  const load = useCallback(async () => {
    try {
      const current = await workbench.api.call('workspace.current', {});
      setFolder(current);
      setEntries(current ? await workbench.api.call('workspace.list', {}) : null);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [workbench]);

  useEffect(() => {
    if (hostUp) void load();
  }, [hostUp, load, localVersion]);

  const tree = useMemo(() => buildTree(entries ?? [], ''), [entries]);

  const { commands } = workbench;
  const openFolder = () => commands.execute(FileCommands.openProjectFolder, { start: folder?.root });
  const upload = (paths: string[], label: string) => commands.execute(FileCommands.uploadProjectFiles, { paths, label });
  const sync = () => commands.execute(FileCommands.syncProject);

  const keyboard = useTreeKeyboard({
    tree,
    collapsed,
    setCollapsed,
    activate: (path) => {
      const entry = entries?.find((e) => e.path === path);
      if (entry?.type === 'file') void commands.execute(EditorCommands.openLocalFile, { path });
      else toggleFolder(path);
    },
  });

  const renderNode = (node: TreeNode, depth: number) => {
    const isDir = node.type === 'dir';
    const open = isDir && !collapsed.has(node.path);
    return (
      <li key={node.path} role="treeitem" aria-label={node.name} aria-expanded={isDir ? open : undefined} {...keyboard.itemProps(node.path)}>
        <div
          className="tree-row"
          style={{ paddingLeft: 12 + depth * 14 }}
          data-testid="local-file"
          data-path={node.path}
          onClick={() => {
            if (!isDir) void commands.execute(EditorCommands.openLocalFile, { path: node.path });
            else toggleFolder(node.path);
          }}
        >
          <span className={`tree-twisty${open ? ' open' : ''}`}>{isDir && <ChevronRightIcon size={12} />}</span>
          <span className="tree-icon">{isDir ? <FolderIcon size={15} /> : <FileIcon size={15} />}</span>
          <span className="tree-name">{node.name}</span>
          <span className="tree-size">{formatBytes(isDir ? treeSize(node) : node.size)}</span>
          <span className="tree-actions" onClick={(e) => e.stopPropagation()}>
            <button
              type="button"
              className="icon-button"
              aria-disabled={boardReason !== null}
              title={boardReason ?? `Upload ${node.name} to the board`}
              aria-label={`Upload ${node.name} to the board`}
              data-testid="upload-local"
              onClick={() => {
                const files = filesUnder(node);
                if (!boardReason && files.length > 0) void upload(files, node.name);
              }}
            >
              <UploadIcon size={14} />
            </button>
          </span>
        </div>
        {open && node.children.length > 0 && <ul role="group">{node.children.map((child) => renderNode(child, depth + 1))}</ul>}
      </li>
    );
  };

  return (
    <section className="files-section" aria-label="Project folder on this computer" data-testid="local-files">
      <div className="section-header">
        <span className="section-title" title={folder ? folder.root : 'No project folder open'}>
          {folder ? `Project: ${folder.name}` : 'Project folder'}
        </span>
        <span className="section-actions">
          {folder && (
            <>
              <button type="button" className="icon-button" aria-disabled={boardReason !== null} title={boardReason ?? 'Sync changed files to the board (unchanged ones are skipped)'} aria-label="Sync changed files" data-testid="sync-project" onClick={() => !boardReason && void sync()}>
                <SyncIcon size={16} />
              </button>
              <button type="button" className="icon-button" title="Refresh" aria-label="Refresh the project files" onClick={() => void load()}>
                <RefreshIcon size={16} />
              </button>
            </>
          )}
          <button type="button" className="icon-button" title="Open a folder…" aria-label="Open a folder" data-testid="open-folder" disabled={!hostUp} onClick={() => void openFolder()}>
            <FolderIcon size={16} />
          </button>
        </span>
      </div>
      {error ? (
        <p className="tree-note error" role="alert">
          Could not read the project folder: {error}
        </p>
      ) : folder === null ? (
        <div className="tree-note">
          <p>Keep your project on this computer and send it to the board when it is ready.</p>
          <button type="button" className="button small" onClick={() => void openFolder()} data-testid="open-folder-button">
            Open folder…
          </button>
        </div>
      ) : folder && entries ? (
        entries.length === 0 ? (
          <p className="tree-note">This folder is empty.</p>
        ) : (
          <>
            <ul className="tree" role="tree" aria-label="Project files" ref={keyboard.treeRef} onKeyDown={keyboard.onKeyDown}>
              {tree.map((node) => renderNode(node, 0))}
            </ul>
            <div className="project-actions">
              <button type="button" className="button small" aria-disabled={boardReason !== null} title={boardReason ?? 'Upload every project file to the board'} data-testid="upload-project" onClick={() => !boardReason && void upload(entries.filter((e) => e.type === 'file').map((e) => e.path), folder.name)}>
                <UploadIcon size={14} /> Upload to board
              </button>
              <button type="button" className="button small" aria-disabled={boardReason !== null} title={boardReason ?? 'Upload only the files that differ on the board'} onClick={() => !boardReason && void sync()}>
                <SyncIcon size={14} /> Sync changed files
              </button>
            </div>
          </>
        )
      ) : null}
    </section>
  );
}
