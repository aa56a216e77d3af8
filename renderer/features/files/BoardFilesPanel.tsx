/**
 * The board's files as a tree with sizes. New file and folder, upload (button
 * or drag and drop of files and folders), download, rename and delete; the
 * folder a new file or upload goes to is the selected folder (or the folder
 * of the selected file, or "/").
 */
import './fileTree.css';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { BoardFileEntryDto } from '../../../electron/common/api/contract.js';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import {
  ChevronRightIcon,
  DownloadIcon,
  EditIcon,
  FileIcon,
  FolderIcon,
  NewFileIcon,
  NewFolderIcon,
  RefreshIcon,
  TrashIcon,
  UploadIcon,
} from '../../shared/icons/Icons.js';
import { errorMessage, formatBytes } from '../../../electron/common/util/format.js';
import { useObservable } from '../../shared/util/Observable.js';
import { EditorCommands } from '../editor/EditorCommands.js';
import { collectDropped, type DroppedItems } from './droppedFiles.js';
import { FileCommands } from './FileCommands.js';
import { buildTree, treeSize, type TreeNode } from './fileTree.js';
import { useCollapsedFolders, useTreeKeyboard } from './useTreeKeyboard.js';
import { baseName, parentPath } from '../../../electron/common/util/slashPath.js';

