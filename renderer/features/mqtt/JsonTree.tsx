/**
 * A JSON payload as a tree: objects and arrays fold, the first levels open.
 * A folded node renders nothing below it and a long array shows its first
 * items with a count of the rest, so a 10 MB message cannot freeze the window.
 */
import { useState } from 'react';
import type { JsonValue } from '../../../electron/common/mqtt/payloads.js';

/** Levels open at first. */
const OPEN_DEPTH = 2;
/** Children shown per object or array before "… N more". */
const SHOWN_CHILDREN = 200;

export function JsonTree({ value }: { value: JsonValue }) {
  return (
    <div className="json-tree" role="tree" aria-label="JSON">
      <JsonNode name={null} value={value} depth={0} />
    </div>
  );
}

function JsonNode({ name, value, depth }: { name: string | null; value: JsonValue; depth: number }) {
  const [open, setOpen] = useState(depth < OPEN_DEPTH);
  const label = name !== null ? <span className="json-key">{name}: </span> : null;
  if (value === null || typeof value !== 'object') {
    const kind = value === null ? 'null' : typeof value;
    return (
      <div className="json-leaf" role="treeitem" aria-level={depth + 1} aria-selected={false} style={{ paddingLeft: depth * 14 + 14 }}>
        {label}
        <span className={`json-${kind}`}>{JSON.stringify(value)}</span>
      </div>
    );
  }
  const entries: [string, JsonValue][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const summary = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  return (
    <div role="treeitem" aria-level={depth + 1} aria-expanded={open} aria-selected={false}>
      <div className="json-branch" style={{ paddingLeft: depth * 14 }} onClick={() => setOpen(!open)}>
        <span className={`topic-twisty${open ? ' open' : ''}`} aria-hidden="true" />
        {label}
        <span className="json-summary">{summary}</span>
      </div>
      {open && (
        <div role="group">
          {entries.slice(0, SHOWN_CHILDREN).map(([k, v]) => (
            <JsonNode key={k} name={k} value={v} depth={depth + 1} />
          ))}
          {entries.length > SHOWN_CHILDREN && (
            <div className="json-more" style={{ paddingLeft: (depth + 1) * 14 + 14 }}>
              … {entries.length - SHOWN_CHILDREN} more
            </div>
          )}
        </div>
      )}
    </div>
  );
}
