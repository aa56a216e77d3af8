/**
 * Hands the host connection to React: `useApi()` for calls and events,
 * `useHostState()` to show whether the host is reachable.
 */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { ApiClient } from '../../electron/common/api/client.js';
import type { HostConnection, HostState } from './HostConnection.js';

const HostContext = createContext<HostConnection | null>(null);

export function HostProvider({ connection, children }: { connection: HostConnection; children: ReactNode }) {
  return <HostContext.Provider value={connection}>{children}</HostContext.Provider>;
}

export function useHostConnection(): HostConnection {
  const connection = useContext(HostContext);
  if (!connection) throw new Error('useHostConnection() needs a <HostProvider> above it.');
  return connection;
}

export function useApi(): ApiClient {
  return useHostConnection().api;
}

export function useHostState(): HostState {
  const connection = useHostConnection();
  return useSyncExternalStore(
    (onChange) => connection.onDidChangeState(onChange),
    () => connection.state,
  );
}