export function BoardFilesPanel() {
  const workbench = useWorkbench();
  const status = useObservable(workbench.board.status);
  const version = useObservable(workbench.boardFilesVersion);
  const { commands } = workbench;
  const [entries, setEntries] = useState<BoardFileEntryDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const { collapsed, setCollapsed, toggleFolder } = useCollapsedFolders();
  const [selected, setSelected] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const connected = status.state === 'connected';
  const noFolders = connected && status.info?.folders === false;
  const portPath = status.port?.path;

  const load = useCallback(
    async (signal?: AbortSignal) => {
      setLoading(true);
      try {
        const list = await workbench.api.call('files.list', { path: '/', recursive: true }, { signal });
        setEntries(list);
        setError(null);
      } catch (err) {
        if (!signal?.aborted) setError(errorMessage(err));
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [workbench],
  );

  useEffect(() => {
    if (!connected) {
      setEntries(null);
      return;
    }
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [connected, portPath, version, load]);

  // A save from the editor: merged in locally (listing again would interrupt a freshly started main.py).
  useEffect(
    () =>
      workbench.lastBoardWrite.subscribe(() => {
        const written = workbench.lastBoardWrite.get();
        if (!written) return;
        setEntries((list) => {
          if (!list) return list;
          const rest = list.filter((e) => e.path !== written.path);
          return [...rest, { path: written.path, name: baseName(written.path), type: 'file', size: written.size }];
        });
      }),
    [workbench],
  );

  const tree = useMemo(() => buildTree(entries ?? [], '/'), [entries]);
  const byPath = useMemo(() => new Map((entries ?? []).map((e) => [e.path, e])), [entries]);
  const dirs = useMemo(() => new Set((entries ?? []).filter((e) => e.type === 'dir').map((e) => e.path)), [entries]);
  const selectedEntry = selected ? byPath.get(selected) : undefined;
  const targetDir = selectedEntry ? (selectedEntry.type === 'dir' ? selectedEntry.path : parentPath(selectedEntry.path) || '/') : '/';

  const entryAt = (path: string): BoardFileEntryDto | undefined => byPath.get(path) ?? findNode(tree, path);
  const keyboard = useTreeKeyboard({
    tree,
    collapsed,
    setCollapsed,
    selected,
    select: setSelected,
    activate: (path) => {
      const entry = entryAt(path);
      if (entry?.type === 'dir') toggleFolder(path);
      else if (entry) void commands.execute(EditorCommands.openBoardFile, { path });
    },
    rename: (path) => {
      const entry = entryAt(path);
      if (entry) void commands.execute(FileCommands.renameBoardFile, { entry });
    },
    remove: (path) => {
      const entry = entryAt(path);
      if (entry) void commands.execute(FileCommands.deleteBoardFile, { entry });
    },
  });

  if (!connected) return null;

  const upload = (items: DroppedItems, dir: string) => void commands.execute(FileCommands.uploadToBoard, { items, targetDir: dir, existing: dirs });
  const onDrop = (e: DragEvent, dir: string) => {
    e.preventDefault();
    e.stopPropagation();
    setDropTarget(null);
    const dropped = collectDropped(e.dataTransfer);
    void dropped.then((items) => upload(items, dir), (err: unknown) => workbench.notifications.error('Could not read the dropped files', err));
  };
  const onDragOver = (e: DragEvent, dir: string) => {
    if (!e.dataTransfer.types.includes('Files')) return;
    e.preventDefault();
    e.stopPropagation();
    e.dataTransfer.dropEffect = 'copy';
    if (dropTarget !== dir) setDropTarget(dir);
  };

  const renderNode = (node: TreeNode, depth: number) => {
    const entry = byPath.get(node.path) ?? { path: node.path, name: node.name, type: node.type, size: node.size };
    const isDir = node.type === 'dir';
    const open = isDir && !collapsed.has(node.path);
    const size = isDir ? treeSize(node) : node.size;
    return (
      <li key={node.path} role="treeitem" aria-label={node.name} aria-expanded={isDir ? open : undefined} aria-selected={selected === node.path} {...keyboard.itemProps(node.path)}>
        <div
          className={`tree-row${selected === node.path ? ' selected' : ''}${dropTarget === node.path ? ' drop-target' : ''}`}
          style={{ paddingLeft: 12 + depth * 14 }}
          data-testid="board-file"
          data-path={node.path}
          data-type={node.type}
          onClick={() => {
            setSelected(node.path);
            if (isDir) toggleFolder(node.path);
            else void commands.execute(EditorCommands.openBoardFile, { path: node.path });
          }}
          onDragOver={isDir ? (e) => onDragOver(e, node.path) : undefined}
          onDrop={isDir ? (e) => onDrop(e, node.path) : undefined}
        >
          <span className={`tree-twisty${open ? ' open' : ''}`}>{isDir && <ChevronRightIcon size={12} />}</span>
          <span className="tree-icon">{isDir ? <FolderIcon size={15} /> : <FileIcon size={15} />}</span>
          <span className="tree-name">{node.name}</span>
          <span className="tree-size">{size >= 0 ? formatBytes(size) : ''}</span>
          <span className="tree-actions" onClick={(e) => e.stopPropagation()}>
            {!isDir && (
              <button type="button" className="icon-button" title={`Download ${node.name}`} aria-label={`Download ${node.name}`} data-testid="download-file" onClick={() => void commands.execute(FileCommands.downloadBoardFile, { entry })}>
                <DownloadIcon size={14} />
              </button>
            )}
            <button type="button" className="icon-button" title={`Rename ${node.name}`} aria-label={`Rename ${node.name}`} data-testid="rename-file" onClick={() => void commands.execute(FileCommands.renameBoardFile, { entry })}>
              <EditIcon size={14} />
            </button>
            <button type="button" className="icon-button" title={`Delete ${node.name}`} aria-label={`Delete ${node.name}`} data-testid="delete-file" onClick={() => void commands.execute(FileCommands.deleteBoardFile, { entry })}>
              <TrashIcon size={14} />
            </button>
          </span>
        </div>
        {open && node.children.length > 0 && <ul role="group">{node.children.map((child) => renderNode(child, depth + 1))}</ul>}
      </li>
    );
  };

  return (
    <section className="files-section" aria-label="Files on the board" data-testid="board-files">
      <div className="section-header">
        <span className="section-title" title={`New files and uploads go to ${targetDir}`}>
          On the board
        </span>
        <span className="section-actions">
          <button type="button" className="icon-button" title={`New file in ${targetDir}`} aria-label="New file" data-testid="new-file" onClick={() => void commands.execute(FileCommands.newBoardFile, { dir: targetDir })}>
            <NewFileIcon size={16} />
          </button>
          <button
            type="button"
            className="icon-button"
            title={noFolders ? 'This board has no folders (its firmware lacks os.mkdir)' : `New folder in ${targetDir}`}
            aria-label="New folder"
            data-testid="new-folder"
            disabled={noFolders}
            onClick={() => void commands.execute(FileCommands.newBoardFolder, { dir: targetDir })}
          >
            <NewFolderIcon size={16} />
          </button>
          <button type="button" className="icon-button" title={`Upload files from this computer to ${targetDir}`} aria-label="Upload files" data-testid="upload-files" onClick={() => fileInput.current?.click()}>
            <UploadIcon size={16} />
          </button>
          <button type="button" className="icon-button" title="Refresh" aria-label="Refresh the board's files" disabled={loading} onClick={() => void load()}>
            <RefreshIcon size={16} />
          </button>
        </span>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          data-testid="upload-input"
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = '';
            upload({ files: files.map((file) => ({ relativePath: file.name, file })), dirs: [] }, targetDir);
          }}
        />
      </div>
      <div
        className={`tree-container${dropTarget === '/' ? ' drop-target' : ''}`}
        onDragOver={(e) => onDragOver(e, '/')}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDropTarget(null);
        }}
        onDrop={(e) => onDrop(e, '/')}
        data-testid="board-drop-zone"
      >
        {entries !== null && !error && (
          <p className="files-target" data-testid="files-target" title="Select a folder (or a file in it) to send new files and uploads there">
            New files and uploads go to <code>{targetDir}</code>
          </p>
        )}
        {error ? (
          <p className="tree-note error" role="alert">
            Could not list the board's files: {error}{' '}
            <button type="button" className="link-button" onClick={() => void load()}>
              Try again
            </button>
          </p>
        ) : entries === null ? (
          <p className="tree-note">Reading the board's files…</p>
        ) : tree.length === 0 ? (
          <p className="tree-note">The board has no files yet. Save a buffer, or drop files here to upload them.</p>
        ) : (
          <ul className="tree" role="tree" aria-label="Board files" ref={keyboard.treeRef} onKeyDown={keyboard.onKeyDown}>
            {tree.map((node) => renderNode(node, 0))}
          </ul>
        )}
        <p className="drop-hint">Drop files or folders here to upload them</p>
      </div>
    </section>
  );
}

/** A folder the listing only implies (made up by buildTree), as an entry the actions take. */
function findNode(nodes: readonly TreeNode[], path: string): BoardFileEntryDto | undefined {
  for (const node of nodes) {
    if (node.path === path) return { path: node.path, name: node.name, type: node.type, size: node.size };
    const inside = findNode(node.children, path);
    if (inside) return inside;
  }
  return undefined;
}
