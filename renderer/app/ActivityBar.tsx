/**
 * The strip of view icons on the far left. Clicking an icon opens its view in
 * the side bar; clicking the open one hides the side bar. Arrow keys move
 * between icons (one tab stop for the whole bar), Enter or Space activates.
 */
import './ActivityBar.css';
import { useRef, type KeyboardEvent } from 'react';
import { VIEWS, type ViewId } from './views.js';

interface ActivityBarProps {
  activeView: ViewId;
  sidebarVisible: boolean;
  onSelect(view: ViewId): void;
}

export function ActivityBar({ activeView, sidebarVisible, onSelect }: ActivityBarProps) {
  const buttons = useRef(new Map<ViewId, HTMLButtonElement>());

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    let next = -1;
    if (e.key === 'ArrowDown') next = (index + 1) % VIEWS.length;
    else if (e.key === 'ArrowUp') next = (index - 1 + VIEWS.length) % VIEWS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = VIEWS.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const view = VIEWS[next];
    if (view) buttons.current.get(view.id)?.focus();
  };

  return (
    <nav className="activity-bar" data-testid="activity-bar" aria-label="Views">
      <div role="tablist" aria-orientation="vertical" aria-label="Side bar views" className="activity-items">
        {VIEWS.map((view, index) => {
          const selected = sidebarVisible && view.id === activeView;
          const Icon = view.icon;
          const hint = selected ? `${view.title} (click to hide the side bar)` : view.title;
          return (
            <button
              key={view.id}
              ref={(el) => {
                if (el) buttons.current.set(view.id, el);
                else buttons.current.delete(view.id);
              }}
              type="button"
              role="tab"
              className={`activity-button${selected ? ' active' : ''}`}
              aria-label={view.title}
              aria-selected={selected}
              aria-controls="sidebar"
              data-tooltip={hint}
              data-testid={`activity-${view.id}`}
              tabIndex={view.id === activeView ? 0 : -1}
              onClick={() => onSelect(view.id)}
              onKeyDown={(e) => onKeyDown(e, index)}
            >
              <Icon size={24} />
            </button>
          );
        })}
      </div>
    </nav>
  );
}
