import { useEffect } from 'react';
import type { PortInfo } from '../../../electron/common/api/contract.js';
import { useApi } from '../../app/HostProvider.js';
import { useApiQuery, type ApiQuery } from '../../app/useApiQuery.js';

/** The host's list of boards to connect to, kept current by `ports.changed` (plugging a board in or out). */
export function usePorts(): ApiQuery<PortInfo[]> {
  const api = useApi();
  const query = useApiQuery('ports.list', {});
  const { set } = query;
  useEffect(() => {
    const subscription = api.on('ports.changed', ({ ports }) => set(ports));
    return () => subscription.dispose();
  }, [api, set]);
  return query;
}
