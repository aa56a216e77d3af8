/**
 * The boards Pinwheel can talk to: USB serial ports from the host plus the
 * built-in virtual board. Connecting is not wired yet, so each row's button
 * says so instead of pretending to work.
 */
import type { PortInfo } from '../../../electron/common/api/contract.js';
import { useHostState } from '../../app/HostProvider.js';
import { RefreshIcon, UsbIcon, VirtualBoardIcon } from '../../shared/icons/Icons.js';
import { usePorts } from './usePorts.js';

export const CONNECT_UNAVAILABLE_HINT = 'Connecting to a board arrives in a coming version of Pinwheel.';

/** Shown when the host lists no virtual board of its own: the simulator needs no hardware. */
const BUILT_IN_VIRTUAL_BOARD: PortInfo = {
  path: 'virtual:esp32',
  kind: 'virtual',
  friendlyName: 'Virtual board',
  likelyMicroPython: true,
};

export function PortList() {
  const hostState = useHostState();
  const { data, error, loading, refresh } = usePorts();
  const serial = (data ?? []).filter((p) => p.kind === 'serial');
  const hostVirtual = (data ?? []).filter((p) => p.kind === 'virtual');
  const virtual = hostVirtual.length > 0 ? hostVirtual : [BUILT_IN_VIRTUAL_BOARD];
  const connected = hostState.status === 'connected';

  let note: string | null = null;
  if (!connected && data === undefined) note = 'USB ports appear here once Pinwheel reaches its host.';
  else if (error) note = `Could not list USB ports: ${error.message}`;
  else if (data === undefined) note = 'Looking for USB ports…';
  else if (serial.length === 0) note = 'No USB serial ports found. Plug in a board and it appears here.';

  return (
    <div className="port-list" data-testid="port-list">
      <div className="section-header">
        <span className="section-title">Boards</span>
        <button
          type="button"
          className="icon-button"
          aria-label="Refresh the list of ports"
          title="Refresh"
          disabled={!connected || loading}
          onClick={refresh}
        >
          <RefreshIcon size={16} />
        </button>
      </div>
      <ul className="port-rows" aria-label="Available boards">
        {serial.map((port) => (
          <PortRow key={port.path} port={port} />
        ))}
        {note && (
          <li className={`port-note${error ? ' error' : ''}`} data-testid="port-note">
            {note}
          </li>
        )}
        {virtual.map((port) => (
          <PortRow key={port.path} port={port} />
        ))}
      </ul>
    </div>
  );
}

function PortRow({ port }: { port: PortInfo }) {
  const isVirtual = port.kind === 'virtual';
  return (
    <li className="port-row" data-testid="port-row" data-port-path={port.path}>
      <span className="port-icon">{isVirtual ? <VirtualBoardIcon size={18} /> : <UsbIcon size={18} />}</span>
      <span className="port-text">
        <span className="port-name" title={isVirtual ? `${port.friendlyName}: a simulated ESP32, no hardware needed` : `${port.friendlyName} on ${port.path}`}>
          {port.friendlyName}
        </span>
        <span className="port-detail">
          <span className="port-detail-text">{isVirtual ? 'Simulated ESP32' : port.path}</span>
          {!isVirtual && port.likelyMicroPython && <span className="badge">MicroPython</span>}
        </span>
      </span>
      {/* aria-disabled, not disabled: a disabled button gets no hover, so its tooltip would never show. */}
      <button
        type="button"
        className="button small"
        aria-disabled="true"
        title={CONNECT_UNAVAILABLE_HINT}
        aria-label={`Connect to ${port.friendlyName} (not available yet)`}
        onClick={(e) => e.preventDefault()}
      >
        Connect
      </button>
    </li>
  );
}
