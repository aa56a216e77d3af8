/**
 * A strip across the top of the workbench when the page can never reach its
 * host (no access token, or not served by a Pinwheel host): the status bar's
 * tooltip alone is too easy to miss for the one thing that blocks everything.
 */
import { useHostState } from './HostProvider.js';

export function HostNotice() {
  const state = useHostState();
  if (state.status !== 'disconnected' || state.retryInMs !== null) return null;
  return (
    <div className="host-notice" role="alert" data-testid="host-notice">
      {state.reason}
    </div>
  );
}
