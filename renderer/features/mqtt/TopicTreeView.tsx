/**
 * The topic tree, virtualized twice over: only the rows in view (plus a few)
 * are in the DOM, and only those come from the tree's worker (see
 * tree/treeProtocol.ts), so 100,000 topics scroll as smoothly as ten and the
 * page holds a screenful of rows, not the tree. ARIA tree semantics: role
 * tree, a treeitem per shown level, arrow keys move, Right/Left expand and
 * collapse, as in a file tree; keys are handled in order, each after the
 * worker answered the one before.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import { useObservable } from '../../shared/util/Observable.js';
import type { MqttExplorer } from './MqttExplorer.js';
import type { TreeRowDto } from './tree/treeProtocol.js';
import { previewText, rateText } from './topicText.js';

const ROW_HEIGHT_PX = 22;
/** Rows asked for above and below the visible ones, so a fast scroll shows no gap while the worker answers. */
const OVERSCAN_ROWS = 10;
/** The first row asked for moves in steps of this many rows, not one per scrolled pixel. */
const VIEWPORT_STEP_ROWS = 5;

const NAV_KEYS = new Set(['ArrowDown', 'ArrowUp', 'PageDown', 'PageUp', 'Home', 'End', 'ArrowRight', 'ArrowLeft', 'Enter']);

