/**
 * Runs one API call whenever the host becomes reachable (first connect and
 * every reconnect) and keeps its latest answer, so views show fresh data after
 * the host restarts without each of them watching the connection.
 */
import { useCallback, useEffect, useState } from 'react';
import type { CallName, CallParams, CallResult, EventName, EventPayload } from '../../electron/common/api/contract.js';
import { useApi, useHostState } from './HostProvider.js';

export interface ApiQuery<T> {
  /** The last successful answer; kept across disconnects so views do not flicker empty. */
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  refresh(): void;
  /** Replaces the answer, e.g. with the payload of an event that carries the new value. */
  set(value: T): void;
}

export function useApiQuery<K extends CallName>(method: K, params: CallParams<K>): ApiQuery<CallResult<K>> {
  const api = useApi();
  const connected = useHostState().status === 'connected';
  const [data, setData] = useState<CallResult<K> | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [generation, setGeneration] = useState(0);
  // Params are plain JSON; compare them by value so an inline `{}` does not refetch every render.
  const paramsKey = JSON.stringify(params);

  useEffect(() => {
    if (!connected) return;
    const controller = new AbortController();
    setLoading(true);
    api
      .call(method, JSON.parse(paramsKey) as CallParams<K>, { signal: controller.signal })
      .then(
        (value) => {
          setData(value);
          setError(undefined);
        },
        (err: unknown) => {
          if (!controller.signal.aborted) setError(err instanceof Error ? err : new Error(String(err)));
        },
      )
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [api, connected, method, paramsKey, generation]);

  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, refresh, set: setData };
}

/**
 * useApiQuery kept current by an event that carries the same value as the
 * call's answer (e.g. `vboard.parts`), between fetches.
 */
export function useLiveApiQuery<K extends CallName, E extends EventName>(
  method: K,
  params: CallParams<K>,
  event: E & (EventPayload<E> extends CallResult<K> ? unknown : never),
): CallResult<K> | undefined {
  const api = useApi();
  const query = useApiQuery(method, params);
  const { set } = query;
  useEffect(() => {
    const subscription = api.on(event, (value) => set(value as CallResult<K>));
    return () => subscription.dispose();
  }, [api, set, event]);
  return query.data;
}
