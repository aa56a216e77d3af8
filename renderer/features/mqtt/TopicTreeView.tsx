/**
 * The topic tree, virtualized: only the rows in view (plus a few) are in the
 * DOM, so 100,000 topics scroll as smoothly as ten. Rows are recomputed when
 * the tree's version or the filter changes, at most once per animation frame.
 * ARIA tree semantics: role tree, a treeitem per shown level, arrow keys move,
 * Right/Left expand and collapse, as in a file tree.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useObservable } from '../../shared/util/Observable.js';
import type { MqttExplorer } from './MqttExplorer.js';
import type { TopicRow } from './TopicTree.js';
import { previewText, rateText } from './topicText.js';

const ROW_HEIGHT_PX = 22;
/** Rows rendered above and below the visible ones, so a fast scroll shows no gap. */
const OVERSCAN_ROWS = 10;

export function TopicTreeView({ explorer, filter }: { explorer: MqttExplorer; filter: string }) {
  const version = useObservable(explorer.treeVersion);
  const connectionId = useObservable(explorer.activeConnectionId);
  const selected = useObservable(explorer.selectedTopic);
  const [expandVersion, setExpandVersion] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const listRef = useRef<HTMLDivElement>(null);
  const tree = connectionId === null ? undefined : explorer.tree(connectionId);

  const rows: TopicRow[] = useMemo(
    () => tree?.rows(filter.trim()) ?? [],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [tree, version, expandVersion, filter],
  );

  useEffect(() => {
    const element = listRef.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    setHeight(element.clientHeight);
    return () => observer.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT_PX) - OVERSCAN_ROWS);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT_PX) + OVERSCAN_ROWS);
  const selectedIndex = rows.findIndex((r) => r.node.path === selected);

  const toggle = useCallback(
    (row: TopicRow, expanded?: boolean) => {
      if (!tree || !row.hasChildren) return;
      tree.setExpanded(row.node.path, expanded ?? !row.expanded);
      setExpandVersion((v) => v + 1);
    },
    [tree],
  );

  const select = useCallback(
    (index: number) => {
      const row = rows[index];
      if (!row) return;
      explorer.selectedTopic.set(row.node.path);
      const list = listRef.current;
      if (!list) return;
      const top = index * ROW_HEIGHT_PX;
      if (top < list.scrollTop) list.scrollTop = top;
      else if (top + ROW_HEIGHT_PX > list.scrollTop + list.clientHeight) list.scrollTop = top + ROW_HEIGHT_PX - list.clientHeight;
    },
    [rows, explorer],
  );

  const onKeyDown = (event: KeyboardEvent) => {
    const row = rows[selectedIndex];
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT_PX) - 1);
    const moves: Record<string, () => void> = {
      ArrowDown: () => select(Math.min(rows.length - 1, selectedIndex + 1)),
      ArrowUp: () => select(Math.max(0, selectedIndex - 1)),
      PageDown: () => select(Math.min(rows.length - 1, selectedIndex + page)),
      PageUp: () => select(Math.max(0, selectedIndex - page)),
      Home: () => select(0),
      End: () => select(rows.length - 1),
      ArrowRight: () => {
        if (row && row.hasChildren && !row.expanded) toggle(row, true);
        else select(selectedIndex + 1);
      },
      ArrowLeft: () => {
        if (row && row.expanded) toggle(row, false);
        else if (row?.node.parent && row.node.parent !== tree?.root) select(rows.findIndex((r) => r.node === row.node.parent));
      },
      Enter: () => row && toggle(row),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    if (selectedIndex === -1 && rows.length > 0 && event.key !== 'End') select(0);
    else move();
  };

  if (!tree) return null;
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
      aria-activedescendant={selectedIndex >= 0 ? `topic-row-${selectedIndex}` : undefined}
    >
      {rows.length === 0 && <p className="topic-tree-empty">{filter.trim() ? `No topic matches "${filter.trim()}".` : 'No messages yet. They appear here as they arrive.'}</p>}
      <div className="topic-tree-spacer" style={{ height: rows.length * ROW_HEIGHT_PX }}>
        {rows.slice(first, last).map((row, i) => {
          const index = first + i;
          const { node } = row;
          const summary = node.summary;
          return (
            <div
              key={node.path}
              id={`topic-row-${index}`}
              className={`topic-row${node.path === selected ? ' selected' : ''}`}
              role="treeitem"
              aria-level={row.depth + 1}
              aria-expanded={row.hasChildren ? row.expanded : undefined}
              aria-selected={node.path === selected}
              aria-label={node.name === '' ? '(empty level)' : node.name}
              data-topic={node.path}
              style={{ top: index * ROW_HEIGHT_PX, paddingLeft: 4 + row.depth * 14 }}
              onClick={() => select(index)}
              onDoubleClick={() => toggle(row)}
            >
              <span
                className={`topic-twisty${row.hasChildren ? (row.expanded ? ' open' : '') : ' leaf'}`}
                aria-hidden="true"
                onClick={(e) => {
                  e.stopPropagation();
                  toggle(row);
                }}
              />
              <span className={`topic-name${node.name === '' ? ' empty' : ''}`}>{node.name === '' ? '(empty)' : <NameWithMatch row={row} />}</span>
              {summary && <span className="topic-value">{previewText(summary)}</span>}
              {summary?.retained && (
                <span className="topic-flag" title="The broker keeps this message (retained)">
                  R
                </span>
              )}
              <span
                className="topic-count"
                title={`${node.messages.toLocaleString()} ${node.messages === 1 ? 'message' : 'messages'}${row.hasChildren ? ` in ${node.topics.toLocaleString()} ${node.topics === 1 ? 'topic' : 'topics'}` : ''}`}
              >
                {node.rate > 0 && <span className="topic-rate">{rateText(node.rate)}</span>}
                {node.messages.toLocaleString()}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** The level's name with the part the filter matched marked (offsets are into the whole path). */
function NameWithMatch({ row }: { row: TopicRow }) {
  const { node, match } = row;
  const nameStart = node.path.length - node.name.length;
  if (!match || match.end <= nameStart) return <>{node.name}</>;
  const from = Math.max(0, match.start - nameStart);
  const to = match.end - nameStart;
  return (
    <>
      {node.name.slice(0, from)}
      <mark className="topic-match">{node.name.slice(from, to)}</mark>
      {node.name.slice(to)}
    </>
  );
}
