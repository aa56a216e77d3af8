/**
 * Which firmware the built-in virtual board imitates (its profile). Changing
 * it restarts that board, with its own files; a connection to it comes back
 * on the new board by itself.
 */
import { useState } from 'react';
import { BOARD_PROFILE_LABELS, BOARD_PROFILE_NAMES, isBoardProfileName, type BoardProfileName } from '../../../electron/common/board/boardProfileNames.js';
import { useHostState } from '../../app/HostProvider.js';
import { useApiQuery, useLiveApiQuery } from '../../app/useApiQuery.js';
import { useWorkbench } from '../../app/WorkbenchProvider.js';

/** The profile the host runs, kept current by `vboard.profile` events; undefined until it answered. */
export function useVirtualBoardProfile(): BoardProfileName | undefined {
  return useLiveApiQuery('vboard.profile', {}, 'vboard.profile')?.profile;
}

export function VirtualBoardFirmware({ profile }: { profile: BoardProfileName | undefined }) {
  const workbench = useWorkbench();
  const hostUp = useHostState().status === 'connected';
  const [switching, setSwitching] = useState(false);
  if (!profile) return null;

  const choose = async (value: string) => {
    if (!isBoardProfileName(value) || value === profile) return;
    setSwitching(true);
    // Restarting and reconnecting the board takes a few seconds; the status bar shows the reconnect.
    await workbench.attempt(`Could not switch the virtual board to ${BOARD_PROFILE_LABELS[value]}`, () =>
      workbench.api.call('vboard.setProfile', { profile: value }, { timeoutMs: 0 }),
    );
    setSwitching(false);
  };

  return (
    <label className="vboard-firmware">
      <span className="vboard-firmware-label">Virtual board firmware</span>
      <select
        className="select-input"
        data-testid="vboard-firmware"
        value={profile}
        disabled={!hostUp || switching}
        title="The MicroPython firmware the virtual board imitates. Each keeps its own files."
        onChange={(e) => void choose(e.target.value)}
      >
        {BOARD_PROFILE_NAMES.map((name) => (
          <option key={name} value={name}>
            {BOARD_PROFILE_LABELS[name]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Whether programs on the virtual board may reach the internet (they always reach this computer and the local network). */
export function VirtualBoardNetwork() {
  const workbench = useWorkbench();
  const hostUp = useHostState().status === 'connected';
  const query = useApiQuery('vboard.network', {});
  // The box follows the click at once; the host's answer settles it (a failure puts it back).
  const [asked, setAsked] = useState<boolean | undefined>(undefined);
  const reach = query.data?.reach;
  if (!reach) return null;
  const toggle = async (internet: boolean) => {
    setAsked(internet);
    const state = await workbench.attempt('Could not change where the virtual board may connect', () =>
      workbench.api.call('vboard.setNetwork', { reach: internet ? 'internet' : 'local' }),
    );
    if (state) query.set(state);
    setAsked(undefined);
  };
  return (
    <label className="vboard-network" title="Off: its programs reach this computer and your local network only (a broker on your laptop or a Raspberry Pi, not a cloud service)">
      <input type="checkbox" checked={asked ?? reach === 'internet'} disabled={!hostUp} onChange={(e) => void toggle(e.target.checked)} />
      Programs on it may reach the internet
    </label>
  );
}
