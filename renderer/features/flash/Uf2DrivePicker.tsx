/**
 * The drive a UF2 board's firmware is copied onto: the mounted bootloader
 * drives (looked for again every moment while shown, since a board mounts
 * one when BOOTSEL is held or machine.bootloader() runs), and a button that
 * puts the connected board into its bootloader when none is mounted.
 */
import { useEffect } from 'react';
import type { Uf2DriveDto } from '../../../electron/common/api/contract.js';
import { useApiQuery } from '../../app/useApiQuery.js';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import { useObservable } from '../../shared/util/Observable.js';

/** How often the mounted drives are listed again while the picker shows. */
const DRIVE_POLL_MS = 1500;

export function useUf2Drives(active: boolean): Uf2DriveDto[] {
  const drives = useApiQuery('flash.drives', {});
  const { refresh } = drives;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(refresh, DRIVE_POLL_MS);
    return () => clearInterval(timer);
  }, [active, refresh]);
  return drives.data ?? [];
}

export interface Uf2DrivePickerProps {
  drives: readonly Uf2DriveDto[];
  /** The drive chosen; '' when none is mounted. */
  value: string;
  onChange(path: string): void;
  busy: boolean;
}

export function Uf2DrivePicker({ drives, value, onChange, busy }: Uf2DrivePickerProps) {
  const workbench = useWorkbench();
  const status = useObservable(workbench.board.status);
  const enterBootloader = async () => {
    await workbench.attempt('Could not put the board into its bootloader', () =>
      workbench.jobs.run('Putting the board into its bootloader', (job) => workbench.api.call('board.bootloader', {}, { signal: job.signal })),
    );
  };

  if (drives.length === 0) {
    return (
      <div className="flash-field">
        <span>Drive</span>
        <p className="flash-note" aria-live="polite">
          No UF2 drive is mounted. Hold the board&apos;s BOOTSEL button while plugging it in
          {status.state === 'connected' ? ', or:' : '; its drive shows up here.'}
        </p>
        {status.state === 'connected' && (
          <button type="button" className="button" disabled={busy} onClick={() => void enterBootloader()}>
            Put the board into its bootloader
          </button>
        )}
      </div>
    );
  }
  return (
    <label className="flash-field">
      <span>Drive</span>
      <select className="select-input" aria-label="Drive" value={value} onChange={(e) => onChange(e.target.value)} disabled={busy}>
        {drives.map((d) => (
          <option key={d.path} value={d.path}>
            {d.label}
            {d.model ? ` (${d.model})` : ''} · {d.path}
          </option>
        ))}
      </select>
    </label>
  );
}
