/**
 * The board's part of the status bar: connection state and port, then (when
 * connected) machine, MicroPython version, free memory and free storage. A
 * lost board shows at once, highlighted, with what Pinwheel is doing about it.
 * For the virtual board, its LED, so a program switching it is seen from any view.
 */
import './BoardStatusItems.css';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import { UsbIcon, VirtualBoardIcon } from '../../shared/icons/Icons.js';
import { formatBytes } from '../../../electron/common/util/format.js';
import { useObservable } from '../../shared/util/Observable.js';

export function BoardStatusItems() {
  const workbench = useWorkbench();
  const status = useObservable(workbench.board.status);
  const pins = useObservable(workbench.board.pins);
  const ledPin = useObservable(workbench.board.ledPin);
  const port = status.port;
  const portName = port ? (port.kind === 'virtual' ? 'Virtual board' : port.path) : null;
  const Icon = port?.kind === 'virtual' ? VirtualBoardIcon : UsbIcon;

  let text: string;
  let tooltip: string;
  switch (status.state) {
    case 'connected':
      text = portName ?? 'Board';
      tooltip = `Connected to ${port?.friendlyName ?? 'a board'}${port && port.kind !== 'virtual' ? ` on ${port.path}` : ''}.`;
      break;
    case 'connecting':
      text = `${status.reconnecting ? 'Reconnecting' : 'Connecting'} to ${portName ?? 'board'}…`;
      tooltip = 'Waiting for the board to answer. Cancel from the progress card or the Files view.';
      break;
    case 'lost':
      text = `${portName ?? 'Board'} lost${status.reconnecting ? ', reconnecting…' : ''}`;
      tooltip = `${status.error ?? 'The board stopped answering.'}${status.reconnecting ? ' Pinwheel reconnects when it comes back.' : ''}`;
      break;
    case 'disconnected':
      text = 'No board';
      tooltip = status.error ? `Disconnected: ${status.error}` : 'No board is connected. Open the Files view to pick one.';
      if (status.error && port) text = `${portName} disconnected`;
      break;
  }

  return (
    <>
      <span className={`status-item board-state ${status.state}`} data-testid="board-status" data-state={status.state} title={tooltip} aria-live="polite">
        <Icon size={14} />
        <span>{text}</span>
      </span>
      {status.state === 'connected' && port?.kind === 'virtual' && (
        // The virtual board's LED, seen from every view (the board card is in the Files view only).
        <span className="status-item" title={`GPIO ${ledPin} LED: ${pins[String(ledPin)] === 1 ? 'on' : 'off'}`}>
          <span
            className={`status-led${pins[String(ledPin)] === 1 ? ' on' : ''}`}
            data-testid="status-led"
            data-on={pins[String(ledPin)] === 1}
            role="img"
            aria-label={`Virtual board LED on GPIO ${ledPin} is ${pins[String(ledPin)] === 1 ? 'on' : 'off'}`}
          />
        </span>
      )}
      {status.state === 'connected' && status.info && (
        <>
          <span className="status-item" data-testid="board-machine" title={`Board: ${status.info.machine}`}>
            {status.info.machine}
          </span>
          <span className="status-item" data-testid="board-version" title={status.info.versionText}>
            {status.info.implementation === 'micropython' ? 'MicroPython' : status.info.implementation} {status.info.version}
          </span>
          <span className="status-item" data-testid="board-memory" title="Free heap memory when Pinwheel connected">
            RAM {formatBytes(status.info.freeHeapBytes)} free
          </span>
          {status.storage && (
            <span className="status-item" data-testid="board-storage" title={`${formatBytes(status.storage.usedBytes)} of ${formatBytes(status.storage.totalBytes)} used`}>
              Flash {formatBytes(status.storage.freeBytes)} free
            </span>
          )}
        </>
      )}
      {status.busy && !status.running && status.state === 'connected' && (
        <span className="status-item busy" data-testid="board-busy" title="A file operation is using the board's raw REPL; the terminal waits.">
          Board busy…
        </span>
      )}
    </>
  );
}
