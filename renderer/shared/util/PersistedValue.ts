/**
 * An Observable that remembers its value across reloads (layout sizes, the
 * open view) in localStorage. `isValid` guards against values written by an
 * older version of the app.
 */
import { Observable } from './Observable.js';

const STORAGE_PREFIX = 'pinwheel.';

function read<T>(key: string, fallback: T, isValid: (value: unknown) => value is T): T {
  try {
    const raw = window.localStorage.getItem(STORAGE_PREFIX + key);
    if (raw === null) return fallback;
    const value: unknown = JSON.parse(raw);
    return isValid(value) ? value : fallback;
  } catch {
    // Storage can be disabled or full (private windows, some file:// loads); the default is fine then.
    return fallback;
  }
}

export class PersistedValue<T> extends Observable<T> {
  constructor(
    private readonly key: string,
    fallback: T,
    isValid: (value: unknown) => value is T,
  ) {
    super(read(key, fallback, isValid));
  }

  override set(value: T): void {
    super.set(value);
    try {
      window.localStorage.setItem(STORAGE_PREFIX + this.key, JSON.stringify(value));
    } catch {
      // Not being able to remember a layout size is not worth interrupting anyone for.
    }
  }
}

export const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
export const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
