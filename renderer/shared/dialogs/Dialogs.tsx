/**
 * Modal questions (confirm a deletion, name a file, save before closing, pick
 * a folder) as promises, so an action reads top to bottom:
 * `if (!(await dialogs.confirm(...))) return;`. One dialog at a time; more wait in line.
 */
import type { ReactNode } from 'react';
import { Observable } from '../util/Observable.js';
import { ChoiceBody, PromptBody, type ChoiceButton } from './DialogBodies.js';

export type { ChoiceButton } from './DialogBodies.js';

export interface OpenDialog {
  readonly id: number;
  readonly title: string;
  /** Builds the body; `close(value)` answers the dialog. */
  readonly render: (close: (value: unknown) => void) => ReactNode;
  /** The answer when the person presses Escape or clicks outside. */
  readonly cancelValue: unknown;
  readonly close: (value: unknown) => void;
  readonly testId: string;
  readonly wide: boolean;
}

export class Dialogs {
  readonly current = new Observable<OpenDialog | null>(null);
  private queue: OpenDialog[] = [];
  private nextId = 1;

  open<T>(title: string, render: (close: (value: T) => void) => ReactNode, cancelValue: T, options: { testId?: string; wide?: boolean } = {}): Promise<T> {
    return new Promise<T>((resolve) => {
      let answered = false;
      const dialog: OpenDialog = {
        id: this.nextId++,
        title,
        testId: options.testId ?? 'dialog',
        wide: options.wide ?? false,
        render: render as (close: (value: unknown) => void) => ReactNode,
        cancelValue,
        close: (value) => {
          if (answered) return;
          answered = true;
          this.queue = this.queue.filter((d) => d !== dialog);
          this.current.set(this.queue[0] ?? null);
          resolve(value as T);
        },
      };
      this.queue.push(dialog);
      if (!this.current.get()) this.current.set(dialog);
    });
  }

  /** Answers the dialog in front as Escape or a click outside it does; nothing happens when none is open. */
  cancel(): void {
    const dialog = this.current.get();
    dialog?.close(dialog.cancelValue);
  }

  /** Buttons in the order shown; the `primary` one takes Enter (unless another asks for the focus). */
  choose<T>(title: string, message: ReactNode, buttons: ChoiceButton<T>[], cancelValue: T, options: { testId?: string; wide?: boolean } = {}): Promise<T> {
    return this.open<T>(title, (close) => <ChoiceBody message={message} buttons={buttons} onAnswer={close} />, cancelValue, { testId: 'dialog-choice', ...options });
  }

  async confirm(title: string, message: ReactNode, confirmLabel: string, danger = false): Promise<boolean> {
    return this.choose(
      title,
      message,
      [
        // A dangerous action is never one Enter away: Cancel takes the focus then.
        { label: 'Cancel', value: false, kind: 'plain', focus: danger },
        { label: confirmLabel, value: true, kind: danger ? 'danger' : 'primary' },
      ],
      false,
    );
  }

  /** Asks for one line of text; null when cancelled. `validate` returns why the text cannot be used, or null. */
  prompt(title: string, label: string, initial: string, options: { okLabel?: string; validate?: (value: string) => string | null } = {}): Promise<string | null> {
    return this.open<string | null>(
      title,
      (close) => <PromptBody label={label} initial={initial} okLabel={options.okLabel ?? 'OK'} validate={options.validate} onAnswer={close} />,
      null,
      { testId: 'dialog-prompt' },
    );
  }
}
