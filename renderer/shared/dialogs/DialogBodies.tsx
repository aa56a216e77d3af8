import { useEffect, useRef, useState, type ReactNode } from 'react';

export interface ChoiceButton<T> {
  label: string;
  value: T;
  kind?: 'primary' | 'danger' | 'plain';
  /** Takes the focus (and so Enter) instead of the primary button: when the primary one would overwrite something. */
  focus?: boolean;
}

export function ChoiceBody<T>({ message, buttons, onAnswer }: { message: ReactNode; buttons: ChoiceButton<T>[]; onAnswer(value: T): void }) {
  const primary = useRef<HTMLButtonElement>(null);
  useEffect(() => primary.current?.focus(), []);
  const focused = buttons.findIndex((b) => b.focus);
  const primaryIndex = focused >= 0 ? focused : Math.max(0, buttons.findIndex((b) => b.kind === 'primary' || b.kind === 'danger'));
  return (
    <>
      <div className="dialog-message">{message}</div>
      <div className="dialog-buttons">
        {buttons.map((b, i) => (
          <button
            key={b.label}
            type="button"
            ref={i === primaryIndex ? primary : undefined}
            className={`button${b.kind === 'primary' ? ' primary' : b.kind === 'danger' ? ' danger' : ''}`}
            onClick={() => onAnswer(b.value)}
          >
            {b.label}
          </button>
        ))}
      </div>
    </>
  );
}

export function PromptBody({
  label,
  initial,
  okLabel,
  validate,
  onAnswer,
}: {
  label: string;
  initial: string;
  okLabel: string;
  validate: ((value: string) => string | null) | undefined;
  onAnswer(value: string | null): void;
}) {
  const [value, setValue] = useState(initial);
  // A problem is said once the person typed or tried OK, not over the text they were just given.
  const [touched, setTouched] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const problem = validate?.(value) ?? null;
  const shownProblem = touched ? problem : null;
  useEffect(() => {
    const el = input.current;
    if (!el) return;
    el.focus();
    // Select the name without its extension, as file managers do when renaming.
    const slash = initial.lastIndexOf('/') + 1;
    const dot = initial.lastIndexOf('.');
    el.setSelectionRange(slash, dot > slash ? dot : initial.length);
  }, [initial]);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!problem) onAnswer(value);
      }}
    >
      <label className="dialog-label">
        <span>{label}</span>
        <input ref={input} className="text-input" value={value} spellCheck={false} onChange={(e) => {
            setValue(e.target.value);
            setTouched(true);
          }}
          data-testid="dialog-input"
          aria-invalid={shownProblem !== null}
        />
      </label>
      <p className="dialog-problem" role="status">
        {shownProblem ?? '\u00a0'}
      </p>
      <div className="dialog-buttons">
        <button type="button" className="button" onClick={() => onAnswer(null)}>
          Cancel
        </button>
        <button type="submit" className="button primary" aria-disabled={problem !== null} title={problem ?? undefined}>
          {okLabel}
        </button>
      </div>
    </form>
  );
}
