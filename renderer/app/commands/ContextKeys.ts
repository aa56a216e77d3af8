/**
 * Named yes/no facts about the workbench ("dialogOpen") that a keybinding's
 * `when` clause tests, so the table can say "not while a dialog is open"
 * without the key handler knowing where dialogs live.
 */
import type { Disposable } from './CommandRegistry.js';

const KEY_NAME = /^[A-Za-z][\w.]*$/;

/** One term of a `when` clause: a key, or its negation. */
interface Term {
  readonly key: string;
  readonly negated: boolean;
}

/**
 * Parses a `when` clause: a key, `!key`, or terms joined by `&&`. Anything
 * else throws, so a clause the matcher could not honour is found when the
 * table is read, not when the key is pressed.
 */
export function parseWhen(when: string): readonly Term[] {
  return when.split('&&').map((raw) => {
    const text = raw.trim();
    const negated = text.startsWith('!');
    const key = negated ? text.slice(1).trim() : text;
    if (!KEY_NAME.test(key)) throw new Error(`Cannot read the when clause "${when}": use key, !key and &&.`);
    return { key, negated };
  });
}

export class ContextKeys {
  private readonly keys = new Map<string, () => boolean>();
  private readonly reported = new Set<string>();

  /** `onUnknown` hears (once per key) about clauses naming a key nobody defined: a typo would otherwise disable a shortcut silently. */
  constructor(private readonly onUnknown: (key: string) => void = () => {}) {}

  /** Defines `key` as whatever `read` returns at the moment a clause is tested. */
  define(key: string, read: () => boolean): Disposable {
    if (!KEY_NAME.test(key)) throw new Error(`"${key}" is not a valid context key name.`);
    if (this.keys.has(key)) throw new Error(`The context key "${key}" is defined twice.`);
    this.keys.set(key, read);
    return {
      dispose: () => {
        if (this.keys.get(key) === read) this.keys.delete(key);
      },
    };
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** An undefined key reads as false. */
  get(key: string): boolean {
    const read = this.keys.get(key);
    if (!read) {
      if (!this.reported.has(key)) {
        this.reported.add(key);
        this.onUnknown(key);
      }
      return false;
    }
    return read();
  }

  /** Whether a `when` clause holds now; no clause always holds. */
  matches(when: string | undefined): boolean {
    if (when === undefined) return true;
    return parseWhen(when).every((term) => this.get(term.key) !== term.negated);
  }
}
