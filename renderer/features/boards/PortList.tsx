/**
 * The boards Pinwheel can talk to: the built-in virtual board and the USB
 * serial ports the host found, by friendly name. The last board used is
 * preselected, listed even when discovery cannot see it, so reconnecting to it
 * is one click; Connect (or a double click) connects the selected one, and a
 * port the list cannot see (a pty, a /dev/serial/by-id link) can be typed in.
 * With the virtual board selected, its firmware can be chosen.
 */
import './PortList.css';
import { useEffect, useState } from 'react';
import { VIRTUAL_BOARD_PATH, type BoardStatus, type PortInfo } from '../../../electron/common/api/contract.js';
import { BOARD_PROFILE_LABELS, type BoardProfileName } from '../../../electron/common/board/boardProfileNames.js';
import { useHostState } from '../../app/HostProvider.js';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import { RefreshIcon, UsbIcon, VirtualBoardIcon } from '../../shared/icons/Icons.js';
import { useObservable } from '../../shared/util/Observable.js';
import { BoardCommands } from './BoardCommands.js';
import { usePorts } from './usePorts.js';
import { PROFILES_WITH_NETWORK } from '../../../electron/common/board/boardProfileNames.js';
import { useVirtualBoardProfile, VirtualBoardFirmware, VirtualBoardNetwork } from './VirtualBoardFirmware.js';

/** Shown when the host lists no virtual board of its own: the simulator needs no hardware. */
const BUILT_IN_VIRTUAL_BOARD: PortInfo = {
  path: VIRTUAL_BOARD_PATH,
  kind: 'virtual',
  friendlyName: 'Virtual board',
  likelyMicroPython: true,
};

export function PortList() {
  const workbench = useWorkbench();
  const hostState = useHostState();
  const status = useObservable(workbench.board.status);
  const { data, error, loading, refresh } = usePorts();
  const serial = (data ?? []).filter((p) => p.kind === 'serial');
  const hostVirtual = (data ?? []).filter((p) => p.kind === 'virtual');
  const virtual = hostVirtual.length > 0 ? hostVirtual : [BUILT_IN_VIRTUAL_BOARD];
  const all = [...virtual, ...serial, ...unlistedPorts([...virtual, ...serial], status)];
  const hostUp = hostState.status === 'connected';
  const [selected, setSelected] = useState<string | null>(null);
  const [otherPath, setOtherPath] = useState('');
  const profile = useVirtualBoardProfile();

  // Preselect the board used last time (remembered by the host), else the virtual board.
  const preferred = status.port?.path ?? status.lastPort;
  const selectedPath = selected ?? (preferred && all.some((p) => p.path === preferred) ? preferred : virtual[0]!.path);
  const selectedPort = all.find((p) => p.path === selectedPath);
  useEffect(() => {
    if (status.state === 'connected' && status.port) setSelected(status.port.path);
  }, [status.state, status.port]);

  const busyConnecting = status.state === 'connecting';
  const connectedHere = status.state === 'connected' && status.port?.path === selectedPath;
  const connect = (port: PortInfo | string) => void workbench.commands.execute(BoardCommands.connect, { port });
  const disconnect = () => void workbench.commands.execute(BoardCommands.disconnect);

  let note: string | null = null;
  if (!hostUp && data === undefined) note = 'USB ports appear here once Pinwheel reaches its host.';
  else if (error) note = `Could not list USB ports: ${error.message}`;
  else if (data === undefined) note = 'Looking for USB ports…';
  else if (serial.length === 0) note = 'No USB serial ports found. Plug in a board and it appears here.';

  const connectReason = !hostUp ? 'The Pinwheel host is not reachable.' : busyConnecting ? 'Connecting…' : !selectedPort ? 'Pick a board first.' : null;

  return (
    <div className="port-list" data-testid="port-list">
      <div className="section-header">
        <span className="section-title">Boards</span>
        <button type="button" className="icon-button" aria-label="Refresh the list of ports" title="Refresh" disabled={!hostUp || loading} onClick={refresh}>
          <RefreshIcon size={16} />
        </button>
      </div>
      <ul className="port-rows" role="listbox" aria-label="Available boards">
        {all.map((port) => (
          <PortRow
            key={port.path}
            port={port}
            selected={port.path === selectedPath}
            connected={status.state === 'connected' && status.port?.path === port.path}
            lastUsed={status.lastPort === port.path}
            profile={profile}
            onSelect={() => setSelected(port.path)}
            onConnect={() => connect(port)}
          />
        ))}
        {note && (
          <li className={`port-note${error ? ' error' : ''}`} data-testid="port-note" role="presentation">
            {note}
          </li>
        )}
      </ul>
      {selectedPort?.kind === 'virtual' && <VirtualBoardFirmware profile={profile} />}
      {selectedPort?.kind === 'virtual' && profile && PROFILES_WITH_NETWORK.includes(profile) && <VirtualBoardNetwork />}
      <div className="port-actions">
        {connectedHere ? (
          <button type="button" className="button" data-testid="disconnect-button" onClick={disconnect}>
            Disconnect
          </button>
        ) : (
          <button
            type="button"
            className="button primary"
            data-testid="connect-button"
            aria-disabled={connectReason !== null}
            title={connectReason ?? (selectedPort ? `Connect to ${selectedPort.friendlyName}` : undefined)}
            onClick={() => {
              if (connectReason === null && selectedPort) connect(selectedPort);
            }}
          >
            {selectedPort && status.state === 'connected' ? `Switch to ${shortName(selectedPort)}` : 'Connect'}
          </button>
        )}
        {(status.state === 'lost' || status.state === 'connecting') && !connectedHere && (
          <button type="button" className="button" data-testid="stop-waiting-button" onClick={disconnect} title="Stop connecting or waiting for the board to come back">
            {status.state === 'lost' ? 'Stop waiting' : 'Cancel'}
          </button>
        )}
      </div>
      <ConnectionNote />
      <details className="port-other">
        <summary>Other port…</summary>
        <form
          className="port-other-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (otherPath.trim() && hostUp) connect(otherPath.trim());
          }}
        >
          <input
            className="text-input"
            placeholder="/dev/ttyUSB0 or COM3"
            aria-label="Serial port path"
            data-testid="other-port-input"
            value={otherPath}
            spellCheck={false}
            onChange={(e) => setOtherPath(e.target.value)}
          />
          <button type="submit" className="button small" data-testid="other-port-connect" aria-disabled={!otherPath.trim() || !hostUp}>
            Connect
          </button>
        </form>
      </details>
    </div>
  );
}

