import './dialogs.css';
import { useObservable } from '../util/Observable.js';
import type { Dialogs } from './Dialogs.js';

/**
 * Shows the dialog at the front of the line over a dimmed workbench; a click
 * outside it cancels it, and so does Escape (a binding in the workbench's
 * keybinding table, so it runs ahead of Monaco and xterm).
 */
export function DialogHost({ dialogs }: { dialogs: Dialogs }) {
  const dialog = useObservable(dialogs.current);
  if (!dialog) return null;
  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) dialogs.cancel();
      }}
    >
      <div className={`dialog${dialog.wide ? ' wide' : ''}`} role="dialog" aria-modal="true" aria-labelledby={`dialog-title-${dialog.id}`} data-testid={dialog.testId}>
        <h2 className="dialog-title" id={`dialog-title-${dialog.id}`}>
          {dialog.title}
        </h2>
        {/* Keyed so a second dialog in line starts with fresh state. */}
        <div key={dialog.id} className="dialog-body">
          {dialog.render(dialog.close)}
        </div>
      </div>
    </div>
  );
}
