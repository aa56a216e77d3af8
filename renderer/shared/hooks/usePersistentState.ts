import { useCallback, useState } from 'react';

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

/**
 * useState that remembers its value across reloads (layout sizes, the open view).
 * `isValid` guards against values from an older version of the app.
 */
export function usePersistentState<T>(key: string, fallback: T, isValid: (value: unknown) => value is T): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(() => read(key, fallback, isValid));
  const update = useCallback(
    (next: T) => {
      setValue(next);
      try {
        window.localStorage.setItem(STORAGE_PREFIX + key, JSON.stringify(next));
      } catch {
        // Not being able to remember a layout size is not worth interrupting anyone for.
      }
    },
    [key],
  );
  return [value, update];
}

export const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
export const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
