/**
 * The connected board at a glance: what it is, its firmware, memory and
 * storage, resets, and for the virtual board its LED and the pins the program
 * drives (fed by `vboard.pins`), so a blink program can be seen working.
 */
import './BoardCard.css';
import type { BoardStatus } from '../../../electron/common/api/contract.js';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import { formatBytes } from '../../../electron/common/util/format.js';
import { useObservable } from '../../shared/util/Observable.js';
import { WorkbenchCommands } from '../../app/WorkbenchCommands.js';
import { PROFILES_WITH_NETWORK } from '../../../electron/common/board/boardProfileNames.js';
import { VIRTUAL_WIFI } from '../../../electron/common/board/virtualWifi.js';
import { BoardCommands } from './BoardCommands.js';
import { LibrariesSection } from './LibrariesSection.js';
import { useVirtualBoardProfile } from './VirtualBoardFirmware.js';

export function BoardCard() {
  const workbench = useWorkbench();
  const status = useObservable(workbench.board.status);
  const pins = useObservable(workbench.board.pins);
  const ledPin = useObservable(workbench.board.ledPin);
  if (status.state !== 'connected' || !status.port) return null;
  const isVirtual = status.port.kind === 'virtual';
  const led = pins[String(ledPin)] === 1;
  const driven = Object.entries(pins).sort((a, b) => Number(a[0]) - Number(b[0]));
  return (
    <div className="board-card" data-testid="board-card">
      <div className="board-card-head">
        {isVirtual && (
          <span className={`led${led ? ' on' : ''}`} data-testid="vboard-led" data-on={led} role="img" aria-label={`LED on GPIO ${ledPin} is ${led ? 'on' : 'off'}`} title={`GPIO ${ledPin} LED: ${led ? 'on' : 'off'}`} />
        )}
        <div className="board-card-text">
          <span className="board-card-name" title={status.port.friendlyName}>
            {isVirtual ? 'Virtual board' : status.port.friendlyName}
          </span>
          <span className="board-card-detail" title={status.info?.versionText}>
            {status.info ? `${status.info.machine} · MicroPython ${status.info.version}` : 'Probing…'}
          </span>
        </div>
      </div>
      {isVirtual && (
        <div className="pin-strip" data-testid="vboard-pins" aria-label="Pins driven by the program">
          {driven.length === 0 ? (
            <span className="pin-empty">No pins driven yet</span>
          ) : (
            driven.map(([pin, level]) => (
              <span key={pin} className={`pin${level ? ' high' : ''}`} data-testid={`vboard-pin-${pin}`} data-level={level} title={`GPIO ${pin} is ${level ? 'high' : 'low'}`}>
                GPIO {pin}
              </span>
            ))
          )}
        </div>
      )}
      {isVirtual && <VirtualWifi />}
      <StorageBar status={status} />
      {/* The virtual board has no mip module (micropython-lib's, not ours to ship); real firmware since 1.20 has. */}
      <LibrariesSection boardHasMip={!isVirtual && status.info?.implementation === 'micropython' && hasMip(status.info.version)} />
      <div className="board-card-actions">
        <button type="button" className="button small" onClick={() => void workbench.commands.execute(BoardCommands.newDevice)} title="Set the board up from a template: Wi-Fi, broker, an MQTT client library, config.json, boot.py and main.py">
          New device…
        </button>
        <button type="button" className="button small" onClick={() => void workbench.commands.execute(BoardCommands.softReset)} title="Soft reset: restart MicroPython; boot.py and main.py run" data-testid="soft-reset-button">
          Soft reset
        </button>
        <button type="button" className="button small" onClick={() => void workbench.commands.execute(BoardCommands.hardReset)} title="Hard reset: restart the chip" data-testid="hard-reset-button">
          Hard reset
        </button>
        {!isVirtual && (
          <button
            type="button"
            className="button small"
            onClick={() => void workbench.commands.execute(WorkbenchCommands.selectView, { view: 'flash' })}
            title="Install a newer MicroPython on this board (the Flash view, with this port chosen)"
          >
            Update MicroPython
          </button>
        )}
      </div>
    </div>
  );
}

/** MicroPython has had mip since 1.20 (upip before). */
function hasMip(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 20);
}

/** The virtual Wi-Fi a program joins (network.WLAN), so code written for a real board runs here too. */
function VirtualWifi() {
  const profile = useVirtualBoardProfile();
  const wifi = VIRTUAL_WIFI[0]!;
  if (!profile || !PROFILES_WITH_NETWORK.includes(profile)) return null;
  return (
    <p className="board-card-wifi" aria-label="Virtual Wi-Fi" title="Programs join it with network.WLAN(network.STA_IF).connect(ssid, password); their connections reach this computer and your local network">
      Wi-Fi <code>{wifi.ssid}</code>, password <code>{wifi.password}</code>
    </p>
  );
}

export function StorageBar({ status }: { status: BoardStatus }) {
  const storage = status.storage;
  if (!storage || storage.totalBytes <= 0) return null;
  const used = Math.min(100, Math.round((storage.usedBytes / storage.totalBytes) * 100));
  return (
    <div className="storage" data-testid="storage-bar" title={`${formatBytes(storage.usedBytes)} used, ${formatBytes(storage.freeBytes)} free of ${formatBytes(storage.totalBytes)}`}>
      <div className="storage-text">
        <span>Storage</span>
        <span>
          {formatBytes(storage.freeBytes)} free of {formatBytes(storage.totalBytes)}
        </span>
      </div>
      <div className={`progress${used > 90 ? ' danger' : ''}`} role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={used} aria-label="Storage used">
        <div className="progress-fill" style={{ width: `${used}%` }} />
      </div>
    </div>
  );
}
