/**
 * Reads something from the host again when its key changes (a topic's newest
 * message seq), no more often than a busy topic needs: its plot, history and
 * message view follow it live without a request per message.
 */
import { useEffect, useState } from 'react';

/** A busy topic's messages are fetched again at most this often. */
const REFRESH_MS = 250;

/** Re-reads `load` when `key` changes, no more often than REFRESH_MS. */
export function useThrottledLoad<T>(load: (() => Promise<T>) | undefined, key: string): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    if (!load) {
      setValue(undefined);
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      load().then(
        (v) => !cancelled && setValue(v),
        () => undefined,
      );
    }, REFRESH_MS / 2);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return value;
}

