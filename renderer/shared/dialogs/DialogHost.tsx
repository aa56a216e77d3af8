import { useEffect } from 'react';
import { useObservable } from '../util/Observable.js';
import type { Dialogs } from './Dialogs.js';

/** Shows the dialog at the front of the line over a dimmed workbench; Escape cancels it. */
export function DialogHost({ dialogs }: { dialogs: Dialogs }) {
  const dialog = useObservable(dialogs.current);

  useEffect(() => {
    if (!dialog) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopPropagation();
      dialog.close(dialog.cancelValue);
    };
    // Capture phase: Monaco and xterm would otherwise take Escape first.
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [dialog]);

  if (!dialog) return null;
  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) dialog.close(dialog.cancelValue);
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