export function TopicTreeView({ explorer, filter }: { explorer: MqttExplorer; filter: string }) {
  const workbench = useWorkbench();
  const frame = useObservable(explorer.tree.frame);
  const connectionId = useObservable(explorer.activeConnectionId);
  const selected = useObservable(explorer.selectedTopic);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const listRef = useRef<HTMLDivElement>(null);
  const keys = useRef<Promise<void>>(Promise.resolve());
  const wanted = filter.trim();

  const visibleFirst = Math.floor(scrollTop / ROW_HEIGHT_PX);
  const first = Math.max(0, Math.floor(visibleFirst / VIEWPORT_STEP_ROWS) * VIEWPORT_STEP_ROWS - OVERSCAN_ROWS);
  const count = Math.ceil(height / ROW_HEIGHT_PX) + 2 * OVERSCAN_ROWS + VIEWPORT_STEP_ROWS;
  useEffect(() => explorer.tree.setViewport({ connectionId, filter: wanted, first, count }), [explorer, connectionId, wanted, first, count]);
  // Out of sight, frames carry no rows.
  useEffect(() => () => explorer.tree.setViewport({ ...explorer.tree.currentViewport, count: 0 }), [explorer]);

  useEffect(() => {
    const element = listRef.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    setHeight(element.clientHeight);
    return () => observer.disconnect();
  }, []);

  // The frame's rows, when they answer this connection and filter (while typing, the last ones stay until the worker answers).
  const current = frame.viewport.connectionId === connectionId;
  const rowCount = current ? frame.rowCount : 0;
  const rowsFirst = frame.viewport.first;
  const rows = current ? frame.rows : [];
  const selectedIndex = rows.findIndex((r) => r.path === selected);

  /** A row by index: from the frame when it has it, else asked of the worker. */
  const rowAt = async (index: number): Promise<TreeRowDto | undefined> => {
    const latest = explorer.tree.frame.get();
    const at = index - latest.viewport.first;
    if (latest.viewport.connectionId === connectionId && latest.viewport.filter === wanted && at >= 0 && at < latest.rows.length) return latest.rows[at];
    return connectionId === null ? undefined : explorer.tree.rowAt(connectionId, wanted, index);
  };

  const indexOf = async (path: string | null): Promise<number> => {
    if (path === null || connectionId === null) return -1;
    const latest = explorer.tree.frame.get();
    if (latest.viewport.connectionId === connectionId && latest.viewport.filter === wanted) {
      const at = latest.rows.findIndex((r) => r.path === path);
      if (at !== -1) return latest.viewport.first + at;
    }
    return explorer.tree.indexOf(connectionId, wanted, path);
  };

  const toggle = async (row: TreeRowDto, expanded?: boolean): Promise<void> => {
    if (connectionId === null || !row.hasChildren) return;
    await explorer.tree.expand(connectionId, row.path, expanded ?? !row.expanded);
  };

  const select = async (index: number): Promise<void> => {
    const row = index < 0 ? undefined : await rowAt(index);
    if (!row) return;
    explorer.selectedTopic.set(row.path);
    const list = listRef.current;
    if (!list) return;
    const top = index * ROW_HEIGHT_PX;
    if (top < list.scrollTop) list.scrollTop = top;
    else if (top + ROW_HEIGHT_PX > list.scrollTop + list.clientHeight) list.scrollTop = top + ROW_HEIGHT_PX - list.clientHeight;
  };

  const handleKey = async (key: string): Promise<void> => {
    const total = explorer.tree.frame.get().rowCount;
    if (total === 0) return;
    const index = await indexOf(explorer.selectedTopic.get());
    if (index === -1) return select(key === 'End' ? total - 1 : 0);
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT_PX) - 1);
    const row = await rowAt(index);
    switch (key) {
      case 'ArrowDown':
        return select(Math.min(total - 1, index + 1));
      case 'ArrowUp':
        return select(Math.max(0, index - 1));
      case 'PageDown':
        return select(Math.min(total - 1, index + page));
      case 'PageUp':
        return select(Math.max(0, index - page));
      case 'Home':
        return select(0);
      case 'End':
        return select(total - 1);
      case 'ArrowRight':
        if (row?.hasChildren && !row.expanded) return toggle(row, true);
        return select(Math.min(total - 1, index + 1));
      case 'ArrowLeft':
        if (row?.expanded) return toggle(row, false);
        // The parent level: the path without its last level.
        if (row && row.depth > 0) return select(await indexOf(row.path.slice(0, row.path.length - row.name.length - 1)));
        return;
      case 'Enter':
        if (row) return toggle(row);
    }
  };

  /** Keys and clicks run in order, each after the worker answered the one before. */
  const queue = (work: () => Promise<void>) => {
    keys.current = keys.current.then(work).catch((err: unknown) => {
      workbench.notifications.error('The topic tree did not answer', err);
    });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (!NAV_KEYS.has(event.key)) return;
    event.preventDefault();
    const { key } = event;
    queue(() => handleKey(key));
  };

  if (connectionId === null) return null;
  return (
    <div
      ref={listRef}
      className="topic-tree"
      role="tree"
      aria-label="Topics"
      aria-multiselectable="false"
      tabIndex={0}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
      aria-activedescendant={selectedIndex >= 0 ? `topic-row-${rowsFirst + selectedIndex}` : undefined}
    >
      {current && rowCount === 0 && <p className="topic-tree-empty">{wanted ? `No topic matches "${wanted}".` : 'No messages yet. They appear here as they arrive.'}</p>}
      <div className="topic-tree-spacer" style={{ height: rowCount * ROW_HEIGHT_PX }}>
        {rows.map((row, i) => {
          const index = rowsFirst + i;
          const summary = row.summary;
          return (
            <div
              key={row.path}
              id={`topic-row-${index}`}
              className={`topic-row${row.path === selected ? ' selected' : ''}`}
              role="treeitem"
              aria-level={row.depth + 1}
              aria-expanded={row.hasChildren ? row.expanded : undefined}
              aria-selected={row.path === selected}
              aria-label={row.name === '' ? '(empty level)' : row.name}
              data-topic={row.path}
              style={{ top: index * ROW_HEIGHT_PX, paddingLeft: 4 + row.depth * 14 }}
              onClick={() => queue(() => select(index))}
              onDoubleClick={() => queue(() => toggle(row))}
            >
              <span
                className={`topic-twisty${row.hasChildren ? (row.expanded ? ' open' : '') : ' leaf'}`}
                aria-hidden="true"
                onClick={(e) => {
                  e.stopPropagation();
                  queue(() => toggle(row));
                }}
              />
              <span className={`topic-name${row.name === '' ? ' empty' : ''}`}>{row.name === '' ? '(empty)' : <NameWithMatch row={row} />}</span>
              {summary && <span className="topic-value">{previewText(summary)}</span>}
              {summary?.retained && (
                <span className="topic-flag" title="The broker keeps this message (retained)">
                  R
                </span>
              )}
              <span
                className="topic-count"
                title={`${row.messages.toLocaleString()} ${row.messages === 1 ? 'message' : 'messages'}${row.hasChildren ? ` in ${row.topics.toLocaleString()} ${row.topics === 1 ? 'topic' : 'topics'}` : ''}`}
              >
                {row.rate > 0 && <span className="topic-rate">{rateText(row.rate)}</span>}
                {row.messages.toLocaleString()}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** The level's name with the part the filter matched marked (offsets are into the whole path). */
function NameWithMatch({ row }: { row: TreeRowDto }) {
  const { match } = row;
  const nameStart = row.path.length - row.name.length;
  if (!match || match.end <= nameStart) return <>{row.name}</>;
  const from = Math.max(0, match.start - nameStart);
  const to = match.end - nameStart;
  return (
    <>
      {row.name.slice(0, from)}
      <mark className="topic-match">{row.name.slice(from, to)}</mark>
      {row.name.slice(to)}
    </>
  );
}