/**
 * Ports discovery does not list (a pty, a typed path, a /dev/serial/by-id
 * link) but the person is using or used last: without these rows the board
 * remembered by the host, or the lost one being waited for, could not be
 * picked again with a click and had to be typed in again.
 */
export function unlistedPorts(listed: readonly PortInfo[], status: BoardStatus): PortInfo[] {
  const extra: PortInfo[] = [];
  const known = (path: string) => listed.some((p) => p.path === path) || extra.some((p) => p.path === path);
  if (status.port && status.port.kind !== 'virtual' && status.state !== 'disconnected' && !known(status.port.path)) extra.push(status.port);
  const last = status.lastPort;
  if (last && last !== VIRTUAL_BOARD_PATH && !known(last)) extra.push({ path: last, kind: 'serial', friendlyName: 'Last used board', likelyMicroPython: false });
  return extra;
}

function shortName(port: PortInfo): string {
  return port.kind === 'virtual' ? 'virtual board' : port.path;
}

/** What the connection is doing now, when it is not simply connected. */
function ConnectionNote() {
  const workbench = useWorkbench();
  const status = useObservable(workbench.board.status);
  const name = status.port?.friendlyName ?? status.port?.path ?? 'the board';
  let text: string | null = null;
  let kind = '';
  if (status.state === 'connecting') text = status.reconnecting ? `Reconnecting to ${name}…` : `Connecting to ${name}…`;
  else if (status.state === 'lost') {
    kind = ' warning';
    text = `${name} was lost. ${status.error ?? ''}${status.reconnecting ? ' Pinwheel reconnects when it comes back.' : ''}`;
  } else if (status.state === 'disconnected' && status.error) {
    kind = ' error';
    text = status.error;
  }
  if (!text) return null;
  return (
    <p className={`connection-note${kind}`} data-testid="connection-note" role="status">
      {text}
    </p>
  );
}

interface PortRowProps {
  port: PortInfo;
  selected: boolean;
  connected: boolean;
  lastUsed: boolean;
  /** The firmware the virtual board imitates, for its row. */
  profile: BoardProfileName | undefined;
  onSelect(): void;
  onConnect(): void;
}

function PortRow({ port, selected, connected, lastUsed, profile, onSelect, onConnect }: PortRowProps) {
  const isVirtual = port.kind === 'virtual';
  const simulated = `Simulated ${profile ? BOARD_PROFILE_LABELS[profile] : 'board'}`;
  return (
    <li
      className={`port-row${selected ? ' selected' : ''}`}
      role="option"
      aria-selected={selected}
      tabIndex={selected ? 0 : -1}
      data-testid="port-row"
      data-port-path={port.path}
      onClick={onSelect}
      onDoubleClick={onConnect}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onConnect();
      }}
    >
      <span className="port-icon">{isVirtual ? <VirtualBoardIcon size={18} /> : <UsbIcon size={18} />}</span>
      <span className="port-text">
        <span className="port-name" title={isVirtual ? `${port.friendlyName}: a simulated board, no hardware needed` : `${port.friendlyName} on ${port.path}`}>
          {isVirtual ? 'Virtual board' : port.friendlyName}
        </span>
        <span className="port-detail">
          <span className="port-detail-text">{isVirtual ? simulated : port.path}</span>
          {!isVirtual && port.likelyMicroPython && <span className="badge">MicroPython</span>}
        </span>
      </span>
      {connected ? (
        <span className="badge success" data-testid="port-connected-badge">
          connected
        </span>
      ) : lastUsed ? (
        <span className="badge muted">last used</span>
      ) : null}
    </li>
  );
}
