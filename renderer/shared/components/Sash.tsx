/**
 * The thin draggable edge between two workbench parts. Dragging resizes the
 * part it belongs to; it is also a focusable separator that arrow keys move,
 * and a double click restores the default size.
 */
import './Sash.css';
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { clampSize, sizeAfterKey, type ArrowKey, type SizeLimits } from '../layout/sizes.js';

interface SashProps {
  /** 'vertical' is a vertical line that changes a width; 'horizontal' changes a height. */
  orientation: 'vertical' | 'horizontal';
  /** Whether dragging towards the end (right or down) makes the part larger (+1) or smaller (-1). */
  direction: 1 | -1;
  size: number;
  limits: SizeLimits;
  label: string;
  onResize(size: number): void;
  onReset?(): void;
  testId?: string;
}

export function Sash({ orientation, direction, size, limits, label, onResize, onReset, testId }: SashProps) {
  const drag = useRef<{ pointerId: number; start: number; startSize: number } | null>(null);
  const coordinate = (e: PointerEvent) => (orientation === 'vertical' ? e.clientX : e.clientY);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { pointerId: e.pointerId, start: coordinate(e), startSize: size };
    // While dragging, the cursor must not flicker over the editor, nor text get selected.
    document.body.classList.add(orientation === 'vertical' ? 'sash-dragging-x' : 'sash-dragging-y');
  };

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const current = drag.current;
    if (!current || current.pointerId !== e.pointerId) return;
    onResize(clampSize(current.startSize + direction * (coordinate(e) - current.start), limits));
  };

  const endDrag = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current || drag.current.pointerId !== e.pointerId) return;
    drag.current = null;
    document.body.classList.remove('sash-dragging-x', 'sash-dragging-y');
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const grow: ArrowKey = orientation === 'vertical' ? (direction === 1 ? 'ArrowRight' : 'ArrowLeft') : direction === 1 ? 'ArrowDown' : 'ArrowUp';
    const next = sizeAfterKey(size, e.key, e.shiftKey, grow, limits);
    if (next === null) return;
    e.preventDefault();
    onResize(next);
  };

  return (
    <div
      className={`sash sash-${orientation}`}
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-valuenow={Math.round(size)}
      aria-valuemin={Math.round(limits.min)}
      aria-valuemax={Math.round(Math.max(limits.min, limits.max))}
      tabIndex={0}
      data-testid={testId}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      onLostPointerCapture={endDrag}
      onDoubleClick={onReset}
      onKeyDown={onKeyDown}
    />
  );
}
